/** One event of a job's SSE stream: its name and its parsed data. */
export interface JobEventMessage {
  event: string;
  data: Record<string, unknown>;
}

/** A job as `GET /v1/jobs/{id}` shows it: the fields tests look at by type. */
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

export type JobClient = ReturnType<typeof jobClient>;

/** A small client of the native jobs API for tests: JSON calls and the SSE event stream. */
export function jobClient(baseUrl: string, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    ...extra,
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body: json };
  };
  return {
    submit: (job: unknown) => call('POST', '/v1/jobs', job),
    get: (id: string) => call('GET', `/v1/jobs/${id}`),
    cancel: (id: string) => call('DELETE', `/v1/jobs/${id}`),
    list: (query = '') => call('GET', `/v1/jobs${query}`),
    /** Every job the token sees (at most 1000, the API's largest page); throws on an error. */
    listAll: async (): Promise<JobBody[]> => {
      const answer = await call('GET', '/v1/jobs?limit=1000');
      if (answer.status !== 200)
        throw new Error(`GET /v1/jobs: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.data as JobBody[];
    },
    /** Every event of the job until its stream ends (bounded by `timeoutMs`). */
    events: async (id: string, timeoutMs = 10_000): Promise<JobEventMessage[]> => {
      const response = await fetch(`${baseUrl}/v1/jobs/${id}/events`, {
        headers: headers(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status !== 200) throw new Error(`events: ${response.status}`);
      const text = await response.text();
      return text
        .split('\n\n')
        .filter((block) => block.startsWith('event: '))
        .map((block) => {
          const [eventLine, dataLine] = block.split('\n');
          return {
            event: (eventLine ?? '').slice('event: '.length),
            data: JSON.parse((dataLine ?? '').slice('data: '.length)) as Record<
              string,
              unknown
            >,
          };
        });
    },
  };
}
