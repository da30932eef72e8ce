import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../upstreams/openai-compatible/openai-compatible-double.js';

const chat = (user: string | undefined, stream: boolean) =>
  JSON.stringify({
    model: 'double-chat',
    stream,
    ...(user === undefined ? {} : { user }),
    messages: [{ role: 'user', content: 'hi' }],
  });

describe('OpenAI requests through the queue', () => {
  let double: OpenAIDouble;
  let genrelay: GenRelayUnderTest;
  beforeAll(async () => {
    double = await startOpenAIDouble();
    double.behaviour = { kind: 'slow-first-token', delayMs: 300 };
    genrelay = await startGenRelay({
      // One request at a time upstream, so the others wait in genrelay's queue.
      providers: {
        local: { type: 'openai-compatible', baseUrl: double.baseUrl, slots: 1 },
      },
    });
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

  it('tells a waiting streaming client its place as SSE comments, then answers', async () => {
    const first = post(chat('ann', false));
    // Let the first take the one slot.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = await post(chat('bob', true));
    expect(waiting.status).toBe(200);
    const body = await waiting.text();
    expect(body).toMatch(/^: queued position=0 eta_ms=\d+$/m);
    expect(body.indexOf(': queued')).toBeLessThan(body.indexOf('"content":"Hello'));
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect((await first).status).toBe(200);
  });

  it("lets users take turns: a second user is not stuck behind the first one's burst", async () => {
    const order: string[] = [];
    const send = (user: string) =>
      post(chat(user, false)).then(async (response) => {
        expect(response.status).toBe(200);
        order.push(user);
      });
    const burst = [send('flood'), send('flood'), send('flood')];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const single = send('single');
    await Promise.all([...burst, single]);
    // One running job per user: the single user's job runs second, not fourth.
    expect(order.indexOf('single')).toBeLessThanOrEqual(1);
  });

  it('starts a request without a user at once when its lane is idle, and queues it otherwise', async () => {
    const jobs = async () =>
      (
        (await (await fetch(`${genrelay.url}/v1/jobs?limit=1000`)).json()) as {
          data: { user_id: string }[];
        }
      ).data.filter((job) => job.user_id === '').length;
    const before = await jobs();
    // Idle lane: run straight away, nothing stored (it lives as long as its connection).
    expect((await post(chat(undefined, false))).status).toBe(200);
    expect(await jobs()).toBe(before);
    // Busy lane (one slot, taken): it waits its turn as a stored job.
    const holder = post(chat('holder', false));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = await post(chat(undefined, false));
    expect(waiting.status).toBe(200);
    expect(await jobs()).toBe(before + 1);
    expect((await holder).status).toBe(200);
  });

  it('takes the end user from the X-GenRelay-User header', async () => {
    await post(chat(undefined, false), { 'x-genrelay-user': 'header-user' });
    const jobs = (await (
      await fetch(`${genrelay.url}/v1/jobs?user_id=header-user`)
    ).json()) as { data: { user_id: string; state: string; model: string }[] };
    expect(jobs.data).toEqual([
      expect.objectContaining({
        user_id: 'header-user',
        state: 'succeeded',
        model: 'double-chat',
      }),
    ]);
  });

  it('cancels the job when the client goes away', async () => {
    const controller = new AbortController();
    const request = fetch(`${genrelay.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chat('leaver', true),
      signal: controller.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await request;
    const deadline = Date.now() + 5000;
    let state = '';
    while (Date.now() < deadline && state !== 'canceled') {
      const jobs = (await (
        await fetch(`${genrelay.url}/v1/jobs?user_id=leaver`)
      ).json()) as { data: { state: string }[] };
      state = jobs.data[0]?.state ?? '';
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state).toBe('canceled');
  });
});
