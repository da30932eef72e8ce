import type { Context } from 'hono';
import { z } from 'zod';
import { jobStates } from '../../balancer/job.js';
import { baseUrl } from '../base-url.js';
import { readJsonBody } from '../read-json-body.js';
import { requestSignal } from '../request-signal.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { validationError } from '../validation-error.js';
import { admissionContext, admitJob } from './admit-job.js';
import { jobBody } from './job-body.js';
import { jobEventStream } from './job-event-stream.js';
import { jobRequestSchema } from './job-request-schema.js';

type ServiceContext = Context<{ Variables: { service: string } }>;

const listQuerySchema = z.strictObject({
  user_id: z.string().min(1).optional(),
  state: z.enum(jobStates).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The native jobs API: submit, look at, cancel and follow jobs of the calling service. */
export function jobRoutes(dependencies: ServerDependencies) {
  const { balancer, storage } = dependencies;
  const links = (context: Context) => ({
    storage,
    origin: baseUrl(context, dependencies.publicUrl),
  });
  const show = async (context: ServiceContext, id: string) => {
    const job = await balancer.get(id, context.get('service'));
    return jobBody(job, links(context), await balancer.estimate(job));
  };
  return {
    /** `POST /v1/jobs`: 202 with the queued job; 200 with the earlier one for a known request id. */
    submit: async (context: ServiceContext) => {
      const request = await readJsonBody(
        context,
        jobRequestSchema,
        dependencies.maxBodyBytes,
      );
      const submission = await admitJob(
        request,
        admissionContext(
          dependencies,
          context.get('service'),
          requestSignal(context).signal,
        ),
      );
      const { job, created, estimate } = await balancer.submit(submission);
      return context.json(
        await jobBody(job, links(context), estimate),
        created ? 202 : 200,
      );
    },

    get: async (context: ServiceContext) =>
      context.json(await show(context, context.req.param('id') as string)),

    /** `DELETE /v1/jobs/{id}`: cancels a queued or running job; a finished one is shown as it is. */
    cancel: async (context: ServiceContext) => {
      const job = await balancer.cancel(
        context.req.param('id') as string,
        context.get('service'),
      );
      return context.json(await jobBody(job, links(context)));
    },

    list: async (context: ServiceContext) => {
      const parsed = listQuerySchema.safeParse(context.req.query());
      if (!parsed.success) throw validationError(parsed.error);
      const { user_id: userId, state, limit } = parsed.data;
      const jobs = await balancer.list(context.get('service'), {
        limit,
        ...(userId === undefined ? {} : { userId }),
        ...(state === undefined ? {} : { state }),
      });
      const data = await Promise.all(jobs.map((job) => jobBody(job, links(context))));
      return context.json({ object: 'list', data });
    },

    /** `GET /v1/jobs/{id}/events`: the job's events as server-sent events, until it ends. */
    events: async (context: ServiceContext) => {
      const { signal, abort } = requestSignal(context);
      const events = await balancer.subscribe(
        context.req.param('id') as string,
        context.get('service'),
        signal,
      );
      return new Response(jobEventStream(events, links(context), abort), {
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        },
      });
    },
  };
}
