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

/** `n` commits in one turn of the event loop; resolves once they are all synced. */
const beurt = (sync: WalSync, n = 1) => Promise.all(Array.from({ length: n }, () => sync.flushed()));

describe('WalSync', () => {
  it('syncs in-line at the end of the event loop turn, one sync for the commits made in it, while the disk syncs fast', async () => {
    const { sync, state } = disk(0.1);
    let synced = false;
    const drie = beurt(sync, 3).then(() => (synced = true));
    expect(state.inline).toBe(0);
    expect(synced).toBe(false);
    await drie;
    expect(state.inline).toBe(1);
    for (let i = 0; i < 200; i++) await beurt(sync);
    expect(state.inline).toBe(201);
    expect(state.pool).toHaveLength(0);
  });

  it('judges the disk per commit: a 1.2 ms sync shared by four commits stays in-line, one per commit goes to the pool', async () => {
    const { sync, state } = disk(1.2);
    await beurt(sync, 4);
    // 1.2 ms for 4 commits, then 2.4 ms for 5: under 0.5 ms a commit.
    await beurt(sync);
    await beurt(sync);
    expect(state.inline).toBe(3);
    // 3.6 ms for 6 commits: this one waits for the pool.
    const op = beurt(sync);
    expect(state.pool).toHaveLength(1);
    state.pool[0]!.done();
    await op;
    expect(state.inline).toBe(3);
  });

  it('keeps syncing in-line through a rare slow sync: the last 32 still average well under 0.5 ms a commit', async () => {
    const { sync, state } = disk(0.1);
    for (let i = 0; i < 32; i++) await beurt(sync);
    state.inlineMs = 5;
    await beurt(sync);
    state.inlineMs = 0.1;
    await beurt(sync);
    expect(state.inline).toBe(34);
    expect(state.pool).toHaveLength(0);
  });

  it('syncs on the thread pool once a disk is slow, with commits sharing a sync, and goes back in-line once probes find it fast', async () => {
    const { sync, state } = disk(2);
    await beurt(sync);
    expect(state.inline).toBe(1);

    // Commits during a running sync share the one after it.
    const first = sync.flushed();
    const during = [sync.flushed(), sync.flushed()];
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
      await beurt(sync);
      expect(state.inline).toBe(1 + probe);
      const pool = state.pool.length;
      const next = beurt(sync);
      if (probe === 4) {
        await next;
        expect(state.pool).toHaveLength(pool);
        break;
      }
      expect(state.pool).toHaveLength(pool + 1);
      state.pool.at(-1)!.done();
      await next;
    }
    expect(state.inline).toBe(6);
  });

  it('fails every commit whose sync fails, in-line or on the pool', async () => {
    const failing = new WalSync({
      inline: () => {
        throw new Error('EIO');
      },
      onPool: () => Promise.reject(new Error('EIO')),
    });
    const samen = [failing.flushed(), failing.flushed()];
    for (const commit of samen) await expect(commit).rejects.toThrow('EIO');

    const { sync, state } = disk(5);
    await beurt(sync);
    const commit = sync.flushed();
    state.pool[0]!.fail(new Error('EIO'));
    await expect(commit).rejects.toThrow('EIO');
  });

  it('is idle only once the in-line sync planned for this turn has run', async () => {
    const { sync, state } = disk(0.1);
    const commit = sync.flushed();
    await sync.idle();
    expect(state.inline).toBe(1);
    await commit;
  });
});
