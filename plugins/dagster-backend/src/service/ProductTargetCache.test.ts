import { ConfigReader } from '@backstage/config';
import { ProductTargetCache } from './ProductTargetCache';
import { readProductCacheSeconds } from './RunsService';

describe('readProductCacheSeconds', () => {
  const read = (productCacheSeconds?: number | string) =>
    readProductCacheSeconds(
      new ConfigReader({
        dagster: { baseUrl: 'http://d', productCacheSeconds },
      }),
    );

  it('reads dagster.productCacheSeconds, 5 by default, and names the key of a bad value', () => {
    expect(read()).toBe(5);
    expect(read(0)).toBe(0);
    expect(read(30)).toBe(30);
    expect(() => read(-1)).toThrow(
      'dagster.productCacheSeconds must be between 0 and 300 seconds, not -1',
    );
    expect(() => read(301)).toThrow(/productCacheSeconds/);
    expect(() => read('soon')).toThrow(/productCacheSeconds/);
  });
});

describe('ProductTargetCache', () => {
  it('reuses a loaded value until it expires, sharing a load in flight', async () => {
    let now = 1000;
    const cache = new ProductTargetCache<string>({
      ttlMs: 5000,
      now: () => now,
    });
    let loads = 0;
    const load = jest.fn(async (): Promise<string> => `v${++loads}`);

    const [a, b] = await Promise.all([
      cache.get('p', load),
      cache.get('p', load),
    ]);
    expect([a, b]).toEqual(['v1', 'v1']);
    now += 4999;
    expect(await cache.get('p', load)).toBe('v1');
    now += 1;
    expect(await cache.get('p', load)).toBe('v2');
    expect(await cache.get('q', load)).toBe('v3');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('never remembers a failed load, and refresh always loads', async () => {
    const cache = new ProductTargetCache<string>({ ttlMs: 5000 });
    const failing = jest.fn(async () => {
      throw new Error('catalog down');
    });
    await expect(cache.get('p', failing)).rejects.toThrow('catalog down');
    await expect(cache.get('p', failing)).rejects.toThrow('catalog down');
    expect(failing).toHaveBeenCalledTimes(2);

    let loads = 0;
    const load = jest.fn(async (): Promise<string> => `v${++loads}`);
    expect(await cache.get('p', load)).toBe('v1');
    expect(await cache.refresh('p', load)).toBe('v2');
    expect(await cache.get('p', load)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('loads every time with ttlMs 0', async () => {
    const cache = new ProductTargetCache<number>({ ttlMs: 0 });
    const load = jest.fn(async () => 1);
    await cache.get('p', load);
    await cache.get('p', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
