import type { ServerResponse } from 'node:http';
import type { FileStore } from './file-store.js';
import type { ScriptContext, SpaceJob } from './job-script.js';
import type { GradioScenario } from './scenario.js';
import type { SpaceApp } from './space-app.js';

/** One request as the double received it. */
export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, when the body was JSON. */
  body: unknown;
}

/** A session of the queue protocol: its jobs, and its open `queue/data` stream. */
export interface QueueSession {
  jobs: SpaceJob[];
  stream?: ServerResponse;
}

/** What every route of the double shares. */
export interface SpaceState {
  app: SpaceApp;
  version: string;
  apiPrefix: string;
  origin: string;
  files: FileStore;
  script: ScriptContext;
  requests: RecordedRequest[];
  sessions: Map<string, QueueSession>;
  /** Call API jobs by session (the event id, unless the call named one). */
  calls: Map<string, SpaceJob>;
  /** A private Space's token, which every app request must carry. */
  spaceToken: string | undefined;
  /** Answers `/api/spaces/{space}/jwt` (a 401 body when the token is wrong). */
  issueJwt(authorization: string | undefined, space: string): string | undefined;
  /** The scenario a new job runs (the double's current one, or a ZeroGPU refusal). */
  scenarioFor(headers: Record<string, string | string[] | undefined>): GradioScenario;
  /** Event ids that `/cancel` or `/reset` named. */
  cancellations: string[];
  nextEventId(): string;
}
