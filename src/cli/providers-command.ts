import type { Command } from 'commander';
import { providerFactories } from '../providers/provider-registry.js';
import type { CliIo } from './cli-io.js';
import { configOption, jsonOption } from './common-options.js';
import { formatTable } from './format-table.js';
import { providerRows } from './provider-rows.js';
import { withJsonErrors } from './with-json-errors.js';
import { withRuntime } from './with-runtime.js';

interface ProvidersOptions {
  config?: string;
  json?: boolean;
}

/** The credential variables of each provider type, once per type, below the table. */
function environmentLines(types: readonly string[]): string {
  const lines = providerFactories
    .filter(
      (factory) => types.includes(factory.type) && factory.environment !== undefined,
    )
    .map((factory) => `  ${factory.type}: ${(factory.environment ?? []).join('; ')}\n`);
  return lines.length === 0
    ? ''
    : `\ncredentials from the environment:\n${lines.join('')}`;
}

/** `genrelay providers`: the configured instances, their health and credential variables. */
export function addProvidersCommand(program: Command, io: CliIo): void {
  program
    .command('providers')
    .description('list the configured provider instances and their health')
    .addOption(configOption())
    .addOption(jsonOption())
    .action((options: ProvidersOptions) =>
      withJsonErrors(io, options.json, () =>
        withRuntime(
          { config: options.config, purpose: 'command' },
          io,
          async (runtime) => {
            const rows = providerRows(runtime);
            if (options.json === true) {
              for (const row of rows) io.stdout.write(`${JSON.stringify(row)}\n`);
              return;
            }
            if (rows.length === 0) {
              const hint = environmentLines(
                providerFactories.map((factory) => factory.type),
              );
              io.stderr.write(
                `No providers: add some under "providers" in the configuration.\n${hint}`,
              );
              return;
            }
            const table = rows.map((row) => [
              row.id,
              row.type,
              row.enabled ? 'yes' : 'no',
              row.status,
              row.label,
            ]);
            io.stdout.write(
              formatTable(['id', 'type', 'enabled', 'status', 'label'], table),
            );
            io.stdout.write(environmentLines(rows.map((row) => row.type)));
          },
        ),
      ),
    );
}
