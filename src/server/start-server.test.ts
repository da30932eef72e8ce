import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import { createRuntime, type Runtime } from '../runtime/create-runtime.js';
import { startServer } from './start-server.js';

const startFailure = new Error('the store cannot be read');

// The queue's dispatching fails to start, as with a store that cannot be read.
vi.mock('../runtime/create-queue.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../runtime/create-queue.js')>();
  return {
    ...original,
    createQueue: (runtime: Runtime) => {
      const queue = original.createQueue(runtime);
      queue.balancer.start = async () => {
        throw startFailure;
      };
      return queue;
    },
  };
});

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something else can listen on the port. */
async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('startServer', () => {
  let dataDir: string | undefined;
  afterEach(async () => {
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('lets the port go when starting fails after it listens', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'genrelay-start-'));
    const config = parseConfig(
      { builtInProviders: false, server: { dataDir } },
      'test',
      {},
    );
    const runtime = createRuntime(config, { env: {} });
    const port = await freePort();
    try {
      await expect(startServer(runtime, { host: '127.0.0.1', port })).rejects.toBe(
        startFailure,
      );
      expect(await canListen(port)).toBe(true);
    } finally {
      await runtime.close();
    }
  });
});
