import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('the client entry point', () => {
  it('imports nothing at run time beyond its own folder (browsers load it as is)', async () => {
    const folder = new URL('.', import.meta.url);
    const files = (await readdir(folder)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    const outside: string[] = [];
    for (const name of files) {
      const source = await readFile(new URL(name, folder), 'utf8');
      for (const match of source.matchAll(
        /^(import|export)(?! type)[^;]*from '([^']+)'/gm,
      )) {
        if (!match[2]?.startsWith('./')) outside.push(`${name}: ${match[2]}`);
      }
    }
    expect(files).toContain('generator-client.ts');
    expect(outside).toEqual([]);
  });
});
