import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkBasicAuth } from './check-basic-auth.js';
import { decodeBase64ToImage } from './decode-image.js';
import { HttpException, ValidationFailure } from './http-exception.js';
import { img2imgFields, txt2imgFields } from './payload-fields.js';
import type { QueueLock } from './queue-lock.js';
import {
  type Checkpoint,
  type GenerationEnvironment,
  runGeneration,
} from './run-generation.js';
import { validateFields } from './validate-fields.js';

export interface RouteSettings {
  environment: GenerationEnvironment;
  lock: QueueLock;
  auth: { username: string; password: string } | undefined;
  /** Each progress poll during a job advances the job one step. */
  advanceOnPoll: boolean;
}

/** A request body: parsed JSON, `empty`, or text that is not JSON. */
export type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'empty' }
  | { kind: 'invalid' };

const sdapiRoutes: Record<string, string> = {
  '/sdapi/v1/txt2img': 'POST',
  '/sdapi/v1/img2img': 'POST',
  '/sdapi/v1/progress': 'GET',
  '/sdapi/v1/interrupt': 'POST',
  '/sdapi/v1/skip': 'POST',
  '/sdapi/v1/sd-models': 'GET',
  '/sdapi/v1/samplers': 'GET',
  '/sdapi/v1/options': 'GET',
};

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    server: 'uvicorn',
    'x-process-time': '0.0012',
  });
  response.end(body);
}

/** FastAPI routing, `--api-auth`, pydantic validation, then the endpoint. */
export async function routeRequest(
  request: IncomingMessage,
  response: ServerResponse,
  body: Body,
  settings: RouteSettings,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://double');
  const method = sdapiRoutes[url.pathname];
  if (method === undefined) return sendJson(response, 404, { detail: 'Not Found' });
  if (method !== request.method)
    return sendJson(response, 405, { detail: 'Method Not Allowed' });
  if (body.kind === 'invalid') {
    return sendJson(response, 422, {
      detail: [
        {
          loc: ['body', 0],
          msg: 'Expecting value: line 1 column 1 (char 0)',
          type: 'value_error.jsondecode',
        },
      ],
    });
  }
  try {
    if (settings.auth !== undefined)
      checkBasicAuth(request.headers.authorization, settings.auth);
    const reply = await endpoint(url, body, settings);
    sendJson(response, 200, reply);
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    sendJson(response, error.status, error.body());
  }
}

async function endpoint(url: URL, body: Body, settings: RouteSettings): Promise<unknown> {
  const { environment } = settings;
  const { state } = environment;
  switch (url.pathname) {
    case '/sdapi/v1/txt2img':
    case '/sdapi/v1/img2img':
      return generate(
        url.pathname.endsWith('img2img') ? 'img2img' : 'txt2img',
        body,
        settings,
      );
    case '/sdapi/v1/progress': {
      if (settings.advanceOnPoll && state.jobCount > 0) {
        state.wakeUp();
        // Lets the woken job take its step before the answer is made.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return state.progress(url.searchParams.get('skip_current_image') === 'true');
    }
    case '/sdapi/v1/interrupt':
      state.interrupt();
      return {};
    case '/sdapi/v1/skip':
      state.skipped = true;
      return null;
    case '/sdapi/v1/sd-models':
      return environment.checkpoints.map((checkpoint) => sdModel(checkpoint));
    case '/sdapi/v1/samplers':
      return environment.samplers.map((name) => ({ name, aliases: [], options: {} }));
    default:
      return {
        sd_model_checkpoint: environment.loaded.checkpoint.title,
        samples_format: 'png',
        show_progress_every_n_steps: environment.previewEvery,
        return_grid: true,
      };
  }
}

async function generate(
  kind: 'txt2img' | 'img2img',
  body: Body,
  settings: RouteSettings,
) {
  if (
    body.kind !== 'json' ||
    typeof body.value !== 'object' ||
    body.value === null ||
    Array.isArray(body.value)
  ) {
    const missing = body.kind === 'empty';
    throw new ValidationFailure([
      {
        loc: ['body'],
        msg: missing ? 'field required' : 'value is not a valid dict',
        type: missing ? 'value_error.missing' : 'type_error.dict',
      },
    ]);
  }
  const fields = kind === 'img2img' ? img2imgFields : txt2imgFields;
  const { value, issues } = validateFields(body.value as Record<string, unknown>, fields);
  if (issues.length > 0) throw new ValidationFailure(issues);
  if (kind === 'img2img') {
    if (value.init_images === null) throw new HttpException(404, 'Init image not found');
    for (const image of value.init_images as unknown[])
      decodeBase64ToImage(String(image));
  }
  return settings.lock.run(() => runGeneration(kind, value, settings.environment));
}

function sdModel(checkpoint: Checkpoint) {
  return {
    title: checkpoint.title,
    model_name: checkpoint.model_name,
    hash: checkpoint.hash,
    sha256: `${checkpoint.hash}${'0'.repeat(54)}`,
    filename: `/models/Stable-diffusion/${checkpoint.model_name}.safetensors`,
    config: null,
  };
}
