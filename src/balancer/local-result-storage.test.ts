import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CanceledError } from '../core/errors.js';
import { LocalResultStorage } from './local-result-storage.js';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

let folder: string;
let storage: LocalResultStorage;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'genrelay-local-storage-'));
  storage = new LocalResultStorage(join(folder, 'results'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('LocalResultStorage.delete', () => {
  it('removes the stored file, and only that one', async () => {
    const gone = await storage.save(png, 'image/png');
    const staying = await storage.save(png, 'image/png');

    await storage.delete(gone.key);

    expect(await storage.open(gone.key)).toBeUndefined();
    expect(await readdir(join(folder, 'results'))).toEqual([staying.key]);
  });

  it('takes a key that is not stored, or no longer, as done', async () => {
    const stored = await storage.save(png, 'image/png');
    await storage.delete(stored.key);
    await expect(storage.delete(stored.key)).resolves.toBeUndefined();
    // Nothing was ever saved here: the folder does not even exist.
    const empty = new LocalResultStorage(join(folder, 'never-made'));
    await expect(
      empty.delete('00000000-0000-0000-0000-000000000000.png'),
    ).resolves.toBeUndefined();
  });

  it('ignores a malformed key, so no file outside the folder can be named', async () => {
    await mkdir(join(folder, 'results'));
    await writeFile(join(folder, 'outside.png'), png);
    await writeFile(join(folder, 'results', 'inside.png'), png);

    for (const key of ['../outside.png', 'inside.png', '']) await storage.delete(key);

    expect((await readdir(folder)).sort()).toEqual(['outside.png', 'results']);
    expect(await readdir(join(folder, 'results'))).toEqual(['inside.png']);
  });

  it('reports a failure other than a missing file', async () => {
    const key = '00000000-0000-0000-0000-000000000000.png';
    // A folder under a result's name cannot be unlinked.
    await mkdir(join(folder, 'results', key), { recursive: true });
    await expect(storage.delete(key)).rejects.toMatchObject({
      code: expect.stringMatching(/^(EISDIR|EPERM)$/),
    });
  });
});

describe('LocalResultStorage with an aborted signal', () => {
  it('neither saves nor deletes, and leaves no partial file', async () => {
    const stored = await storage.save(png, 'image/png');
    const stopped = AbortSignal.abort();

    await expect(storage.save(png, 'image/png', stopped)).rejects.toBeInstanceOf(
      CanceledError,
    );
    await expect(storage.delete(stored.key, stopped)).rejects.toBeInstanceOf(
      CanceledError,
    );

    expect(await readdir(join(folder, 'results'))).toEqual([stored.key]);
  });
});
