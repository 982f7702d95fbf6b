import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { Command, Verb } from '../../src/verbs';
import { FOREIGN_TENANT, OFFICIER, TEAM_ID, TENANT, VEILIG_THUIS, botInstalled, cardAction, mention, messageActionFetch, messageActionSubmit, personalMessage, FLAG_FORM, type Env, type User } from '../support/activities';
import { FakeConnector } from '../support/fake-connector';
import { startHarness, type Harness } from '../support/harness';

/**
 * Random and mutated activities against the HTTP app: no 5xx, no hang, no error that escapes a
 * request, and nothing stored for an activity that is refused. `npm test` runs a short round on
 * the in-process bot; `npm run fuzz` runs FUZZ_RUNS (default 10,000) against the built bot
 * (dist/src/index.js, or FUZZ_BOT, in its own process). FUZZ_SEED repeats a round.
 */
const BUILT = process.env.FUZZ_TARGET === 'built';
const RUNS = Number(process.env.FUZZ_RUNS ?? (BUILT ? 10_000 : 250));
// In `npm test` one fixed seed (a reproducible run); `npm run fuzz` explores a new one each time.
const SEED = Number(process.env.FUZZ_SEED ?? (BUILT ? Date.now() % 2 ** 31 : 20261129));
const HANG_MS = 5_000;


const FIELDS = [
  'caseId', 'uitvraagId', 'stap', 'plek', 'rij', 'rijen', 'basisVersie', 'actieIds', 'zaaknummer', 'zaaktypes', 'signaal', 'reden', 'nvt', 'nvt_reden',
  'datum', 'tijd', 'afdoening', 'afdoening_anders', 'leeropbrengst', 'nieuweRegie', 'lid', 'organisatie', 'vraag', 'antwoord', 'uitkomst', 'zorg',
  'plandatum', 'plandatum_reden', 'tijdstrategie', 'tijdstrategie_reden', 'patronen', 'vergelijking', 'tegenstrijdigheden', 'waarom', 'waarom_mix',
  'betrokkene_0_rol', 'betrokkene_0_initialen', 'betrokkene_0_leeftijd', 'betrokkene_7_rol', 'actie_0_wat', 'actie_0_eigenaar', 'actie_0_datum',
  'doel_0_wat', 'doel_0_bevestigd', 'hypothese_0', 'monitoring_0', 'perspectief_0_tekst', 'veiligheid_0_nu', 'instrument_0_soort', 'verb', 'msteams',
];

const users: User[] = [OFFICIER, VEILIG_THUIS, { id: '29:buitenstaander', aadObjectId: 'aad-buiten', name: 'Iemand Anders' }, { id: '29:zonder-aad', aadObjectId: '', name: '' }];

/** A JSON value of any shape, now and then a very large one. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u202e', '\u0000', 'x'.repeat(70_000), '13/123456-26', '111222333', '<at>x</at>', '${caseId}', '2026-13-45', '99:99') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
  { weight: 1, arbitrary: fc.integer({ min: 40, max: 2_000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n))) },
);

function cardData(caseIds: string[]): fc.Arbitrary<Record<string, unknown>> {
  const caseId = fc.oneof(fc.constantFrom(...caseIds), fc.string({ maxLength: 300 }), fc.constant(''));
  return fc.oneof(
    fc.record({ caseId }).chain((base) => fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 8 }).map((rest) => ({ ...rest, ...base }))),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 20 })), anyValue, { maxKeys: 8 }),
    fc.constant({ ...FLAG_FORM }),
    fc.record({ zaaknummer: fc.string({ maxLength: 40 }) }).map((z) => ({ ...FLAG_FORM, ...z })),
  );
}

const commandText = fc.oneof(
  fc.constantFrom('verdiep', 'verdiepen', 'nieuwe zaak', 'zaken', 'zaak 13/123456-26', 'zaak', 'ketenkaart 13/123456-26', 'ketenkaart', 'overzicht', 'digest', 'digest maandag 08:30', 'digest standaard', 'digest zondag 25:99', 'mijn acties', 'help', ''),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('zaak ', 'ketenkaart ', 'digest ').chain((c) => fc.string({ maxLength: 100 }).map((s) => c + s)),
);

/** A well-formed activity of every kind the bot handles, from a random user, mostly in the served tenant. */
function validActivity(env: { serviceUrl: string }, caseIds: string[]): fc.Arbitrary<Record<string, any>> {
  const who = fc.constantFrom(...users);
  const where = fc.constantFrom<Env>({ serviceUrl: env.serviceUrl }, { serviceUrl: env.serviceUrl }, { serviceUrl: env.serviceUrl }, { serviceUrl: env.serviceUrl, tenantId: FOREIGN_TENANT });
  return fc.oneof(
    fc.tuple(where, who, commandText).map(([e, u, t]) => mention(e, u, t)),
    fc.tuple(where, who, commandText).map(([e, u, t]) => personalMessage(e, u, t)),
    fc.tuple(where, who).map(([e, u]) => botInstalled(e, u)),
    fc.tuple(where, who, fc.constantFrom(...Object.values(Verb)), cardData(caseIds), fc.string({ maxLength: 40 })).map(([e, u, verb, data, replyTo]) => cardAction(e, u, verb, data, replyTo || 'card-1')),
    fc.tuple(where, who, fc.string({ maxLength: 500 })).map(([e, u, html]) => messageActionFetch(e, u, Command.verdiepen, html)),
    fc.tuple(where, who, cardData(caseIds)).map(([e, u, data]) => messageActionSubmit(e, u, Command.verdiepen, data)),
  ) as fc.Arbitrary<Record<string, any>>;
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null || prefix.length > 6) return out;
  for (const [key, child] of Object.entries(value).slice(0, 40)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    paths(child, path, out);
  }
  return out;
}

function setAt(root: any, path: Path, value: unknown, remove: boolean): void {
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path.at(-1)!;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
}

/** One of: as is, a field removed or given a value of another shape, a `__proto__` key, a huge array, the type changed. */
function mutated(activity: fc.Arbitrary<Record<string, any>>): fc.Arbitrary<Record<string, any>> {
  return activity.chain((original) => {
    const a = structuredClone(original);
    const all = paths(a);
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(a) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...all), anyValue, fc.boolean()).map(([path, value, remove]) => (setAt(a, path, value, remove), a)) },
      { weight: 1, arbitrary: fc.constantFrom(...all).map((path) => (setAt(a, path, JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'), false), a)) },
      { weight: 1, arbitrary: fc.constantFrom('entities', 'membersAdded', 'attachments').map((key) => ({ ...a, [key]: Array.from({ length: 5_000 }, (_, i) => ({ id: `29:x${i}`, type: 'mention', contentType: 'x' })) })) },
      { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('invoke', 'message', 'Message', 'event', 'typing', 'messageReaction', 'installationUpdate')).map((type) => ({ ...a, type })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((name) => ({ ...a, name })) },
    );
  });
}

interface Outcome {
  status: number | 'hang' | 'network';
  summary: string;
}

/** Team, case, event and job counts and versions: what a refused activity must leave as it was. */
async function storeState(store: Store): Promise<string> {
  const teams = await store.listTeams();
  const parts: unknown[] = [];
  for (const team of teams) {
    const cases = await store.listCases(team.teamId, { includeClosed: true });
    const jobs = await store.listJobs(team.teamId);
    const events = await Promise.all(cases.map((c) => store.listEvents(team.teamId, c.id).then((e) => e.length)));
    parts.push([team.teamId, JSON.stringify(team).length, cases.map((c) => [c.id, c.version]), events, jobs.map((j) => [j.id, j.status])]);
  }
  return JSON.stringify(parts);
}

function summary(activity: Record<string, any>): string {
  const text = JSON.stringify({ type: activity?.type, name: activity?.name, verb: activity?.value?.action?.verb, text: activity?.text, keys: Object.keys(activity ?? {}) });
  return text.slice(0, 300);
}

describe(`fuzz: random and mutated activities (${BUILT ? 'built bot' : 'in process'}, ${RUNS} runs, seed ${SEED})`, () => {
  let harness: Harness | undefined;
  let child: ChildProcess | undefined;
  let childOutput = '';
  let connector: FakeConnector;
  let store: Store;
  let url: string;
  const escaped: unknown[] = [];
  const onRejection = (reason: unknown) => escaped.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    connector = await new FakeConnector().start();
    // The team's roster (the access gate asks Teams); the fuzzed users outside it are niet-leden.
    connector.members = [OFFICIER, VEILIG_THUIS].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    if (!BUILT) {
      harness = await startHarness({ connector });
      store = harness.store;
      url = `http://127.0.0.1:${harness.bot.port}/api/messages`;
      return;
    }
    const sqlitePath = join(mkdtempSync(join(tmpdir(), 'verdiep-fuzz-')), 'verdiep.db');
    child = spawn(process.execPath, [process.env.FUZZ_BOT ?? 'dist/src/index.js'], {
      env: { ...process.env, VERDIEP_ENV: 'local', PORT: '0', HOST: '127.0.0.1', ALLOWED_TENANT_IDS: TENANT, SQLITE_PATH: sqlitePath, DISPATCH_ENABLED: 'false', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        childOutput += chunk.toString();
        const match = /"port":(\d+)[^\n]*Verdiep is listening/.exec(childOutput);
        if (match) resolve(Number(match[1]));
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', (chunk: Buffer) => (childOutput += chunk.toString()));
      child!.once('exit', (code) => reject(new Error(`the built bot exited (${code}) before listening:\n${childOutput.slice(-2000)}`)));
    });
    url = `http://127.0.0.1:${port}/api/messages`;
    store = new SqliteStore(sqlitePath);
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await harness?.stop();
    if (child) {
      await store?.close();
      child.kill('SIGTERM');
    }
    await connector?.stop();
  });

  async function send(activity: unknown): Promise<number | 'hang' | 'network'> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity), signal: AbortSignal.timeout(HANG_MS) });
      await res.arrayBuffer();
      return res.status;
    } catch (err) {
      return (err as Error).name === 'TimeoutError' ? 'hang' : 'network';
    }
  }

  it('answers every activity below 500, within 5 s, and stores nothing for refused ones', { timeout: BUILT ? 4 * 60 * 60_000 : 60_000 }, async () => {
    // A team with a real case, so that card actions can reach the handlers behind the case look-up.
    const env = { serviceUrl: connector.url };
    expect(await send(botInstalled(env, OFFICIER))).toBe(200);
    expect(await send(cardAction(env, OFFICIER, Verb.markeringIndienen, FLAG_FORM))).toBe(200);
    // The verdiepingskaart follows the flag through the outbox: let it land before the store is watched.
    await harness?.bot.dispatcher?.rustig();
    const caseIds = (await store.listCases(TEAM_ID)).map((c) => c.id);
    expect(caseIds).toHaveLength(1);

    const activities = fc.sample(mutated(validActivity(env, caseIds)), { numRuns: RUNS, seed: SEED });
    const statuses = new Map<string, number>();
    const bad: Outcome[] = [];
    const storedWhenRefused: string[] = [];
    let before = await storeState(store);
    for (const activity of activities) {
      const status = await send(activity);
      statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
      if (typeof status !== 'number' || status >= 500) bad.push({ status, summary: summary(activity) });
      const after = await storeState(store);
      const refused = (typeof status === 'number' && status >= 400) || JSON.stringify(activity).includes(FOREIGN_TENANT);
      if (refused && after !== before) storedWhenRefused.push(`${status} ${summary(activity)}`);
      before = after;
      connector.calls.length = 0;
    }

    const turnFailures = harness ? harness.logs.filter((l) => l.msg === 'turn failed' || l.msg === 'request failed' || l.msg === 'adapter failed') : [];
    const outsideRequest = childOutput.split('\n').filter((l) => l.includes('error outside a request') || l.includes('turn failed') || l.includes('request failed'));
    console.log(
      `fuzz: ${activities.length} activities, seed ${SEED}; statuses ${JSON.stringify(Object.fromEntries(statuses))}; >=500 or hang: ${bad.length}; stored when refused: ${storedWhenRefused.length}; turn failures: ${turnFailures.length + outsideRequest.length}`,
    );
    expect(bad.slice(0, 10)).toEqual([]);
    expect(storedWhenRefused.slice(0, 10)).toEqual([]);
    expect(turnFailures.map((l) => `${l.name ?? l.activityType}: ${String(l.err?.stack ?? l.err?.message ?? l.msg).split('\n').slice(0, 4).join(' | ')}`).slice(0, 10)).toEqual([]);
    expect(outsideRequest.slice(0, 10)).toEqual([]);
    expect(escaped).toEqual([]);
    if (child) expect(child.exitCode).toBeNull();
    // Still serving after all of it.
    expect(await send(mention(env, OFFICIER, 'help'))).toBe(200);
  });
});
