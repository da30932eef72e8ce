import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileStore } from './file-store.js';
import { makeJwt } from './make-jwt.js';
import { routeRequest } from './route-request.js';
import { type GradioScenario, quotaMessageNew } from './scenario.js';
import { fluxDevApp, type SpaceApp } from './space-app.js';
import { sendDetail } from './space-http.js';
import type { RecordedRequest, SpaceState } from './space-state.js';

export type { GradioScenario } from './scenario.js';
export type { RecordedRequest } from './space-state.js';

export interface GradioSpaceOptions {
  /** `5.x` (default): routes under `/gradio_api`. `4.x`: at the root, no `api_prefix`. */
  layout?: '5.x' | '4.x';
  /** Default FLUX.1-dev's `infer`. */
  app?: SpaceApp;
  scenario?: GradioScenario;
  /** A private Space: every app request needs `Authorization: Bearer <spaceToken>`. */
  spaceToken?: string;
  /** The Hugging Face token `/api/spaces/{space}/jwt` accepts; any bearer when unset. */
  hfToken?: string;
  /** How long the JWTs it issues live. Default 1 hour. */
  jwtLifetimeMs?: number;
  /** ZeroGPU without a valid `x-zerogpu-token`: every job fails with the quota message. */
  anonymousQuotaExceeded?: boolean;
  /** Heartbeat interval of stalled jobs. Default 50 ms. */
  heartbeatMs?: number;
}

/** A running Gradio app double on loopback. */
export interface GradioSpaceDouble {
  /** The app's root, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** Where it issues ZeroGPU tokens (as huggingface.co does), with `{space}` to fill in. */
  jwtUrl: string;
  apiPrefix: string;
  /** The scenario of the next jobs; may be reassigned at any time. */
  scenario: GradioScenario;
  requests: RecordedRequest[];
  /** Event ids that `/cancel` or `/reset` named. */
  cancellations: string[];
  /** The seed jobs that ask for a random one get. */
  randomSeed: number;
  /** Requests to a path that ends with `suffix`. */
  requestsTo(suffix: string): RecordedRequest[];
  /** Stops the server, ending open streams and sockets. */
  close(): Promise<void>;
}

/**
 * A Gradio 5 app (or, with `layout: '4.x'`, a 4.x one) serving a FLUX Space's `infer`:
 * `/config`, `{prefix}/info`, the queue, the call API, uploads, files (real PNGs), and
 * ZeroGPU tokens; each job runs the current scenario.
 */
export async function startGradioSpaceDouble(
  options: GradioSpaceOptions = {},
): Promise<GradioSpaceDouble> {
  const apiPrefix = options.layout === '4.x' ? '' : '/gradio_api';
  const issuedTokens = new Set<string>();
  let eventCounter = 0;
  const state: SpaceState = {
    app: options.app ?? fluxDevApp,
    version: options.layout === '4.x' ? '4.44.1' : '5.49.1',
    apiPrefix,
    origin: '',
    files: new FileStore((path) => `${state.origin}${apiPrefix}/file=${path}`),
    script: {
      storeFile: (bytes, name) => state.files.store(bytes, name),
      heartbeatMs: options.heartbeatMs ?? 50,
      randomSeed: 1_234_567,
    },
    requests: [],
    sessions: new Map(),
    calls: new Map(),
    spaceToken: options.spaceToken,
    issueJwt(authorization, space) {
      const expected = options.hfToken === undefined ? /^Bearer \S+$/ : undefined;
      const valid = expected
        ? expected.test(authorization ?? '')
        : authorization === `Bearer ${options.hfToken}`;
      if (!valid) return undefined;
      const token = makeJwt(Date.now() + (options.jwtLifetimeMs ?? 3_600_000), space);
      issuedTokens.add(token);
      return token;
    },
    scenarioFor(headers) {
      const token = headers['x-zerogpu-token'];
      const verified = typeof token === 'string' && issuedTokens.has(token);
      if (options.anonymousQuotaExceeded && !verified) {
        return {
          kind: 'app-error',
          message: quotaMessageNew,
          title: 'ZeroGPU quota exceeded',
        };
      }
      return double.scenario;
    },
    cancellations: [],
    // 32 hex characters, like Gradio's uuid4().hex.
    nextEventId: () => (++eventCounter).toString(16).padStart(32, 'e'),
  };

  const server = createServer((request, response) => {
    routeRequest(state, request, response).catch((error: unknown) => {
      // A bug in the double shows as a 500 naming it, not as a hung test.
      if (response.headersSent) response.destroy();
      else sendDetail(response, 500, `The double failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const double: GradioSpaceDouble = {
    url: state.origin,
    jwtUrl: `${state.origin}/api/spaces/{space}/jwt`,
    apiPrefix,
    scenario: options.scenario ?? { kind: 'success' },
    requests: state.requests,
    cancellations: state.cancellations,
    randomSeed: state.script.randomSeed,
    requestsTo: (suffix) =>
      state.requests.filter((request) => request.path.endsWith(suffix)),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return double;
}
