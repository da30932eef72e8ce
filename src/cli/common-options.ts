import { Option } from 'commander';

/** `--config <file>`, which every command accepts. */
export function configOption(): Option {
  return new Option(
    '-c, --config <file>',
    'configuration file (default: $GENRELAY_CONFIG, else ./genrelay.config.json)',
  );
}

/** `--json`: machine-readable output, one JSON object per line. */
export function jsonOption(): Option {
  return new Option('--json', 'print one JSON object per line');
}
