import { describe, expect, it } from 'vitest';
import { WalSync } from '../../src/store/wal-sync';

/** A disk whose in-line syncs take `inlineMs` on a fake clock, and whose pool syncs wait to be released. */
function disk(inlineMs: number) {
  let ms = 0;
  const state = { inlineMs, inline: 0, pool: [] as { done: () => void; fail: (err: Error) => void }[], wacht: (wachtMs: number) => void (ms += wachtMs) };
  const sync = new WalSync(
    {
      inline: () => {
        state.inline++;
        ms += state.inlineMs;
      },
      onPool: () => new Promise<void>((done, fail) => state.pool.push({ done, fail })),
    },
    () => ms,
  );
  return { sync, state };
}

describe('WalSync', () => {
  it('syncs each commit in-line, without a wait, while the disk syncs fast', () => {
    const { sync, state } = disk(0.1);
    for (let i = 0; i < 200; i++) expect(sync.flushed()).toBeUndefined();
    expect(state.inline).toBe(200);
    expect(state.pool).toHaveLength(0);
  });

  it('keeps syncing in-line through a rare slow sync: the last 32 still average well under 0.5 ms', () => {
    const { sync, state } = disk(0.1);
    for (let i = 0; i < 32; i++) sync.flushed();
    state.inlineMs = 5;
    expect(sync.flushed()).toBeUndefined();
    state.inlineMs = 0.1;
    expect(sync.flushed()).toBeUndefined();
    expect(state.pool).toHaveLength(0);
  });

  it('syncs on the thread pool once a disk is slow, with commits sharing a sync, and goes back in-line once probes find it fast', async () => {
    const { sync, state } = disk(2);
    expect(sync.flushed()).toBeUndefined();

    // Commits during a running sync share the one after it.
    const first = sync.flushed()!;
    const during = [sync.flushed()!, sync.flushed()!];
    expect(state.pool).toHaveLength(1);
    let settled = 0;
    void first.then(() => settled++);
    void Promise.all(during).then(() => (settled += 2));
    state.pool[0]!.done();
    await first;
    expect(settled).toBe(1);
    expect(state.pool).toHaveLength(2);
    state.pool[1]!.done();
    await Promise.all(during);
    expect(settled).toBe(3);
    expect(state.inline).toBe(1);

    // Within a second of the last in-line sync every commit goes to the pool; then one probes the
    // disk in-line. After four fast probes the in-line syncs average under 0.5 ms: (2 + 4 × 0.1) / 5.
    state.inlineMs = 0.1;
    for (let probe = 1; probe <= 4; probe++) {
      state.wacht(1000);
      expect(sync.flushed()).toBeUndefined();
      expect(state.inline).toBe(1 + probe);
      const next = sync.flushed();
      if (probe === 4) {
        expect(next).toBeUndefined();
        break;
      }
      expect(next).toBeInstanceOf(Promise);
      state.pool.at(-1)!.done();
      await next;
    }
    expect(state.inline).toBe(6);
  });

  it('fails the commit whose sync fails, in-line or on the pool', async () => {
    const failing = new WalSync({
      inline: () => {
        throw new Error('EIO');
      },
      onPool: () => Promise.reject(new Error('EIO')),
    });
    expect(() => failing.flushed()).toThrow('EIO');

    const { sync, state } = disk(5);
    sync.flushed();
    const commit = sync.flushed()!;
    state.pool[0]!.fail(new Error('EIO'));
    await expect(commit).rejects.toThrow('EIO');
  });
});
