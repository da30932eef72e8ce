import { Hono } from 'hono';
import { resultPath } from '../balancer/result-storage.js';
import { NotFoundError, toGenRelayError } from '../core/errors.js';
import { filesRoute } from './files-route.js';
import { jobRoutes } from './jobs/job-routes.js';
import { chatCompletionsRoute } from './openai/chat-completions-route.js';
import { imagesRoute } from './openai/images-route.js';
import { modelsRoutes } from './openai/models-route.js';
import { openAIErrorResponse } from './openai/openai-error.js';
import type { ServerDependencies } from './server-dependencies.js';
import { serviceAuthMiddleware } from './service-auth.js';

/** The HTTP API: OpenAI-compatible and jobs routes, stored files and the health check. */
export function createApp(dependencies: ServerDependencies) {
  const app = new Hono<{ Variables: { service: string } }>();

  app.onError((thrown, context) => {
    const error = toGenRelayError(thrown);
    if (error.status >= 500 && error.code === 'internal_error') {
      dependencies.logger.error(
        { error: thrown, path: context.req.path },
        'request failed unexpectedly',
      );
    }
    return openAIErrorResponse(error);
  });
  app.notFound((context) =>
    openAIErrorResponse(
      new NotFoundError(`No route ${context.req.method} ${context.req.path}`),
    ),
  );

  app.get('/healthz', (context) =>
    context.json({
      status: 'ok',
      providers: dependencies.providerStatus(),
      instances: dependencies.instanceStatus(),
    }),
  );
  // Before the auth: stored results stay public under their unguessable keys, so clients
  // can hand the URLs on.
  app.get(resultPath(':key'), filesRoute(dependencies));
  app.use('/v1/*', serviceAuthMiddleware(dependencies.auth));

  const models = modelsRoutes(dependencies);
  app.get('/v1/models', models.list);
  app.get('/v1/models/:id{.+}', models.retrieve);
  app.post('/v1/chat/completions', chatCompletionsRoute(dependencies));
  app.post('/v1/images/generations', imagesRoute(dependencies));
  const jobs = jobRoutes(dependencies);
  app.post('/v1/jobs', jobs.submit);
  app.get('/v1/jobs', jobs.list);
  app.get('/v1/jobs/:id', jobs.get);
  app.delete('/v1/jobs/:id', jobs.cancel);
  app.get('/v1/jobs/:id/events', jobs.events);
  return app;
}
