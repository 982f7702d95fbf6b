import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import type { Scheduler } from '../../src/dispatch/dispatcher';
import { OFFICIER, type User } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';
import { besluit, byKind, DISPATCH_CONFIG, jobs, lid, posted, seedCase, seedTeam } from './support';

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };

/** A scheduler that only remembers what it was asked to run, and when; the test runs it. */
class HandScheduler implements Scheduler {
  next?: { fn: () => void; ms: number; cancelled: boolean };
  private waiting: (() => void)[] = [];
  schedule(fn: () => void, ms: number): () => void {
    const entry = { fn, ms, cancelled: false };
    this.next = entry;
    for (const resolve of this.waiting.splice(0)) resolve();
    return () => {
      entry.cancelled = true;
    };
  }
  /** Resolves when the dispatcher has finished a tick and asked for the next one. */
  scheduled(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

describe('the dispatcher in the bot process', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('starts after listen, delivers what was missed once, polls at DISPATCH_POLL_MS, and stops with the bot', async () => {
    const scheduler = new HandScheduler();
    const first = scheduler.scheduled();
    // Seed a job that fell due while no instance ran, before the bot starts.
    const probe = await startHarness({ now: '2026-12-01T12:00:00Z', config: DISPATCH_CONFIG, dispatch: { mode: 'off' } });
    probe.connector.members = [OFFICIER, HALT].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await seedTeam(probe, { digestCron: '0 6 1 6 *' });
    const zaak = await seedCase(probe, '13/700001-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-12-01' }]));
    expect(probe.bot.dispatcher).toBeUndefined();
    await probe.bot.stop();

    h = await startHarness({ now: '2026-12-01T12:00:00Z', config: { ...DISPATCH_CONFIG, DISPATCH_POLL_MS: '45000', SQLITE_PATH: probe.sqlitePath }, connector: probe.connector, dispatch: { mode: 'auto', scheduler, owner: 'this-process' } });
    await first;
    expect(byKind(await jobs(h, zaak.id), 'actie.vervaldatum')[0]).toMatchObject({ status: 'verzonden', leaseOwner: 'this-process' });
    expect(posted(h)).toHaveLength(1);
    expect(scheduler.next?.ms).toBe(45_000);

    // The next poll finds nothing more to send.
    const second = scheduler.scheduled();
    scheduler.next!.fn();
    await second;
    expect(posted(h)).toHaveLength(1);

    const pending = scheduler.next!;
    await h.bot.stop();
    expect(pending.cancelled).toBe(true);
    expect(h.logs.some((l) => l.msg === 'dispatcher stopped' && l.owner === 'this-process')).toBe(true);
    await probe.connector.stop();
    h = undefined;
  });

  it('has no dispatcher with DISPATCH_ENABLED=false', async () => {
    h = await startHarness({ config: { DISPATCH_ENABLED: 'false' }, dispatch: {} });
    expect(h.bot.dispatcher).toBeUndefined();
  });

  it('validates the dispatcher settings', () => {
    const base = { VERDIEP_ENV: 'local' };
    const problems = (extra: Record<string, string>) => {
      const parsed = parseConfig({ ...base, ...extra });
      return parsed.ok ? [] : parsed.problems;
    };
    expect(problems({})).toEqual([]);
    expect(parseConfig(base)).toMatchObject({ ok: true, config: { dispatch: { enabled: true, pollMs: 30_000, leaseMs: 300_000, timeoutMs: 15_000, digestCron: '0 9 * * 1' } } });
    expect(problems({ DISPATCH_LEASE_MS: '1000', DISPATCH_TIMEOUT_MS: '500' })).toEqual([expect.stringMatching(/^config DISPATCH_LEASE_MS: at least four times DISPATCH_TIMEOUT_MS/)]);
    expect(problems({ DIGEST_CRON: 'maandag 9 uur' })).toEqual([expect.stringMatching(/^config DIGEST_CRON: a five-field cron line/)]);
    expect(problems({ DISPATCH_ENABLED: 'ja' })).toEqual(['config DISPATCH_ENABLED: true or false']);
  });
});
