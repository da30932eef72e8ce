import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousUser } from '../../src/balancer/job.js';
import { type JobClient, jobClient } from '../support/job-client.js';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type OpenAIDouble,
  type OpenAIDoubleBehaviour,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

const chat = (user: string | undefined, stream: boolean) =>
  JSON.stringify({
    model: 'double-chat',
    stream,
    ...(user === undefined ? {} : { user }),
    messages: [{ role: 'user', content: 'hi' }],
  });

/** Every request takes this long upstream, so the order they ran in is their answers'. */
const answer: OpenAIDoubleBehaviour = { kind: 'slow-first-token', delayMs: 300 };
/**
 * How long a request holding the one slot keeps it: the test queues others behind it in
 * that time, with room to spare on a loaded machine.
 */
const holdMs = 1000;
const poll = { timeout: 5000, interval: 20 };

describe('OpenAI requests through the queue', () => {
  let double: OpenAIDouble;
  let genrelay: GenRelayUnderTest;
  let jobs: JobClient;
  beforeAll(async () => {
    double = await startOpenAIDouble({ behaviour: answer });
    genrelay = await startGenRelay({
      // One request at a time upstream, so the others wait in genrelay's queue.
      providers: {
        local: { type: 'openai-compatible', baseUrl: double.baseUrl, slots: 1 },
      },
    });
    jobs = jobClient(genrelay.url);
  });
  afterAll(async () => {
    await genrelay?.close();
    await double?.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${genrelay.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  const chatsUpstream = () =>
    double.requests.filter(({ path }) => path === '/v1/chat/completions').length;
  const jobsOf = async (user: string) =>
    (await jobs.listAll()).filter((job) => job.user_id === user);

  /**
   * Sends `user`'s request and returns once the double has it: from then on it holds the
   * one upstream slot for `holdMs`. (Wrapped, so that returning does not await it.)
   */
  const holdSlot = async (user: string) => {
    const before = chatsUpstream();
    double.behaviour = { kind: 'slow-first-token', delayMs: holdMs };
    try {
      const response = post(chat(user, false));
      await expect.poll(chatsUpstream, poll).toBeGreaterThan(before);
      return { response };
    } finally {
      double.behaviour = answer;
    }
  };

  it('tells a waiting streaming client its place as SSE comments, then answers', async () => {
    const first = await holdSlot('ann');
    const waiting = await post(chat('bob', true));
    expect(waiting.status).toBe(200);
    const body = await waiting.text();
    expect(body).toMatch(/^: queued position=0 eta_ms=\d+$/m);
    expect(body.indexOf(': queued')).toBeLessThan(body.indexOf('"content":"Hello'));
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect((await first.response).status).toBe(200);
  });

  it("lets users take turns: a second user is not stuck behind the first one's burst", async () => {
    const order: string[] = [];
    const answered = (user: string) => (response: Response) => {
      expect(response.status).toBe(200);
      order.push(user);
    };
    const send = (user: string) => post(chat(user, false)).then(answered(user));
    // The burst's first job runs; the other two are stored behind it before `single` asks.
    const running = await holdSlot('flood');
    const burst = [
      running.response.then(answered('flood')),
      send('flood'),
      send('flood'),
    ];
    await expect.poll(async () => (await jobsOf('flood')).length, poll).toBe(3);
    const single = send('single');
    await Promise.all([...burst, single]);
    // One request at a time upstream: the single user's job runs second, not fourth.
    expect(order.indexOf('single')).toBeLessThanOrEqual(1);
    expect(order).toEqual(['flood', 'single', 'flood', 'flood']);
  });

  it('starts a request without a user at once when its lane is idle, and queues it otherwise', async () => {
    const stored = async () => (await jobsOf(anonymousUser)).length;
    const before = await stored();
    // Idle lane: run straight away, nothing stored (it lives as long as its connection).
    expect((await post(chat(undefined, false))).status).toBe(200);
    expect(await stored()).toBe(before);
    // Busy lane (one slot, taken): it waits its turn as a stored job.
    const holder = await holdSlot('holder');
    const waiting = await post(chat(undefined, false));
    expect(waiting.status).toBe(200);
    expect(await stored()).toBe(before + 1);
    expect((await holder.response).status).toBe(200);
  });

  it('takes the end user from the X-GenRelay-User header', async () => {
    const response = await post(chat(undefined, false), {
      'x-genrelay-user': 'header-user',
    });
    expect(response.status).toBe(200);
    expect((await jobs.list('?user_id=header-user')).body.data).toEqual([
      expect.objectContaining({
        user_id: 'header-user',
        state: 'succeeded',
        model: 'double-chat',
      }),
    ]);
  });

  it('cancels the job when the client goes away', async () => {
    // The upstream never answers: only the client leaving can end this job.
    double.behaviour = { kind: 'hang' };
    const controller = new AbortController();
    try {
      const request = fetch(`${genrelay.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chat('leaver', true),
        signal: controller.signal,
      }).catch(() => undefined);
      const state = async () => (await jobsOf('leaver'))[0]?.state;
      await expect.poll(state, poll).toBe('running');
      controller.abort();
      await request;
      await expect.poll(state, poll).toBe('canceled');
    } finally {
      controller.abort();
      double.behaviour = answer;
    }
  });
});
