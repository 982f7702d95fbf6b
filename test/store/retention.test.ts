import { describe, expect, it } from 'vitest';
import { ZaakService } from '../../src/domain/service';
import { createLogger } from '../../src/log';
import { startRetention } from '../../src/store/retention';
import { SqliteStore } from '../../src/store/sqlite';

const DAY = 86_400_000;
const actor = { id: 'aad-o', name: 'Officier' };

/** A case flagged and closed on 10 January 2026 (SQLite in memory), and a clock to move on. */
async function geslotenZaak(leeropbrengst: string) {
  const store = new SqliteStore(':memory:');
  let now = Date.parse('2026-01-10T10:00:00Z');
  let n = 0;
  const clock = { now: () => new Date(now) };
  const service = new ZaakService(store, clock, { next: () => `id-${++n}` }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
  const zaak = await service.flag('t1', { reference: '13/1-26', types: ['zeden'], signaal: 'Signaal van de zaak.', betrokkenen: [{ rol: 'slachtoffer', leeftijd: '12-17' }] }, actor);
  await service.change('t1', zaak.id, actor, () => [{ type: 'zaak.gesloten', data: { leeropbrengst, uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
  return { store, clock, zaak, op: (ms: number) => (now = ms) };
}

describe('retention of learning records', () => {
  it('purges the case after BEWAARTERMIJN_DAGEN but its learning record only after LEERREGEL_BEWAARTERMIJN_DAGEN', async () => {
    const { store, clock, zaak, op } = await geslotenZaak('Eerder de zedenrechercheur erbij');
    const retention = startRetention(store, clock, 365, createLogger('silent'), { timers: false, leerregels: { dagen: 1825, timeZone: 'Europe/Amsterdam' } });

    op(Date.parse('2026-01-10T10:00:00Z') + 366 * DAY);
    expect(await retention.run()).toBe(1);
    expect(await store.getCase('t1', zaak.id)).toBeUndefined();
    expect(await store.listLeerregels('t1')).toHaveLength(1);

    // 1825 days after January's last day, not yet after its first.
    op(Date.parse('2031-01-20T10:00:00Z'));
    await retention.run();
    expect(await store.listLeerregels('t1')).toHaveLength(1);
    op(Date.parse('2031-02-05T10:00:00Z'));
    await retention.run();
    expect(await store.listLeerregels('t1')).toEqual([]);
    await store.close();
  });

  it('tells the process after a pass that purged cases (it forgets the cards it expanded), and not after one that purged none', async () => {
    const { store, clock, op } = await geslotenZaak('');
    let gewist = 0;
    const retention = startRetention(store, clock, 365, createLogger('silent'), { timers: false, naWissen: () => gewist++ });
    expect(await retention.run()).toBe(0);
    expect(gewist).toBe(0);
    op(Date.parse('2026-01-10T10:00:00Z') + 366 * DAY);
    expect(await retention.run()).toBe(1);
    expect(gewist).toBe(1);
    expect(await retention.run()).toBe(0);
    expect(gewist).toBe(1);
    await store.close();
  });
});
