import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { configOption, jsonOption } from './common-options.js';
import { formatTable } from './format-table.js';
import { withJsonErrors } from './with-json-errors.js';
import { withRuntime } from './with-runtime.js';

interface ModelsOptions {
  config?: string;
  json?: boolean;
}

/** `genrelay models`: every model and alias the configured providers serve. */
export function addModelsCommand(program: Command, io: CliIo): void {
  program
    .command('models')
    .description('list the models and aliases the configured providers serve')
    .addOption(configOption())
    .addOption(jsonOption())
    .action((options: ModelsOptions) =>
      withJsonErrors(io, options.json, () =>
        withRuntime(
          { config: options.config, purpose: 'command' },
          io,
          async (runtime) => {
            const controller = new AbortController();
            const stopListening = io.onInterrupt(() => controller.abort());
            const models = await runtime.router
              .listModels({ signal: controller.signal })
              .finally(stopListening);
            models.sort(
              (a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
            );
            if (options.json === true) {
              for (const model of models) io.stdout.write(`${JSON.stringify(model)}\n`);
            } else if (models.length === 0) {
              io.stderr.write(
                'No models: no provider is configured, or none answered.\n',
              );
            } else {
              const rows = models.map((model) => [
                model.id,
                model.kind,
                model.providers.join(', '),
              ]);
              io.stdout.write(formatTable(['id', 'kind', 'providers'], rows));
            }
          },
        ),
      ),
    );
}
