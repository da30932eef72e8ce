import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { emptyCatalog, type ModelCatalog } from '../core/model-catalog.js';
import { CachedCatalog } from './cached-catalog.js';

const listed: ModelCatalog = { ...emptyCatalog, textModels: ['listed'] };
const fallback: ModelCatalog = { ...emptyCatalog, textModels: ['fallback'] };
const options = () => ({ signal: new AbortController().signal });

function catalog(
  list: () => Promise<ModelCatalog>,
  extra: { fixed?: ModelCatalog } = {},
) {
  let now = 0;
  const cached = new CachedCatalog({
    list,
    fallback: () => fallback,
    ttlMs: 60_000,
    provider: 'p',
    logger: silentLogger,
    now: () => now,
    ...extra,
  });
  return { cached, advance: (ms: number) => (now += ms) };
}

describe('CachedCatalog', () => {
  it('lists once for concurrent callers and again only after the cache time', async () => {
    let calls = 0;
    const { cached, advance } = catalog(async () => {
      calls++;
      return listed;
    });
    const [first, second] = await Promise.all([
      cached.catalog(options()),
      cached.catalog(options()),
    ]);
    expect([first, second, calls]).toEqual([listed, listed, 1]);
    advance(59_999);
    await cached.catalog(options());
    expect(calls).toBe(1);
    advance(1);
    await cached.catalog(options());
    expect(calls).toBe(2);
  });

  it('serves the fallback when listing fails, and asks again after 30 s', async () => {
    let up = false;
    const { cached, advance } = catalog(async () => {
      if (!up) throw new Error('down');
      return listed;
    });
    expect(await cached.catalog(options())).toBe(fallback);
    up = true;
    advance(29_999);
    expect(await cached.catalog(options())).toBe(fallback);
    advance(1);
    expect(await cached.catalog(options())).toBe(listed);
  });

  it('never lists when the catalog is fixed by configuration', async () => {
    const { cached, advance } = catalog(
      async () => {
        throw new Error('must not be asked');
      },
      { fixed: listed },
    );
    advance(10 ** 9);
    expect(await cached.catalog(options())).toBe(listed);
  });

  it('lets one caller give up without failing the others waiting on the same listing', async () => {
    let finish: (catalog: ModelCatalog) => void = () => {};
    let calls = 0;
    const { cached } = catalog(() => {
      calls++;
      return new Promise((resolve) => {
        finish = resolve;
      });
    });
    const impatient = new AbortController();
    const first = cached.catalog({ signal: impatient.signal });
    const second = cached.catalog(options());
    impatient.abort(new DOMException('gave up', 'AbortError'));
    await expect(first).rejects.toMatchObject({ code: 'canceled' });
    finish(listed);
    expect(await second).toBe(listed);
    expect(calls).toBe(1);
    // The listing was kept for later callers too.
    expect(await cached.catalog(options())).toBe(listed);
  });
});
