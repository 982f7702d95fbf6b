import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import type { Sleep } from '../../src/dispatch/verzender';
import { Beurtrij, ECHTE_TENANT_GRENZEN, Tempo, type Grens } from '../../src/dispatch/tempo';
import type { TeamsPort } from '../../src/dispatch/teams-port';
import { ZaakService } from '../../src/domain/service';
import { createLogger } from '../../src/log';
import { SqliteStore } from '../../src/store/sqlite';
import { besluit, byKind, HALT, lid } from './support';

const NOW = Date.parse('2026-12-01T08:00:00Z'); // the actions' due moment
const TZ = 'Europe/Amsterdam';
/** Teams' limits per conversation (stack-notes), and the tenant rate the dispatcher keeps to (Teams allows about 30/s). */
const TEAMS_GESPREK: Grens[] = [
  { aantal: 7, vensterMs: 1_000 },
  { aantal: 8, vensterMs: 2_000 },
  { aantal: 60, vensterMs: 30_000 },
];
const TENANT: Grens[] = [{ aantal: 25, vensterMs: 1_000 }];

/**
 * Time that only moves when every worker waits: sleeps are timers on a virtual clock, and when
 * nothing else can run the clock jumps to the earliest one. The store is in-process SQLite and
 * Teams a fake port, so "nothing else can run" is "the event loop has drained".
 */
class VirtueleTijd {
  nu = NOW;
  private timers: { at: number; wake: () => void }[] = [];
  readonly clock = { now: () => new Date(this.nu) };
  readonly sleep: Sleep = (ms) => new Promise((wake) => this.timers.push({ at: this.nu + ms, wake }));

  async run<T>(work: Promise<T>): Promise<T> {
    let klaar = false;
    const result = work.finally(() => (klaar = true));
    while (!klaar) {
      await new Promise((r) => setImmediate(r));
      if (klaar || this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.nu = Math.max(this.nu, next.at);
      next.wake();
    }
    return result;
  }
}

/** The most sends any half-open window [t, t + venster) holds. */
function meesteInVenster(momenten: number[], vensterMs: number): number {
  const m = [...momenten].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < m.length; i++) {
    while (m[j]! <= m[i]! - vensterMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function perGesprek(sends: { naar: string; at: number }[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const s of sends) map.set(s.naar, [...(map.get(s.naar) ?? []), s.at]);
  return map;
}

function overschrijdt(momenten: number[], grenzen: readonly Grens[]): Grens[] {
  return grenzen.filter((g) => meesteInVenster(momenten, g.vensterMs) > g.aantal);
}

async function opzet(threads: number, perThread: number, fout?: (naar: string, n: number) => number | undefined) {
  const tijd = new VirtueleTijd();
  const store = new SqliteStore(':memory:');
  const teamId = 'team-1';
  const tenant = 'tenant-1';
  await store.saveTeam({ teamId, tenantId: tenant, channelId: '19:kanaal', serviceUrl: 'http://127.0.0.1:1/', conversationReference: {}, installedAt: new Date(NOW).toISOString(), updatedAt: new Date(NOW).toISOString(), digestCron: '0 6 1 6 *' });
  let n = 0;
  const service = new ZaakService(store, { now: () => new Date(NOW - 86_400_000) }, { next: () => `zaak-${++n}` }, { timeZone: TZ, reminderBeforeMs: 1_800_000 });
  const actor = { id: 'aad-officier', name: 'Officier' };
  for (let t = 0; t < threads; t++) {
    const zaak = await service.flag(teamId, { reference: `13/${String(700000 + t)}-26`, types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, actor);
    const acties = Array.from({ length: perThread }, (_, k) => ({ id: `a${k}`, eigenaar: lid(HALT), datum: '2026-12-01' }));
    await service.change(teamId, zaak.id, actor, () => [{ type: 'zaak.thread_geopend', data: { channelId: '19:kanaal', conversationId: `19:kanaal;messageid=${t}`, rootMessageId: String(t) } }, ...besluit(acties)]);
  }
  const sends: { naar: string; at: number }[] = [];
  const pogingen = new Map<string, number>();
  const teams: TeamsPort = {
    withTeam: (_team, work) =>
      work({
        lid: async () => undefined,
        update: async () => undefined,
        openThread: async () => {
          throw new Error('no thread is lost here');
        },
        send: async (naar) => {
          const poging = (pogingen.get(naar) ?? 0) + 1;
          pogingen.set(naar, poging);
          sends.push({ naar, at: tijd.nu });
          const retryAfter = fout?.(naar, poging);
          if (retryAfter !== undefined) throw Object.assign(new Error('Too Many Requests'), { statusCode: 429, response: { status: 429, headers: { 'retry-after': String(retryAfter) } } });
          return `m-${sends.length}`;
        },
      }),
  };
  const config = { timeZone: TZ, dispatch: { enabled: true, pollMs: 60_000, leaseMs: 300_000, timeoutMs: 15_000, digestCron: '0 6 1 6 *', teBesprekenDuidingDagen: 3 } };
  const d = new Dispatcher({ config, log: createLogger('silent'), store, clock: tijd.clock, zaken: service }, { teams, owner: 'a', sleep: tijd.sleep, random: () => 0.5 });
  return { tijd, store, d, sends, teamId };
}

describe('the dispatcher paces itself', () => {
  it('1,000 jobs over 50 threads: never above 7/s (8/2 s, 60/30 s) into a thread or 25/s into the tenant, done within 10 % of the ideal time', async () => {
    const { tijd, store, d, sends, teamId } = await opzet(50, 20);
    const result = await tijd.run(d.tick());
    expect(result.verzonden).toBe(1000);
    expect(sends).toHaveLength(1000);
    expect(byKind(await store.listJobs(teamId), 'actie.vervaldatum').every((j) => j.status === 'verzonden')).toBe(true);

    const perThread = perGesprek(sends);
    expect(perThread.size).toBe(50);
    for (const momenten of perThread.values()) expect(overschrijdt(momenten, TEAMS_GESPREK)).toEqual([]);
    expect(overschrijdt(sends.map((s) => s.at), TENANT)).toEqual([]);

    // The tenant's 25 a second is the binding limit: 40 s at Teams' own rate. The dispatcher keeps
    // it with a 5 % margin (25 per 1.05 s, so a send that starts a little late still arrives
    // inside Teams' second), and the conversations claimed last must not trail behind at their own pace.
    const duur = Math.max(...sends.map((s) => s.at)) - NOW;
    const ideaal = (1000 / TENANT[0]!.aantal) * TENANT[0]!.vensterMs;
    expect(duur).toBeGreaterThanOrEqual((1000 / ECHTE_TENANT_GRENZEN[0]!.aantal - 1) * ECHTE_TENANT_GRENZEN[0]!.vensterMs);
    expect(duur).toBeLessThanOrEqual(ideaal * 1.1);
    // Round-robin: the first 50 sends reach 50 different threads, not one case's jobs in a row.
    expect(new Set(sends.slice(0, 50).map((s) => s.naar)).size).toBeGreaterThanOrEqual(13);
    await store.close();
  });

  it('slows a thread down after a 429 and keeps it slower, while the others go faster', async () => {
    const traag = '19:kanaal;messageid=0';
    const { tijd, store, d, sends } = await opzet(3, 30, (naar, poging) => (naar === traag && poging === 1 ? 1 : undefined));
    await tijd.run(d.tick());
    const perThread = perGesprek(sends);
    const eerste = perThread.get(traag)!;
    // After the 429 (and its Retry-After of 1 s) that thread gets at most half its 7 a second.
    const na429 = eerste.filter((t) => t >= eerste[0]! + 1000 && t < eerste[0]! + 30_000);
    expect(meesteInVenster(na429, 1000)).toBeLessThanOrEqual(3);
    expect(meesteInVenster(na429, 2000)).toBeLessThanOrEqual(4);
    // The other threads go faster than the slowed one.
    for (const [naar, momenten] of perThread) if (naar !== traag) expect(meesteInVenster(momenten, 2000)).toBeGreaterThan(meesteInVenster(na429, 2000));
    expect(sends.filter((s) => s.naar === traag)).toHaveLength(31);
    await store.close();
  });
});

describe('Tempo', () => {
  it('keeps the sends that really go within the tenant window, also when the waits for their reserved moments all end late together', () => {
    const tempo = new Tempo();
    const gesprekken = Array.from({ length: 50 }, (_, i) => `19:kanaal;messageid=${i}`);
    const waits = gesprekken.map((g) => tempo.reserveer(g, 't1', 0));
    expect(Math.max(...waits)).toBe(1000);
    // The event loop was busy: every timer fires at 2,000 ms. At most 25 may go in that second.
    const nu = 2_000;
    const gingen: number[] = [];
    // All fifty ask at once, one after the other at the gate; each goes when its real moment comes.
    for (let i = 0; i < gesprekken.length; i++) {
      const moment = Math.max(tempo.echteBeurt({ gesprek: gesprekken[i]! }, nu), tempo.echteBeurt({ tenant: 't1' }, nu));
      tempo.gegaan(gesprekken[i]!, 't1', moment);
      gingen.push(moment);
    }
    for (const begin of gingen) expect(gingen.filter((m) => m >= begin && m < begin + 1_000).length).toBeLessThanOrEqual(25);
    expect(gingen.filter((m) => m === 2_000)).toHaveLength(25);
  });

  it('reserves moments that keep every window within its limit, and waits nothing while there is room', () => {
    const tempo = new Tempo([{ aantal: 3, vensterMs: 1000 }], [{ aantal: 5, vensterMs: 1000 }]);
    const waits = [0, 0, 0].map(() => tempo.reserveer('g1', 't', 0));
    expect(waits).toEqual([0, 0, 0]);
    expect(tempo.reserveer('g1', 't', 0)).toBe(1000);
    // Another conversation fills the tenant's room left at 0, then waits for the next second.
    expect([tempo.reserveer('g2', 't', 0), tempo.reserveer('g2', 't', 0), tempo.reserveer('g3', 't', 0)]).toEqual([0, 0, 1000]);
  });

  it('hands out the conversation with the most jobs left first, one send under way per conversation, each in its own order', () => {
    const rij = new Beurtrij<string>((s) => s[0]!);
    const nu = () => 0;
    rij.voegToe(['a1', 'a2', 'a3', 'b1', 'c1', 'c2']);
    const a = rij.neem(nu)!;
    const c = rij.neem(nu)!;
    const b = rij.neem(nu)!;
    expect([a.item, c.item, b.item]).toEqual(['a1', 'c1', 'b1']);
    // a and c have a send under way, b has none left: nothing to hand out until one is done.
    expect(rij.neem(nu)).toBeUndefined();
    c.klaar();
    expect(rij.neem(nu)!.item).toBe('c2');
    a.klaar();
    expect(rij.neem(nu)!.item).toBe('a2');
    expect(rij.gesprekken).toBe(1);
  });

  it('hands out the conversation that may send soonest before one with more jobs that has to wait', () => {
    const rij = new Beurtrij<string>((s) => s[0]!);
    rij.voegToe(['a1', 'a2', 'a3', 'b1']);
    const vroegst = (gesprek: string) => (gesprek === 'a' ? 1_000 : 0);
    expect(rij.neem(vroegst)!.item).toBe('b1');
    expect(rij.neem(vroegst)!.item).toBe('a1');
  });
});
