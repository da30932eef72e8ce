import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingLogger } from '../../../test/support/recording-logger.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../../../test/upstreams/openai-compatible/openai-compatible-double.js';
import {
  CanceledError,
  ModerationError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createHttpClient } from '../../http/http-client.js';
import { moderationSettingsSchema } from './moderation-settings.js';
import { Moderator } from './moderator.js';

const http = createHttpClient();
const apiKey = 'sk-moderation-test';
let double: OpenAIDouble;

beforeAll(async () => {
  double = await startOpenAIDouble({
    apiKey,
    flaggedWords: { knife: ['violence'], idiot: ['harassment'] },
  });
});

afterEach(() => {
  double.requests.length = 0;
  double.behaviour = { kind: 'normal' };
});

afterAll(async () => {
  await double.close();
  await http.close();
});

const signal = () => new AbortController().signal;

function moderator(settings: unknown, logger?: Logger): Moderator {
  return new Moderator(moderationSettingsSchema.parse(settings), { http, logger });
}

function endpointModerator(endpoint: Record<string, unknown> = {}, logger?: Logger) {
  return moderator(
    { endpoint: { baseUrl: double.baseUrl, apiKey, ...endpoint } },
    logger,
  );
}

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('Moderator word list', () => {
  const words = moderator({ words: ['ass', 'Bad Word', 'кот'] });

  it('matches whole words in any case, naming the word as the list spells it', async () => {
    expect(await words.check(['What an ASS.'], signal())).toEqual({
      flagged: true,
      reason: 'matches the blocked word "ass"',
      categories: ['blocked-word'],
    });
    expect(await words.check(['one BAD WORD here'], signal())).toMatchObject({
      reason: 'matches the blocked word "Bad Word"',
    });
  });

  it('does not match inside longer words, in any script', async () => {
    for (const text of ['a class act', 'assess', 'passé', 'bad wordsmith', 'котик']) {
      expect(await words.check([text], signal()), text).toEqual({ flagged: false });
    }
    expect((await words.check(['Мой КОТ спит'], signal())).flagged).toBe(true);
    expect((await words.check(['ass_hole', 'x-ass-y'], signal())).flagged).toBe(true);
  });

  it('sees through repeated whitespace, invisible characters and full-width letters', async () => {
    for (const text of ['bad \t\n  word', 'b\u200Bad word', 'ａｓｓ', 'a\u00ADss']) {
      expect((await words.check([text], signal())).flagged, text).toBe(true);
    }
  });

  it('checks every text and lets clean ones through', async () => {
    expect(await words.check(['fine', 'also fine'], signal())).toEqual({
      flagged: false,
    });
    expect((await words.check(['fine', 'kick ass'], signal())).flagged).toBe(true);
  });

  it('treats regular-expression characters in words literally', async () => {
    const literal = moderator({ words: ['c++', 'a.b'] });
    expect((await literal.check(['I like c++'], signal())).flagged).toBe(true);
    expect((await literal.check(['axb'], signal())).flagged).toBe(false);
  });
});

describe('Moderator patterns', () => {
  const patterns = moderator({ patterns: ['\\bfree\\s+money\\b', 'n[a@]sty'] });

  it('names the index of the pattern that matched', async () => {
    expect(await patterns.check(['so N@STY'], signal())).toEqual({
      flagged: true,
      reason: 'matches blocked pattern #1',
      categories: ['blocked-pattern'],
    });
    expect(await patterns.check(['FREE   money'], signal())).toMatchObject({
      reason: 'matches blocked pattern #0',
    });
    expect(await patterns.check(['money for free'], signal())).toEqual({
      flagged: false,
    });
  });
});

describe('Moderator endpoint', () => {
  it('names the flagged categories and sends the texts, model and key', async () => {
    const verdict = await endpointModerator().check(
      ['a calm lake', 'that idiot has a knife'],
      signal(),
    );
    expect(verdict).toEqual({
      flagged: true,
      reason: 'flagged by the moderation endpoint: harassment, violence',
      categories: ['harassment', 'violence'],
    });
    expect(double.requests).toHaveLength(1);
    expect(double.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/moderations',
      body: {
        model: 'omni-moderation-latest',
        input: ['a calm lake', 'that idiot has a knife'],
      },
    });
    expect(double.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  it('lets texts through when the endpoint flags nothing', async () => {
    const verdict = await endpointModerator({ model: 'text-moderation-stable' }).check(
      ['a calm lake'],
      signal(),
    );
    expect(verdict).toEqual({ flagged: false });
    expect(double.requests[0]?.body).toMatchObject({ model: 'text-moderation-stable' });
  });

  it('asks the local lists first and the endpoint only when they find nothing', async () => {
    const both = moderator({
      words: ['knife'],
      endpoint: { baseUrl: double.baseUrl, apiKey },
    });
    expect(await both.check(['a knife'], signal())).toMatchObject({
      reason: 'matches the blocked word "knife"',
    });
    expect(await both.check(['', '  '], signal())).toEqual({ flagged: false });
    expect(double.requests).toHaveLength(0);
  });

  it('keeps a rate limit typed and retryable', async () => {
    double.behaviour = { kind: 'rate-limited', retryAfterSeconds: 3 };
    const outcome = endpointModerator().check(['hello'], signal());
    await expect(outcome).rejects.toBeInstanceOf(RateLimitError);
    await expect(outcome).rejects.toMatchObject({ retryable: true, retryAfterMs: 3000 });
  });

  it('does not pass a rejected key on to the client as its own fault', async () => {
    const outcome = endpointModerator({ apiKey: 'sk-wrong-key' }).check(['hi'], signal());
    await expect(outcome).rejects.toBeInstanceOf(UpstreamError);
    await expect(outcome).rejects.toMatchObject({
      status: 502,
      retryable: false,
      message: expect.stringMatching(/^Moderation is unavailable: .*answered 401/),
    });
  });

  it('refuses with a retryable error when the endpoint is down', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const outcome = endpointModerator({ baseUrl }).check(['hello'], signal());
    await expect(outcome).rejects.toBeInstanceOf(UpstreamError);
    await expect(outcome).rejects.toMatchObject({ retryable: true });
  });

  it('lets the prompt through, with a warning, when the endpoint is down and failOpen', async () => {
    const logger = recordingLogger();
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    const moderation = endpointModerator({ baseUrl, failOpen: true }, logger);
    expect(await moderation.check(['hello'], signal())).toEqual({ flagged: false });
    expect(logger.warnings).toEqual([
      'moderation endpoint failed; the prompt is let through (failOpen)',
    ]);
  });

  it('gives up on a stalled endpoint after timeoutMs', async () => {
    double.behaviour = { kind: 'hang' };
    const started = Date.now();
    const outcome = endpointModerator({ timeoutMs: 200 }).check(['hello'], signal());
    await expect(outcome).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops waiting when the caller aborts', async () => {
    double.behaviour = { kind: 'hang' };
    const controller = new AbortController();
    const outcome = endpointModerator({ failOpen: true }).check(
      ['hello'],
      controller.signal,
    );
    await vi.waitFor(() => expect(double.requests).toHaveLength(1), { timeout: 2000 });
    controller.abort();
    // Even with failOpen, a caller that left gets its cancellation, not a verdict.
    await expect(outcome).rejects.toBeInstanceOf(CanceledError);
  });

  it('refuses at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = endpointModerator().check(['hello'], controller.signal);
    await expect(outcome).rejects.toBeInstanceOf(CanceledError);
    expect(double.requests).toHaveLength(0);
  });
});

describe('Moderator.assertAllowed and applies', () => {
  it('throws a ModerationError carrying the reason, and passes clean texts', async () => {
    const moderation = moderator({ words: ['forbidden'] });
    await expect(moderation.assertAllowed(['fine'], signal())).resolves.toBeUndefined();
    const outcome = moderation.assertAllowed(['a forbidden thing'], signal());
    await expect(outcome).rejects.toBeInstanceOf(ModerationError);
    await expect(outcome).rejects.toMatchObject({
      code: 'moderation_rejected',
      status: 400,
      message: 'The prompt was rejected: matches the blocked word "forbidden".',
    });
  });

  it('applies when the request asks for it, or always when forced', () => {
    const optional = moderator({});
    expect([
      optional.applies(true),
      optional.applies(false),
      optional.applies(undefined),
    ]).toEqual([true, false, false]);
    expect(moderator({ force: true }).applies(false)).toBe(true);
  });
});
