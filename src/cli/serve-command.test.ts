import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIo, type MemoryIo } from '../../test/support/memory-io.js';
import { runCli } from './run-cli.js';

const builtMain = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const listeningPattern = /genrelay listening on (http:\/\/\S+)/;

let folder: string;
let config: string;
let child: ChildProcess | undefined;
let blocker: Server | undefined;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'genrelay-serve-'));
  config = join(folder, 'genrelay.config.json');
  const settings = {
    server: { dataDir: join(folder, 'data') },
    builtInProviders: false,
    log: { level: 'info' },
  };
  await writeFile(config, JSON.stringify(settings));
});

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await new Promise((resolve) =>
    blocker === undefined ? resolve(undefined) : blocker.close(resolve),
  );
  blocker = undefined;
});

afterAll(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

/** Polls until `read()` matches, for at most `timeoutMs`. */
async function waitForMatch(
  read: () => string,
  timeoutMs = 10_000,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = listeningPattern.exec(read());
    if (match !== null) return match;
    if (Date.now() > deadline)
      throw new Error(`no "listening on" line within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('genrelay serve', () => {
  it('serves until interrupted, logging that the API is open', async () => {
    const io: MemoryIo = createMemoryIo({ cwd: folder });
    const running = runCli(
      ['serve', '--port', '0', '--host', '127.0.0.1', '--config', config],
      io,
    );
    const [, url] = await waitForMatch(io.output);
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect(io.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'API is open: no server.apiKeys configured',
      }),
    );
    io.interrupt();
    expect(await running).toBe(0);
    expect(io.errors()).toBe('');
  });

  it('reports a port that is taken in one line', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const io = createMemoryIo({ cwd: folder });
    const code = await runCli(['serve', '--port', String(port), '--config', config], io);
    expect(code).toBe(1);
    expect(io.errors()).toMatch(
      new RegExp(
        `^genrelay: Cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\n$`,
      ),
    );
  });

  it('runs as the built binary and exits with 0 on SIGTERM', async () => {
    expect(existsSync(builtMain), 'build first: npx tsc -p tsconfig.build.json').toBe(
      true,
    );
    const env = { ...process.env, GENRELAY_CONFIG: undefined, OPENAI_API_KEY: undefined };
    const spawned = spawn(
      process.execPath,
      [builtMain, 'serve', '--port', '0', '--config', config],
      {
        cwd: folder,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = spawned;
    let stdout = '';
    let stderr = '';
    spawned.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    spawned.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => spawned.once('exit', resolve));
    const [, url] = await waitForMatch(() => stdout);
    const response = await fetch(`${url}/healthz`, {
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    expect(stderr).toContain('API is open: no server.apiKeys configured');
    spawned.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(resolve, 10_000, 'still running after 10 s');
    });
    expect(await Promise.race([exited, timeout]).finally(() => clearTimeout(timer))).toBe(
      0,
    );
  });
});
