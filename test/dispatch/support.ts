import { Writable } from 'node:stream';
import { createAdapter } from '../../src/bot/app';
import { Dispatcher } from '../../src/dispatch/dispatcher';
import type { Sleep } from '../../src/dispatch/verzender';
import { teamsPort, type TeamsPort } from '../../src/dispatch/teams-port';
import type { ScheduledJob } from '../../src/domain/jobs';
import type { Partner } from '../../src/domain/catalogue';
import { ZaakService } from '../../src/domain/service';
import type { Actor, Lid, NewZaakEvent, Verdiepingszaak } from '../../src/domain/zaak';
import { createLogger } from '../../src/log';
import { BOT, CHANNEL_ID, OFFICIER, TEAM_ID, TENANT, type User } from '../support/activities';
import type { RecordedCall } from '../support/fake-connector';
import type { Harness } from '../support/harness';
import { executes } from '../support/cards';
import { Verb } from '../../src/verbs';

/** Short leases and timeouts: real seconds, not minutes. */
export const DISPATCH_CONFIG = { DISPATCH_LEASE_MS: '12000', DISPATCH_TIMEOUT_MS: '1000', DISPATCH_POLL_MS: '60000', DISPATCH_ENABLED: 'false' };

export const lid = (u: User): Lid => ({ id: u.aadObjectId, name: u.name, teamsId: u.id });
export const actorOf = (u: User): Actor => ({ id: u.aadObjectId, name: u.name });

/** Every wait the dispatcher asks for, in ms; the wait itself is cut short so tests stay fast. */
export function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => new Promise((resolve) => (waits.push(ms), setTimeout(resolve, Math.min(ms, 3)))) };
}

/** A deterministic random source (mulberry32), so a run's jitter and fault pattern repeat. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A dispatcher instance on the harness's store and clock, with its own adapter (as another process would have). */
export function dispatcher(
  h: Harness,
  owner: string,
  options: { sleep?: Sleep; concurrency?: number; batch?: number; random?: () => number; /** Wraps the Teams access, e.g. to hold a turn. */ wrap?: (port: TeamsPort) => TeamsPort } = {},
): Dispatcher {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) h.logs.push(JSON.parse(line));
      done();
    },
  });
  const { wrap, ...rest } = options;
  const port = teamsPort(createAdapter({ config: h.config }), h.config.botId);
  return new Dispatcher({ config: h.config, log: createLogger('info', sink), store: h.store, clock: h.clock, zaken: service(h) }, { teams: wrap ? wrap(port) : port, owner, ...rest });
}

export function service(h: Harness): ZaakService {
  let n = 0;
  return new ZaakService(h.store, h.clock, { next: () => `seed-${++n}-${Math.random().toString(36).slice(2, 8)}` }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
}

/** The team as the bot stores it when installed: its channel and a conversation reference to the fake connector. */
export async function seedTeam(h: Harness, extra: { digestCron?: string; name?: string } = {}): Promise<void> {
  const now = h.clock.now().toISOString();
  await h.store.saveTeam({
    teamId: TEAM_ID,
    tenantId: TENANT,
    name: extra.name ?? 'ZSM Haarlem',
    channelId: CHANNEL_ID,
    serviceUrl: h.connector.url,
    conversationReference: {
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      bot: BOT,
      conversation: { id: CHANNEL_ID, isGroup: true, conversationType: 'channel', tenantId: TENANT },
    },
    installedAt: now,
    updatedAt: now,
    ...(extra.digestCron ? { digestCron: extra.digestCron } : {}),
  });
}

/** A flagged case with its own thread, then the given events (by the lead), through ZaakService. */
export async function seedCase(h: Harness, reference: string, lead: User, events: NewZaakEvent[] = []): Promise<Verdiepingszaak> {
  const s = service(h);
  const zaak = await s.flag(TEAM_ID, { reference, types: ['jeugd'], signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, actorOf(lead));
  const root = `root-${zaak.id}`;
  return s.change(TEAM_ID, zaak.id, actorOf(lead), () => [{ type: 'zaak.thread_geopend', data: { channelId: CHANNEL_ID, conversationId: `${CHANNEL_ID};messageid=${root}`, rootMessageId: root } }, ...events]);
}

export const duiding: NewZaakEvent = {
  type: 'duiding.vastgelegd',
  data: { patronen: ['combinatieproblematiek'], perspectieven: [], tegenstrijdigheden: 'De feiten spreken elkaar tegen.', hypothesen: ['Zonder dagbesteding volgt een nieuw feit.'], instrumenten: [], veiligheid: [] },
};

/** A besluit with these actions and monitoring dates (and a plandatum for uitstel), after a duiding; the case moves on. */
export function besluit(acties: { id: string; eigenaar: Lid; datum: string; wat?: string; organisatie?: Partner }[], monitoring: string[] = [], plandatum?: { op: string; reden: string }): NewZaakEvent[] {
  return [
    duiding,
    {
      type: 'besluit.vastgelegd',
      data: {
        afdoening: plandatum ? 'uitstel' : 'sepot_met_hulp',
        zorg: 'Halt op maximale uren, gesprek met de gezinsvoogd.',
        waaromMix: 'Straf alleen helpt hier niet.',
        tijdstrategie: { keuze: 'versnellen', reden: 'Hij moet deze week een dagbesteding hebben.' },
        doelen: [],
        acties: acties.map((a) => ({ id: a.id, wat: a.wat ?? `Actie ${a.id}`, eigenaar: a.eigenaar, ...(a.organisatie ? { organisatie: a.organisatie } : {}), datum: a.datum, status: 'open' as const })),
        monitoring,
        ...(plandatum ? { plandatum } : {}),
      },
    },
    { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: plandatum ? 'besluit' : 'monitoring' } },
  ];
}

/** The cards the bot posted (not updates, not look-ups), with where they went. */
export function posted(h: Harness): { call: RecordedCall; card: any }[] {
  return h.connector.cards('send');
}

export async function jobs(h: Harness, caseId?: string): Promise<ScheduledJob[]> {
  return h.store.listJobs(TEAM_ID, caseId ? { caseId } : {});
}

export const byKind = (all: ScheduledJob[], kind: ScheduledJob['kind']) => all.filter((j) => j.kind === kind);

export const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };

/** `n` cases with `perZaak` actions each, owned by Halt and due on 2026-12-01; references count up from `firstNumber`. */
export async function seedDueActions(h: Harness, n: number, perZaak: number, firstNumber: number): Promise<Verdiepingszaak[]> {
  const zaken: Verdiepingszaak[] = [];
  for (let i = 0; i < n; i++) {
    const acties = Array.from({ length: perZaak }, (_, k) => ({ id: `a${k}`, eigenaar: lid(HALT), datum: '2026-12-01' }));
    zaken.push(await seedCase(h, `13/${String(firstNumber + i)}-26`, OFFICIER, besluit(acties)));
  }
  return zaken;
}

/** How often each action's card reached Teams (faulted calls are not recorded by the fake connector). */
export function deliveriesPerAction(h: Harness): Map<string, number> {
  const count = new Map<string, number>();
  for (const { card } of posted(h)) {
    const data = executes(card).find((a) => a.verb === Verb.opvolgingBekijken && a.data.soort === 'actie')?.data;
    if (!data) continue;
    const key = `${data.caseId}/${data.ref}`;
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return count;
}
