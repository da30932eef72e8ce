import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { type ConfigFile, writeConfigFile } from '../support/config-file.js';
import { createMemoryIo, type MemoryIo } from '../support/memory-io.js';
import type { ReplyScript } from '../upstreams/chat-ui/chat-ui-double.js';
import {
  type ChatUiDouble,
  startChatUiDouble,
} from '../upstreams/chat-ui/chat-ui-double.js';
import type { ScriptedFailure } from '../upstreams/chat-ui/chat-ui-script.js';
import { huggingChatInstance, jsonLines } from './huggingchat-config.js';

const idleTimeoutMs = 300;
const timeoutMs = 1_500;
/** Slack for the CLI around the upstream bound: config, runtime, the router. */
const slackMs = 1_500;

let double: ChatUiDouble;
let config: ConfigFile;

beforeAll(async () => {
  double = await startChatUiDouble();
  config = await writeConfigFile({
    hc: huggingChatInstance(double, { timeoutMs, idleTimeoutMs }),
    // Lists a model chat-ui keeps unlisted, which it refuses conversations with.
    hidden: huggingChatInstance(double, { models: ['double/hidden'], visionModels: [] }),
  });
});
afterEach(() => {
  double.version = 'current';
  double.script = { kind: 'answer' };
  double.failures = [];
});
afterAll(async () => {
  await double?.close();
  await config?.remove();
});

async function chat(
  args: string[],
  io: MemoryIo = createMemoryIo({ cwd: config.folder }),
) {
  const started = Date.now();
  const code = await runCli(['chat', ...args, '--json', '--config', config.path], io);
  const parts = jsonLines(io.output());
  return { code, parts, elapsedMs: Date.now() - started, error: parts.at(-1) };
}

interface Scenario {
  name: string;
  version?: 'current' | 'older';
  script?: ReplyScript;
  failures?: ScriptedFailure[];
  model?: string;
  code: string;
  message?: RegExp;
  /** The bound the error must come within. */
  boundMs?: number;
}

const scenarios: Scenario[] = [
  {
    name: 'a status error',
    script: { kind: 'status-error', tokens: ['Part'] },
    code: 'upstream_error',
    message: /failed: No output was generated\. Something went wrong\./,
  },
  {
    name: 'a status error carrying HTTP 429',
    script: { kind: 'status-error', statusCode: 429, message: 'Rate limit reached' },
    code: 'rate_limited',
  },
  { name: 'a reply cut off mid-stream', script: { kind: 'cut' }, code: 'upstream_error' },
  {
    name: 'a reply that ends without finalAnswer',
    script: { kind: 'end-early' },
    code: 'upstream_error',
    message: /ended the reply before its final answer/,
  },
  {
    name: 'a reply of keep-alives only',
    script: { kind: 'keepalive-only', intervalMs: 50 },
    code: 'timeout',
    message: /made no progress for 300 ms/,
    boundMs: idleTimeoutMs,
  },
  {
    name: 'a reply that never starts',
    script: { kind: 'hang' },
    code: 'timeout',
    boundMs: timeoutMs,
  },
  {
    name: 'a send refused with 429',
    failures: [
      { endpoint: 'send', status: 429, message: 'You are sending too many messages.' },
    ],
    code: 'rate_limited',
    message: /answered 429: You are sending too many messages\./,
  },
  {
    name: 'a 401 on creating the conversation',
    failures: [{ endpoint: 'create', status: 401, message: 'You have to be logged in.' }],
    code: 'authentication_failed',
    message: /Log in at .*\/login/,
  },
  {
    name: 'a 403 page in the older data endpoint',
    version: 'older',
    failures: [{ endpoint: 'conversation', status: 403 }],
    code: 'authentication_failed',
  },
  {
    name: 'older page data that is not SvelteKit data',
    version: 'older',
    failures: [{ endpoint: 'conversation', status: 200, body: '<!doctype html><p>hi' }],
    code: 'response_parse_error',
  },
  {
    name: 'a model chat-ui refuses (400 on create)',
    model: 'double/hidden',
    code: 'invalid_request',
    message: /unlisted model \(model "double\/hidden"\)/,
  },
];

describe('HuggingChat error scenarios, through genrelay chat', () => {
  it.each(scenarios)('$name gives $code within its bound', async (scenario) => {
    double.version = scenario.version ?? 'current';
    double.script = scenario.script ?? { kind: 'answer' };
    double.failures = [...(scenario.failures ?? [])];
    const { code, error, elapsedMs } = await chat([
      'Hello',
      '--model',
      scenario.model ?? 'double/chat',
    ]);
    expect(code).toBe(1);
    expect(error).toMatchObject({ type: 'error', fatal: true, code: scenario.code });
    if (scenario.message) expect(error?.message).toMatch(scenario.message);
    expect(elapsedMs).toBeLessThan((scenario.boundMs ?? 0) + slackMs);
    expect(double.failures).toEqual([]);
  });

  it('a malformed conversation on the current API is a parse error', async () => {
    const first = await chat(['Hello', '--model', 'double/chat']);
    const state = first.parts.find((part) => part.type === 'conversation')?.state;
    double.failures = [
      { endpoint: 'conversation', status: 200, body: '{"json":{"messages":"x"}}' },
    ];
    const { error } = await chat([
      'Again',
      '--model',
      'double/chat',
      '--conversation',
      JSON.stringify(state),
    ]);
    expect(error).toMatchObject({ code: 'response_parse_error' });
  });

  it('skips reply lines that are not JSON, logging them at debug level', async () => {
    double.script = { kind: 'answer', invalidLines: true };
    const io = createMemoryIo({ cwd: config.folder });
    const { code, parts } = await chat(['Hello', '--model', 'double/chat'], io);
    expect(code).toBe(0);
    const text = parts.filter((part) => part.type === 'text').map((part) => part.delta);
    expect(text.join('')).toBe('Hello from chat-ui.');
    expect(
      io.logs.filter((log) => log.message === 'skipping a reply line that is not JSON')
        .length,
    ).toBeGreaterThan(1);
  });

  it('Ctrl-C cancels at once and stops the generation upstream', async () => {
    double.script = { kind: 'keepalive-only', intervalMs: 50 };
    const io = createMemoryIo({ cwd: config.folder });
    const sent = double.sent.length;
    const abandoned = double.abandonedReplies;
    const running = chat(['Hello', '--model', 'double/chat'], io);
    await expect.poll(() => double.sent.length, { timeout: 5_000 }).toBe(sent + 1);
    const interruptedAt = Date.now();
    io.interrupt();
    const { code, error } = await running;
    expect(Date.now() - interruptedAt).toBeLessThan(1_000);
    expect(code).toBe(130);
    expect(error).toMatchObject({ code: 'canceled' });
    const conversationId = double.sent.at(-1)?.conversationId;
    await expect
      .poll(() => double.stopped.includes(conversationId ?? ''), { timeout: 5_000 })
      .toBe(true);
    await expect
      .poll(() => double.abandonedReplies, { timeout: 5_000 })
      .toBe(abandoned + 1);
  });
});
