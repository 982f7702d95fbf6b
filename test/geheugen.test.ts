import { LRUCache } from 'lru-cache';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ruimVerlopenOp } from '../src/geheugen';

afterEach(() => vi.useRealTimers());

describe('ruimVerlopenOp', () => {
  it('drops the entries past their ttl from memory within a minute (lru-cache alone only hides them), until it is stopped', () => {
    vi.useFakeTimers();
    let nu = 1_000;
    const cache = new LRUCache<string, string>({ max: 10, ttl: 5 * 60_000, perf: { now: () => nu } });
    const stop = ruimVerlopenOp(cache);
    cache.set('zaak', 'inhoud');
    nu += 5 * 60_000 + 1;
    expect(cache.size).toBe(1);
    expect([...cache.dump()].map(([k]) => k)).toEqual(['zaak']);
    vi.advanceTimersByTime(60_000);
    expect(cache.size).toBe(0);
    stop();
    cache.set('later', 'inhoud');
    nu += 5 * 60_000 + 1;
    vi.advanceTimersByTime(120_000);
    expect(cache.size).toBe(1);
  });
});
