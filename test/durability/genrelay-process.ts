import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bounded } from '../support/bounded.js';

/** The built CLI: `npm test` builds it before vitest runs. */
const builtMain = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

const listeningPattern = /genrelay listening on (http:\/\/\S+)/;
const startTimeoutMs = 15_000;
const exitTimeoutMs = 5_000;

/** A `genrelay serve` child process, listening. */
export interface GenRelayProcess {
  url: string;
  /** `kill -9`, resolved once the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts the built server on a free loopback port with the configuration file, resolved
 * when it prints the address it listens on. Every process is added to `spawned` first, so
 * a test's cleanup can kill it whatever happens after.
 */
export async function spawnGenRelay(
  config: string,
  cwd: string,
  spawned: Set<GenRelayProcess>,
): Promise<GenRelayProcess> {
  if (!existsSync(builtMain))
    throw new Error(
      `${builtMain} is missing: build first (npx tsc -p tsconfig.build.json)`,
    );
  // Nothing from this shell may add a provider that reaches the internet.
  const env = { ...process.env, GENRELAY_CONFIG: undefined, OPENAI_API_KEY: undefined };
  const child = spawn(
    process.execPath,
    [builtMain, 'serve', '--host', '127.0.0.1', '--port', '0', '--config', config],
    { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running: GenRelayProcess = {
    url: '',
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await bounded('genrelay exiting after SIGKILL', exitTimeoutMs, () => exited);
    },
  };
  spawned.add(running);
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = listeningPattern.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code, signal) =>
      reject(
        new Error(`genrelay exited (${code ?? signal}) before listening:\n${stderr}`),
      ),
    );
  });
  running.url = await bounded(
    'genrelay printing its "listening on" line',
    startTimeoutMs,
    () => listening,
  );
  return running;
}
