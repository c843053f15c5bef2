import { describe, expect, it } from 'vitest';
import { SearchCache } from './search-cache.js';

describe('search cache', () => {
  it('serves a repeated search from memory until the catalog changes', async () => {
    const cache = new SearchCache<number>(60_000);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get('q=a', compute)).toBe(1);
    expect(await cache.get('q=a', compute)).toBe(1);
    cache.invalidate();
    expect(await cache.get('q=a', compute)).toBe(2);
    expect(cache.hits).toBe(1);
  });

  it('lets concurrent misses share one computation', async () => {
    const cache = new SearchCache<number>(60_000);
    let calls = 0;
    const slow = () => new Promise<number>((r) => setTimeout(() => r(++calls), 20));
    const values = await Promise.all([cache.get('q', slow), cache.get('q', slow), cache.get('q', slow)]);
    expect(values).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });

  it('does not keep a page computed while the catalog changed', async () => {
    const cache = new SearchCache<number>(60_000);
    let calls = 0;
    await cache.get('q', async () => {
      cache.invalidate();
      return ++calls;
    });
    expect(await cache.get('q', async () => ++calls)).toBe(2);
  });

  it('expires entries and evicts the least recently used; a TTL of 0 disables it', async () => {
    const cache = new SearchCache<string>(60_000, 2);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2'); // a is now most recent
    await cache.get('c', async () => 'c1'); // evicts b
    expect(await cache.get('b', async () => 'b2')).toBe('b2');
    const off = new SearchCache<number>(0);
    let n = 0;
    await off.get('x', async () => ++n);
    expect(await off.get('x', async () => ++n)).toBe(2);
  });
});
