import { describe, expect, it } from 'vitest';
import { zaakgesprekJob, type ScheduledJob } from '../../src/domain/jobs';
import { vervalReden } from '../../src/domain/opvolging';
import { defaultRetryPolicy, ZaakService, type RetryPolicy } from '../../src/domain/service';
import { DomainError, record, type Actor, type NewZaakEvent, type Verdiepingszaak, type ZaakEvent } from '../../src/domain/zaak';
import { ConcurrencyError, type Store } from '../../src/store/store';

const LEAD: Actor = { id: 'aad-lead', name: 'Officier Van Dijk' };
const ids = { teamId: 't1', caseId: 'zaak-1' };
const NOW = new Date('2026-11-28T10:00:00Z');

const stap = (stap: number, zorg: string): NewZaakEvent => ({ type: 'principe.vastgelegd', data: { stap, status: 'ingevuld', antwoorden: { zorg } } });

/**
 * A store holding one case in memory. `rivals` writes by "another process" land just before each
 * of our next appends, so those lose the race; `appends` records every write that got through.
 */
function memoryStore(rivals = 0) {
  let zaak = record(undefined, ids, LEAD, NOW, [{ type: 'zaak.gemarkeerd', data: { reference: '13/1-26', types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } }]).zaak;
  const appends: ZaakEvent[][] = [];
  const jobWrites: ScheduledJob[][] = [];
  let left = rivals;
  const store = {
    async getCase() {
      return zaak;
    },
    async appendEvents(next: Verdiepingszaak, expectedVersion: number, events: ZaakEvent[], jobs: ScheduledJob[] = []) {
      if (left > 0) {
        left--;
        zaak = record(zaak, ids, { id: 'aad-rival', name: 'Ander proces' }, NOW, [stap(9, `rivaal ${left}`)]).zaak;
      }
      if (expectedVersion !== zaak.version) throw new ConcurrencyError('case zaak-1');
      zaak = next;
      appends.push(events);
      jobWrites.push(jobs);
    },
  } as unknown as Store;
  return { store, appends, jobWrites, current: () => zaak };
}

/** Time that moves only when the service sleeps; every wait is recorded. */
function manualTime(random = () => 1, budgetMs = defaultRetryPolicy.budgetMs): RetryPolicy & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return { ...defaultRetryPolicy, budgetMs, random, waits, elapsed: () => now, sleep: async (ms) => void (waits.push(ms), (now += ms)) };
}

const service = (store: Store, retry: RetryPolicy, opgeslagen?: (teamId: string, caseId: string, meldingen: readonly ScheduledJob[]) => void) =>
  new ZaakService(store, { now: () => NOW }, { next: () => 'x' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 }, retry, opgeslagen);

describe('ZaakService.change under contention', () => {
  it('decides again on the fresh case after each lost race, waiting a jittered, doubling time', async () => {
    const { store, current } = memoryStore(4);
    const time = manualTime();
    const seen: number[] = [];
    const saved = await service(store, time).change('t1', 'zaak-1', LEAD, (z) => (seen.push(z.version), [stap(1, 'mijn antwoord')]));
    // Four rivals each won once; every retry saw their write, and ours landed on top of all four.
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(saved.version).toBe(6);
    expect(current().principes[1]?.antwoorden).toEqual({ zorg: 'mijn antwoord' });
    expect(current().principes[9]?.versie).toBe(4);
    expect(time.waits).toEqual([10, 20, 40, 80]);
  });

  it('spreads racing writers with full jitter, and caps a wait', async () => {
    const { store } = memoryStore(8);
    const time = manualTime(() => 0.5);
    await service(store, time).change('t1', 'zaak-1', LEAD, () => [stap(1, 'a')]);
    expect(time.waits).toEqual([5, 10, 20, 40, 80, 125, 125, 125]);
  });

  it('gives up with the ConcurrencyError once the time budget is spent, not after a number of tries', async () => {
    const { store, appends } = memoryStore(1_000);
    const time = manualTime(() => 1, 1_000);
    await expect(service(store, time).change('t1', 'zaak-1', LEAD, () => [stap(1, 'a')])).rejects.toBeInstanceOf(ConcurrencyError);
    expect(appends).toEqual([]);
    expect(time.waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_000);
    expect(time.waits.at(-1)).toBe(250);
  });

  it('writes changes that wait for the same case in this process together, each decided on the case the previous left', async () => {
    const { store, appends, current } = memoryStore();
    const s = service(store, manualTime());
    const refused = new DomainError('Deze stap is intussen door iemand anders herzien.');
    const results = await Promise.allSettled([
      s.change('t1', 'zaak-1', LEAD, () => [stap(1, 'eerste')]),
      s.change('t1', 'zaak-1', LEAD, (z) => [stap(2, `na versie ${z.version}`)]),
      s.change('t1', 'zaak-1', LEAD, (z) => {
        if (z.principes[1]) throw refused;
        return [stap(1, 'kwam te laat')];
      }),
      s.change('t1', 'zaak-1', LEAD, (z) => [stap(3, `na versie ${z.version}`)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toBe(refused);
    // The first went alone; the two that queued behind it went in one write.
    expect(appends.map((events) => events.map((e) => e.seq))).toEqual([[2], [3, 4]]);
    expect(current().principes[2]?.antwoorden).toEqual({ zorg: 'na versie 2' });
    expect(current().principes[3]?.antwoorden).toEqual({ zorg: 'na versie 3' });
    expect(current().principes[1]?.antwoorden).toEqual({ zorg: 'eerste' });
  });
});

describe('ZaakService.change with the case the caller just read', () => {
  /** Counts the store's reads of the case. */
  function counted(rivals = 0) {
    const m = memoryStore(rivals);
    let reads = 0;
    const getCase = m.store.getCase.bind(m.store);
    m.store.getCase = async (...args) => (reads++, getCase(...args));
    return { ...m, reads: () => reads };
  }

  it('decides on it and writes without reading the case again', async () => {
    const { store, appends, current, reads } = counted();
    const gelezen = current();
    const saved = await service(store, manualTime()).change('t1', 'zaak-1', LEAD, () => [stap(1, 'a')], { gelezen });
    expect(reads()).toBe(0);
    expect(appends).toHaveLength(1);
    expect(saved.principes[1]?.antwoorden).toEqual({ zorg: 'a' });
  });

  it('decides again on a fresh read, at once, when another process wrote after it was read', async () => {
    const { store, current, reads } = counted(1);
    const time = manualTime();
    const seen: number[] = [];
    const saved = await service(store, time).change('t1', 'zaak-1', LEAD, (z) => (seen.push(z.version), [stap(1, 'mijn antwoord')]), { gelezen: current() });
    expect(seen).toEqual([1, 2]);
    expect(reads()).toBe(1);
    expect(time.waits).toEqual([]);
    expect(saved.principes[9]?.versie).toBe(1);
    expect(current().principes[1]?.antwoorden).toEqual({ zorg: 'mijn antwoord' });
  });

  it('does not refuse a change on a stale read: the refusal stands only on the stored case', async () => {
    const { store, current, reads } = counted();
    const oud = current();
    await service(store, manualTime()).change('t1', 'zaak-1', LEAD, () => [stap(1, 'van een ander')]);
    // The caller read version 1; step 1 was filled in since. Its decision refuses on the fresh case only.
    const refused = new DomainError('Deze stap is intussen door iemand anders herzien.');
    const decided: number[] = [];
    const result = service(store, manualTime()).change('t1', 'zaak-1', LEAD, (z) => {
      decided.push(z.version);
      if (z.principes[1]) throw refused;
      return [];
    }, { gelezen: oud });
    await expect(result).rejects.toBe(refused);
    expect(decided).toEqual([1, 2]);
    expect(reads()).toBe(2);
  });
});

describe('ZaakService.changeMetAntwoord', () => {
  /** A store whose appends wait until `release` is called: a disk sync or a round trip under way. */
  function heldStore(rivals = 0) {
    const m = memoryStore(rivals);
    const append = m.store.appendEvents.bind(m.store);
    const held: (() => void)[] = [];
    m.store.appendEvents = async (...args) => {
      // The write is decided at once (as SQLite commits); what waits is its end (the sync).
      const done = append(...args);
      done.catch(() => undefined);
      await new Promise<void>((resolve) => held.push(resolve));
      return done;
    };
    return { ...m, held, release: () => held.splice(0).forEach((r) => r()) };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('makes the answer from the case as it will be stored while the write is under way, and answers once it is done', async () => {
    const { store, release, current } = heldStore();
    const made: number[] = [];
    let answered = false;
    const result = service(store, manualTime())
      .changeMetAntwoord('t1', 'zaak-1', LEAD, () => [stap(1, 'a')], (z) => (made.push(z.version), `versie ${z.version}`))
      .then((r) => ((answered = true), r));
    await settle();
    expect(made).toEqual([2]);
    expect(answered).toBe(false);
    release();
    const { zaak, antwoord } = await result;
    expect(antwoord).toBe('versie 2');
    expect(zaak.version).toBe(2);
    expect(current().version).toBe(2);
  });

  it('makes the answer again for the case decided anew when the write lost a race', async () => {
    const { store, release } = heldStore(1);
    const made: number[] = [];
    const result = service(store, manualTime()).changeMetAntwoord('t1', 'zaak-1', LEAD, () => [stap(1, 'a')], (z) => (made.push(z.version), z.principes[9]?.antwoorden.zorg));
    for (let i = 0; i < 5 && made.length < 2; i++) {
      await settle();
      release();
    }
    // The rival's step 9 is in the answer that goes out; the first answer was made for a write that failed.
    expect(await result).toMatchObject({ antwoord: 'rivaal 0', zaak: { version: 3 } });
    expect(made).toEqual([2, 3]);
  });

  it('stores the change even when making the answer fails, and then reports that failure', async () => {
    const { store, release, appends } = heldStore();
    const kapot = new Error('kaart kon niet worden gemaakt');
    const result = service(store, manualTime()).changeMetAntwoord('t1', 'zaak-1', LEAD, () => [stap(1, 'a')], () => {
      throw kapot;
    });
    let settled = false;
    void result.catch(() => undefined).finally(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    release();
    await expect(result).rejects.toBe(kapot);
    expect(appends).toHaveLength(1);
  });

  it('makes the answer without a write when nothing changed', async () => {
    const { store, appends } = heldStore();
    const { zaak, antwoord } = await service(store, manualTime()).changeMetAntwoord('t1', 'zaak-1', LEAD, () => [], (z) => z.version);
    expect(antwoord).toBe(1);
    expect(zaak.version).toBe(1);
    expect(appends).toEqual([]);
  });
});

describe('ZaakService.change with a status notice', () => {
  /** A notice naming the version of the case right after its change and the step it saw. */
  const melding = (z: Verdiepingszaak) => ({ naar: 'thread-1', kaart: { tekst: `versie ${z.version}, stap 9: ${z.principes[9]?.antwoorden.zorg ?? '-'}` } });
  const meldingenIn = (jobs: readonly ScheduledJob[]) => jobs.filter((j) => j.kind === 'melding').map((j) => [j.id, j.status, j.dueAt, j.antwoord]);

  it('writes each notice in its change\'s own write, made from the case right after that change, and tells the process once it is stored', async () => {
    const { store, jobWrites } = memoryStore();
    const told: [string, string, string[]][] = [];
    const s = service(store, manualTime(), (teamId, caseId, meldingen) => told.push([teamId, caseId, meldingen.map((j) => j.id)]));
    await Promise.all([
      s.change('t1', 'zaak-1', LEAD, () => [stap(1, 'a')], { melding }),
      s.change('t1', 'zaak-1', LEAD, () => [stap(2, 'b')], { melding }),
      s.change('t1', 'zaak-1', LEAD, () => [stap(3, 'c')], { melding }),
    ]);
    const at = NOW.toISOString();
    // The first went alone; the two that queued behind it went in one write, each with the notice of its own version.
    expect(jobWrites.map(meldingenIn)).toEqual([
      [['melding:zaak-1:2', 'gepland', at, { naar: 'thread-1', kaarten: [{ tekst: 'versie 2, stap 9: -' }] }]],
      [
        ['melding:zaak-1:3', 'gepland', at, { naar: 'thread-1', kaarten: [{ tekst: 'versie 3, stap 9: -' }] }],
        ['melding:zaak-1:4', 'gepland', at, { naar: 'thread-1', kaarten: [{ tekst: 'versie 4, stap 9: -' }] }],
      ],
    ]);
    expect(told).toEqual([
      ['t1', 'zaak-1', ['melding:zaak-1:2']],
      ['t1', 'zaak-1', ['melding:zaak-1:3', 'melding:zaak-1:4']],
    ]);
  });

  it('makes the notice again for the case decided anew when the write lost a race; only that one is written', async () => {
    const { store, jobWrites } = memoryStore(1);
    await service(store, manualTime()).change('t1', 'zaak-1', LEAD, () => [stap(1, 'a')], { melding });
    expect(jobWrites.map(meldingenIn)).toEqual([[['melding:zaak-1:3', 'gepland', NOW.toISOString(), { naar: 'thread-1', kaarten: [{ tekst: 'versie 3, stap 9: rivaal 0' }] }]]]);
  });

  it('refuses a change whose notice cannot be made, and only that change', async () => {
    const { store, appends, jobWrites, current } = memoryStore();
    const s = service(store, manualTime());
    const kapot = new Error('melding kon niet worden gemaakt');
    const results = await Promise.allSettled([
      s.change('t1', 'zaak-1', LEAD, () => [stap(1, 'a')]),
      s.change('t1', 'zaak-1', LEAD, () => [stap(2, 'b')], {
        melding: () => {
          throw kapot;
        },
      }),
      s.change('t1', 'zaak-1', LEAD, () => [stap(3, 'c')], { melding }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBe(kapot);
    expect(current().principes[2]).toBeUndefined();
    expect(appends.map((events) => events.map((e) => e.type))).toEqual([['principe.vastgelegd'], ['principe.vastgelegd']]);
    expect(jobWrites.map(meldingenIn).flat().map(([id]) => id)).toEqual(['melding:zaak-1:3']);
  });

  it('writes no notice when the change changes nothing', async () => {
    const { store, appends } = memoryStore();
    let asked = 0;
    await service(store, manualTime()).change('t1', 'zaak-1', LEAD, () => [], { melding: (z) => (asked++, melding(z)) });
    expect(asked).toBe(0);
    expect(appends).toEqual([]);
  });
});

describe('the zaakgesprek job a flag is written with', () => {
  const markering = { reference: '13/2-26', types: ['jeugd' as const], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte' as const, leeftijd: '12-17' as const }] };
  const flagged = async (naMs?: number) => {
    const created: { zaak: Verdiepingszaak; jobs: ScheduledJob[] }[] = [];
    const store = { createCase: async (zaak: Verdiepingszaak, _events: ZaakEvent[], jobs: ScheduledJob[] = []) => void created.push({ zaak, jobs }) } as unknown as Store;
    const service = new ZaakService(store, { now: () => NOW }, { next: () => 'zaak-9' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
    await service.flag('t1', markering, LEAD, naMs);
    return created[0]!;
  };

  it('is written in the flag\'s own write, due when the turn\'s time to open the thread is up', async () => {
    const { zaak, jobs } = await flagged(300_000);
    expect(jobs.map((j) => [j.id, j.kind, j.caseId, j.status, j.dueAt])).toEqual([[`zaakgesprek:${zaak.id}`, 'zaakgesprek', 'zaak-9', 'gepland', '2026-11-28T10:05:00.000Z']]);
    expect(zaakgesprekJob(zaak, 300_000)).toEqual(jobs[0]);
  });

  it('is not written for a case flagged without a turn that opens its thread', async () => {
    expect((await flagged()).jobs).toEqual([]);
  });

  it('is needed until the case has both its thread and its verdiepingskaart, and not once it is closed', async () => {
    const { zaak, jobs } = await flagged(300_000);
    const job = jobs[0]!;
    const thread = { channelId: 'c', conversationId: 'c;messageid=1', rootMessageId: '1' };
    const na = (...events: NewZaakEvent[]) => record(zaak, { teamId: 't1', caseId: zaak.id }, LEAD, NOW, events).zaak;
    expect(vervalReden(zaak, job, NOW, 'Europe/Amsterdam')).toBeUndefined();
    expect(vervalReden(na({ type: 'zaak.thread_geopend', data: thread }), job, NOW, 'Europe/Amsterdam')).toBeUndefined();
    expect(vervalReden(na({ type: 'zaak.thread_geopend', data: thread }, { type: 'zaak.verdiepingskaart_geplaatst', data: { messageId: '2' } }), job, NOW, 'Europe/Amsterdam')).toBe('het zaakgesprek staat er al');
    expect(vervalReden({ ...zaak, fase: 'gesloten' }, job, NOW, 'Europe/Amsterdam')).toBe('zaak is gesloten');
  });
});
