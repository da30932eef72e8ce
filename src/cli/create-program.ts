import { Command } from 'commander';
import { addChatCommand } from './chat-command.js';
import type { CliIo } from './cli-io.js';
import { addImageCommand } from './image-command.js';
import { addModelsCommand } from './models-command.js';
import { packageVersion } from './package-version.js';
import { addProvidersCommand } from './providers-command.js';
import { addServeCommand } from './serve-command.js';

/**
 * The `genrelay` program. It never exits the process: commander's own errors are thrown
 * (see runCli), and all output goes through `io`, so tests can run it in-process.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('genrelay')
    .description('A self-hostable gateway for AI chat and image generation')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // The same `genrelay: …` shape as every other error the commands report.
      outputError: (text, write) => write(`genrelay: ${text.replace(/^error: /, '')}`),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
  addServeCommand(program, io);
  addChatCommand(program, io);
  addImageCommand(program, io);
  addModelsCommand(program, io);
  addProvidersCommand(program, io);
  return program;
}
