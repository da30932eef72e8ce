/** A job as `GET /v1/jobs/{id}` shows it: the fields these tests look at. */
export interface JobBody {
  id: string;
  request_id: string | null;
  user_id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
  attempts: number;
  result: {
    images: { url: string; media_type: string; seed: number | null }[];
  } | null;
  error: { code: string; message: string } | null;
}

const callTimeoutMs = 10_000;

/** The native jobs API of one running server, over plain HTTP. */
export class JobsApi {
  constructor(private readonly url: string) {}

  /** `POST /v1/jobs`: 202 for a new job, 200 for a known request id. */
  async submit(request: unknown): Promise<{ status: number; job: JobBody }> {
    const response = await fetch(`${this.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const body = (await response.json()) as unknown;
    if (response.status !== 200 && response.status !== 202)
      throw new Error(`POST /v1/jobs: ${response.status} ${JSON.stringify(body)}`);
    return { status: response.status, job: body as JobBody };
  }

  /** Every job of the service (at most 1000, the API's largest page). */
  async list(): Promise<JobBody[]> {
    const response = await fetch(`${this.url}/v1/jobs?limit=1000`, {
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    if (response.status !== 200)
      throw new Error(`GET /v1/jobs: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { data: JobBody[] }).data;
  }
}
