import { Hono } from 'hono';
import { resultPath } from '../balancer/result-storage.js';
import { NotFoundError, toGenRelayError } from '../core/errors.js';
import { apiKeyAuth } from './api-key-auth.js';
import { filesRoute } from './files-route.js';
import { chatCompletionsRoute } from './openai/chat-completions-route.js';
import { imagesRoute } from './openai/images-route.js';
import { modelsRoutes } from './openai/models-route.js';
import { openAIErrorResponse } from './openai/openai-error.js';
import type { ServerDependencies } from './server-dependencies.js';

/** The HTTP API: OpenAI-compatible routes, stored files and the health check. */
export function createApp(dependencies: ServerDependencies): Hono {
  const app = new Hono();

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
    context.json({ status: 'ok', providers: dependencies.providerStatus() }),
  );
  app.get(resultPath(':key'), filesRoute(dependencies));

  if (dependencies.apiKeys.length > 0) app.use('/v1/*', apiKeyAuth(dependencies.apiKeys));

  const models = modelsRoutes(dependencies);
  app.get('/v1/models', models.list);
  app.get('/v1/models/:id{.+}', models.retrieve);
  app.post('/v1/chat/completions', chatCompletionsRoute(dependencies));
  app.post('/v1/images/generations', imagesRoute(dependencies));
  return app;
}
