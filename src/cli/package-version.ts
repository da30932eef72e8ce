import { readFileSync } from 'node:fs';

/**
 * The version in package.json, read at run time: it sits two folders up from both
 * `src/cli` and `dist/cli`, and importing it would put it outside the build's rootDir.
 */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const { version } = JSON.parse(text) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
