import type { z } from 'zod';
import type { JobSubmission } from '../../balancer/balancer.js';
import type { JobError } from '../../balancer/job.js';
import { jobWork } from '../../balancer/job-work.js';
import { laneName } from '../../balancer/lane-name.js';
import { InvalidRequestError, toGenRelayError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { JsonValue } from '../../core/json.js';
import type { PayloadJobKind } from '../../providers/provider.js';
import { chatCompletionsRequestSchema } from '../openai/chat-completions-schema.js';
import { convertChatRequest } from '../openai/convert-chat-request.js';
import { convertImagesRequest } from '../openai/convert-images-request.js';
import { imagesRequestSchema } from '../openai/images-schema.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { validationError } from '../validation-error.js';
import type { JobRequest } from './job-request-schema.js';

/** What admitting a job needs besides the request: the server's checks, for a service. */
export interface AdmissionContext
  extends Pick<
    ServerDependencies,
    'lanes' | 'checkRoute' | 'moderate' | 'checkWebhook' | 'allowPrivateMediaUrls'
  > {
  service: string;
  /** Keeps a job that is refused (moderation) as failed, never run. */
  reject(submission: JobSubmission, error: JobError): Promise<unknown>;
  signal: AbortSignal;
}

// A model job's payload is the OpenAI request of its kind, without what the job says.
const chatPayloadSchema = chatCompletionsRequestSchema
  .omit({ model: true, stream: true, stream_options: true })
  .strict();
const imagePayloadSchema = imagesRequestSchema
  .omit({ model: true, response_format: true })
  .strict();

/** `payload` checked against `schema`; a 400 naming the fields as `payload.…`. */
function parsePayload<Schema extends z.ZodType>(
  schema: Schema,
  payload: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error, ['payload']);
}

/**
 * A job request checked and turned into what the queue stores: the payload validated for
 * its kind and executor (or model), the lane that runs it, and its work. Nothing is stored
 * when anything is wrong: the error names the field.
 */
export async function admitJob(
  request: JobRequest,
  context: AdmissionContext,
): Promise<JobSubmission> {
  const common = {
    service: context.service,
    userId: request.user_id,
    ...(request.chat_id === undefined ? {} : { chatId: request.chat_id }),
    ...(request.message_id === undefined ? {} : { messageId: request.message_id }),
    ...(request.request_id === undefined ? {} : { requestId: request.request_id }),
    ...(request.max_user_queue_size === undefined
      ? {}
      : { maxUserQueueSize: request.max_user_queue_size }),
    ...(request.webhook === undefined
      ? {}
      : { webhook: context.checkWebhook(request.webhook) }),
    tier: request.premium ? ('premium' as const) : ('general' as const),
    kind: request.kind,
  };
  if (request.executor !== undefined) {
    if (request.kind === 'chat') {
      throw new InvalidRequestError('kind: executors run images; chat needs a model', {
        param: 'kind',
      });
    }
    const [executor] = context.lanes.executorsFor(request.executor);
    const schema = context.lanes.payloadSchema(request.executor, request.kind);
    const payload = parsePayload(schema, request.payload) as JsonValue;
    const family = executor?.type === 'kandinsky' ? 'kandinsky' : 'automatic1111';
    return moderated(request, payload, context, {
      ...common,
      lane: laneName.executor(request.executor),
      payload,
      work: jobWork(request.kind, family, payload),
    });
  }
  const model = request.model as string;
  const generation = modelRequest(request, model, context);
  await context.checkRoute(generation, context.signal);
  const payload = generation as unknown as JsonValue;
  return moderated(request, request.payload, context, {
    ...common,
    lane: laneName.model(request.kind, model),
    payload,
    work: jobWork(request.kind, 'model', payload),
  });
}

/**
 * The submission, once its prompt passed moderation (when asked). A rejected one is kept
 * as a failed job, so the service can look it up, and is never run.
 */
async function moderated(
  request: JobRequest,
  texts: unknown,
  context: AdmissionContext,
  submission: JobSubmission,
): Promise<JobSubmission> {
  try {
    await context.moderate(request.kind, texts, request.moderate, context.signal);
  } catch (thrown) {
    const error = toGenRelayError(thrown);
    if (error.code === 'moderation_rejected')
      await context.reject(submission, { code: error.code, message: error.message });
    throw thrown;
  }
  return submission;
}

/** The payload of a model job as the generation request the router runs. */
function modelRequest(
  request: JobRequest,
  model: string,
  context: AdmissionContext,
): GenerationRequest {
  const user = { user: request.user_id };
  if (request.kind === 'chat') {
    const body = parsePayload(chatPayloadSchema, request.payload);
    return {
      ...convertChatRequest(
        { ...body, model, stream: true },
        { allowInsecure: context.allowPrivateMediaUrls },
      ),
      ...user,
    };
  }
  if (request.kind === 'text2img') {
    const body = parsePayload(imagePayloadSchema, request.payload);
    return {
      ...convertImagesRequest({ ...body, model, response_format: 'url' }),
      ...user,
    };
  }
  throw new InvalidRequestError(
    `kind: ${request.kind as PayloadJobKind} runs on an executor (automatic1111, kandinsky); models take chat and text2img`,
    { param: 'kind' },
  );
}

/** What admitting a job of `service` needs, from the server's dependencies. */
export function admissionContext(
  dependencies: ServerDependencies,
  service: string,
  signal: AbortSignal,
): AdmissionContext {
  return {
    service,
    lanes: dependencies.lanes,
    checkRoute: dependencies.checkRoute,
    moderate: dependencies.moderate,
    checkWebhook: dependencies.checkWebhook,
    reject: (submission, error) => dependencies.balancer.reject(submission, error),
    allowPrivateMediaUrls: dependencies.allowPrivateMediaUrls,
    signal,
  };
}
