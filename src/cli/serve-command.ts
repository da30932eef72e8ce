import type { Command } from 'commander';
import type { Runtime } from '../runtime/create-runtime.js';
import { type RunningServer, startServer } from '../server/start-server.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { configOption } from './common-options.js';
import { integerOption } from './option-parsers.js';
import { withRuntime } from './with-runtime.js';

interface ServeOptions {
  host?: string;
  port?: number;
  config?: string;
}

async function listen(
  runtime: Runtime,
  host: string,
  port: number,
): Promise<RunningServer> {
  try {
    return await startServer(runtime, { host, port });
  } catch (error) {
    // EADDRINUSE and EACCES are the operator's to fix, not bugs: one line, no trace.
    const reason = (error as Error).message;
    throw new CliError(`Cannot listen on ${host}:${port}: ${reason}`, 'listen_failed', {
      cause: error,
    });
  }
}

/** Serves until Ctrl-C or SIGTERM, then closes the server and resolves. */
async function serve(runtime: Runtime, io: CliIo, options: ServeOptions): Promise<void> {
  const { server: settings } = runtime.config;
  const host = options.host ?? settings.host;
  const port = options.port ?? settings.port;
  // Listening first means a signal before the server is up ends the process the usual way.
  const server = await listen(runtime, host, port);
  const stopped = new Promise<void>((resolve) => {
    const stopListening = io.onInterrupt(() => {
      stopListening();
      resolve();
    });
  });
  runtime.logger.info(
    { url: server.url, config: runtime.config.source },
    'genrelay listening',
  );
  if (
    settings.apiKeys.length === 0 &&
    Object.keys(runtime.config.services).length === 0
  ) {
    runtime.logger.warn({}, 'API is open: no server.apiKeys configured');
  }
  io.stdout.write(`genrelay listening on ${server.url}\n`);
  await stopped;
  runtime.logger.info({}, 'shutting down');
  await server.close();
  runtime.logger.info({}, 'stopped');
}

/** `genrelay serve`: the HTTP API, until interrupted. */
export function addServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the HTTP API (OpenAI-compatible) until interrupted')
    .option('--host <address>', 'address to listen on (default: server.host)')
    .option(
      '-p, --port <number>',
      'port, 0 for any free one (default: server.port)',
      integerOption(0, 65_535),
    )
    .addOption(configOption())
    .action((options: ServeOptions) =>
      withRuntime({ config: options.config, purpose: 'server' }, io, (runtime) =>
        serve(runtime, io, options),
      ),
    );
}
