import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NewZaakEvent } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { BOT, CHANNEL_ID, TEAM_ID, TENANT, cardAction, type User } from './activities';
import { submit } from './cards';
import { startCosmosStandIn, STAND_IN_KEY, type CosmosStandIn } from './cosmos';
import type { FakeConnector, RecordedCall } from './fake-connector';

/*
 * Several built bot processes (`node dist/src/index.js`, dispatcher on) on one store: a SQLite file
 * or the Cosmos stand-in. The test's own writes and reads of the store run in short child processes
 * of the built app too (one code path for both stores; better-sqlite3 12 on Node 24 may abort when
 * its statements are garbage-collected, and the test process must not be the one that dies).
 */

const ROOT = resolve(__dirname, '..', '..');
export const TIME_ZONE = 'Europe/Amsterdam';
export const LEAD = { id: 'aad-lead', name: 'Officier Van Dijk', teamsId: '29:lead' };

export interface Instance {
  name: string;
  child: ChildProcess;
  logs: any[];
  port: number;
  exited: Promise<number | null>;
}

/** The store the processes share, and the environment that points a process at it. */
export interface SharedStore {
  kind: 'sqlite' | 'cosmos';
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function sqliteFile(): Promise<SharedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'verdiep-shared-'));
  return { kind: 'sqlite', env: { STORE: 'sqlite', SQLITE_PATH: join(dir, 'verdiep.db') }, stop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Cosmos stand-in with the database and its containers made (the processes do not create them); the test may open it too. */
export async function cosmosDatabase(database: string): Promise<SharedStore & { standIn: CosmosStandIn }> {
  const standIn: CosmosStandIn = await startCosmosStandIn();
  await (await standIn.open(database)).close();
  return {
    kind: 'cosmos',
    standIn,
    // The stand-in's certificate has expired; only the child processes skip the check.
    env: { STORE: 'cosmos', COSMOS_ENDPOINT: standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database, COSMOS_CREATE_IF_MISSING: 'false', NODE_TLS_REJECT_UNAUTHORIZED: '0' },
    stop: () => standIn.stop(),
  };
}

/** Builds the app once into node_modules/.cache; returns its folder. */
export function buildApp(kind: string): string {
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, `verdiep-${kind}-instances-`));
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', out], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  return out;
}

/** Processes of the built app on one shared store; `env` is their configuration beside the store's. */
export class Bots {
  readonly instances: Instance[] = [];
  private scripts = 0;
  constructor(
    private readonly out: string,
    private readonly store: SharedStore,
    private readonly env: Record<string, string>,
  ) {}

  private processEnv(extra: Record<string, string> = {}): Record<string, string> {
    return { PATH: process.env.PATH ?? '', VERDIEP_ENV: 'local', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ALLOWED_TENANT_IDS: TENANT, ...this.store.env, ...this.env, ...extra };
  }

  start(name: string, extra: Record<string, string> = {}): Promise<Instance> {
    const child = spawn(process.execPath, [join(this.out, 'src', 'index.js')], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], env: this.processEnv(extra) });
    const logs: any[] = [];
    let buffer = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return new Promise<Instance>((resolveStart, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines.filter(Boolean)) {
          try {
            const entry = JSON.parse(line);
            logs.push(entry);
            if (entry.msg === 'Verdiep is listening') resolveStart({ name, child, logs, port: entry.port, exited });
          } catch {
            logs.push({ raw: line });
          }
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => logs.push({ stderr: chunk.toString('utf8') }));
      void exited.then((code) => reject(new Error(`${name} exited (${code}) before listening: ${JSON.stringify(logs.slice(-5))}`)));
    }).then((instance) => (this.instances.push(instance), instance));
  }

  /** SIGKILL: no shutdown, no answer to what is in flight. */
  async kill(instance: Instance): Promise<void> {
    instance.child.kill('SIGKILL');
    await instance.exited;
  }

  /** Runs a script of the built app on the shared store; what it writes to OUT_FILE (JSON). */
  async script(code: string, env: Record<string, string> = {}): Promise<any> {
    const file = join(this.out, `script-${++this.scripts}.json`);
    // Not spawnSync: the Cosmos stand-in runs in this process and must answer the script.
    const child = spawn(process.execPath, ['-e', code], { cwd: this.out, stdio: ['ignore', 'ignore', 'pipe'], env: this.processEnv({ ...env, OUT_FILE: file }) });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const status = await new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    if (!existsSync(file)) throw new Error(`script failed (${status}): ${stderr.slice(0, 2000)}`);
    const result = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(file);
    return result;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.instances.map(async (i) => {
        if (i.child.exitCode !== null || i.child.signalCode !== null) return;
        i.child.kill('SIGTERM');
        const timer = setTimeout(() => i.child.kill('SIGKILL'), 5_000);
        await i.exited;
        clearTimeout(timer);
      }),
    );
  }
}

const OPEN = `
const { parseConfig } = require('./src/config');
const { openStore } = require('./src/bot/process');
const write = (o) => require('node:fs').writeFileSync(process.env.OUT_FILE, JSON.stringify(o));
const open = () => { const c = parseConfig(process.env); if (!c.ok) throw new Error(c.problems.join('; ')); return openStore(c.config); };
`;

export interface Seed {
  serviceUrl: string;
  /** Open questions on one case, each with its prompt card in the thread. */
  questions: number;
  /** Cases in monitoring, each with these past monitoring dates (a due job per date). */
  monitoring?: { cases: number; dates: string[]; events: NewZaakEvent[] };
}

/** The team, a case with its thread, verdiepingskaart and prompt cards, and cases with due monitoring jobs. */
export function seed(bots: Bots, s: Seed): Promise<{ caseId: string; schema: number; migrations: number }> {
  return bots.script(
    `${OPEN}
const { ZaakService } = require('./src/domain/service');
const { kaartGeplaatst, uitnodigen } = require('./src/domain/uitvraag');
const s = JSON.parse(process.env.SEED);
(async () => {
  const store = await open();
  const ref = { channelId: 'msteams', serviceUrl: s.serviceUrl, bot: ${JSON.stringify(BOT)}, conversation: { id: ${JSON.stringify(CHANNEL_ID)}, isGroup: true, conversationType: 'channel', tenantId: ${JSON.stringify(TENANT)} } };
  await store.saveTeam({ teamId: ${JSON.stringify(TEAM_ID)}, tenantId: ${JSON.stringify(TENANT)}, name: 'ZSM Haarlem', channelId: ${JSON.stringify(CHANNEL_ID)}, serviceUrl: s.serviceUrl, conversationReference: ref, installedAt: '2025-06-01T08:00:00.000Z', updatedAt: '2025-06-01T08:00:00.000Z' });
  const lead = ${JSON.stringify(LEAD)};
  let n = 0;
  const service = new ZaakService(store, { now: () => new Date() }, { next: () => 'case-' + ++n }, { timeZone: ${JSON.stringify(TIME_ZONE)}, reminderBeforeMs: 1800000 });
  const thread = (id) => [{ type: 'zaak.thread_geopend', data: { channelId: ${JSON.stringify(CHANNEL_ID)}, conversationId: ${JSON.stringify(CHANNEL_ID)} + ';messageid=root-' + id, rootMessageId: 'root-' + id } }, { type: 'zaak.verdiepingskaart_geplaatst', data: { messageId: 'vk-' + id } }];
  const flag = (reference) => service.flag(${JSON.stringify(TEAM_ID)}, { reference, types: ['jeugd'], signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, lead);
  const zaak = await flag('13/777000-26');
  await service.change(zaak.teamId, zaak.id, lead, () => thread(zaak.id));
  const deadline = new Date(Date.now() + 7200000).toISOString();
  for (let i = 1; i <= s.questions; i++) {
    const invitee = { id: 'aad-partner-' + i, name: 'Partner ' + String(i).padStart(2, '0'), teamsId: '29:partner-' + i };
    await service.change(zaak.teamId, zaak.id, lead, (z) => uitnodigen(z, [lead.id], { invitee, organisatie: 'wijkteam', vraag: 'Vraag ' + i + ': is het gezin bij jullie bekend?', waarom: 'Bepaalt welke zorg we naast de straf inzetten.', deadline }, 'vraag-' + i));
    await service.change(zaak.teamId, zaak.id, lead, (z) => kaartGeplaatst(z, 'vraag-' + i, 'prompt-' + i));
  }
  for (let c = 0; c < (s.monitoring ? s.monitoring.cases : 0); c++) {
    const m = await flag('13/' + (100000 + c) + '-25');
    await service.change(m.teamId, m.id, lead, () => [...thread(m.id), ...s.monitoring.events]);
  }
  const { SqliteStore } = require('./src/store/sqlite');
  const fresh = new SqliteStore(':memory:');
  write({ caseId: zaak.id, schema: store.schemaVersion ? store.schemaVersion() : 0, migrations: fresh.schemaVersion() });
  await fresh.close();
  await store.close();
})();
`,
    { SEED: JSON.stringify(s) },
  );
}

export interface StoredState {
  answers: [string, string | undefined][];
  answerEvents: number;
  jobs: { id: string; kind: string; caseId?: string; ref?: string; status: string; leaseOwner?: string; verzendpoging?: unknown }[];
  /** Each thread message of every case, with the card a fresh render of the stored case gives it. */
  views: { messageId: string; card: unknown }[];
}

/** What the store holds now, and how the thread cards should look. */
export function readState(bots: Bots, caseId: string): Promise<StoredState> {
  return bots.script(
    `${OPEN}
const { draadWeergaven } = require('./src/bot/views');
(async () => {
  const store = await open();
  const team = ${JSON.stringify(TEAM_ID)};
  const zaak = await store.getCase(team, process.env.CASE_ID);
  const events = await store.listEvents(team, process.env.CASE_ID);
  const jobs = await store.listJobs(team);
  const zaken = (await Promise.all([...new Set([zaak.id, ...jobs.map((j) => j.caseId).filter(Boolean)])].map((id) => store.getCase(team, id))));
  write({
    answers: zaak.uitvragen.map((u) => [u.status, u.antwoord && u.antwoord.tekst]),
    answerEvents: events.filter((e) => e.type === 'uitvraag.beantwoord').length,
    jobs: jobs.map((j) => ({ id: j.id, kind: j.kind, caseId: j.caseId, ref: j.ref, status: j.status, leaseOwner: j.leaseOwner, verzendpoging: j.verzendpoging })),
    views: zaken.flatMap((z) => draadWeergaven(z, ${JSON.stringify(TIME_ZONE)}).map((v) => ({ messageId: v.messageId, card: v.card }))),
  });
  await store.close();
})();
`,
    { CASE_ID: caseId },
  );
}

export const partners = (n: number): User[] => Array.from({ length: n }, (_, i) => ({ id: `29:partner-${i + 1}`, aadObjectId: `aad-partner-${i + 1}`, name: `Partner ${String(i + 1).padStart(2, '0')}` }));
export const THREAD = (caseId: string) => `${CHANNEL_ID};messageid=root-${caseId}`;
export const ANSWER = (user: User) => ({ antwoord: `Antwoord van ${user.name}`, bron: 'Eigen registratie', bekend: 'nee' });

/** A POST to a process; a dropped connection (the process was killed) is status 0. */
export async function post(instance: Instance, activity: object): Promise<{ status: number; body?: any }> {
  try {
    const res = await fetch(`http://127.0.0.1:${instance.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const body = await res.text();
    return { status: res.status, body: body ? JSON.parse(body) : undefined };
  } catch {
    return { status: 0 };
  }
}

/** The partner's answer form (as Teams refreshes the prompt card for them), then the answer from it. */
export async function answerActivity(instance: Instance, serviceUrl: string, caseId: string, user: User, i: number): Promise<object> {
  const env = { serviceUrl };
  const refresh = cardAction(env, user, Verb.uitvraagVernieuwen, { caseId, uitvraagId: `vraag-${i + 1}` }, `prompt-${i + 1}`, THREAD(caseId));
  const form = (await post(instance, { ...refresh, value: { ...refresh.value, trigger: 'automatic' } })).body.value;
  return cardAction(env, user, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, ANSWER(user)), `prompt-${i + 1}`, THREAD(caseId));
}

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A delivered monitoring card's case and date, from its Bekijken action (the channel card shows status only). */
export function deliveryKey(call: RecordedCall): string | undefined {
  const actions: any[] = call.body?.attachments?.[0]?.content?.actions ?? [];
  const data = actions.find((a) => a?.verb === Verb.opvolgingBekijken && a.data?.soort === 'monitoring')?.data;
  return data ? `${data.caseId}|${data.ref}` : undefined;
}

/** Monitoring cards Teams took, counted per job. */
export function deliveries(connector: FakeConnector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply')) {
    const key = deliveryKey(call);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The thread messages whose last card in Teams (posted, or the last PUT) is not the fresh render of the stored case. */
export function wrongViews(connector: FakeConnector, views: StoredState['views']): string[] {
  const shown = new Map<string, unknown>();
  // What each message shows: the card it was posted with, then each card put in it.
  for (const { call, card } of connector.cards('send')) shown.set(call.responseId!, card);
  for (const { call, card } of connector.cards('update')) shown.set(call.activityId!, card);
  return views.filter((v) => JSON.stringify(shown.get(v.messageId)) !== JSON.stringify(v.card)).map((v) => v.messageId);
}

/** Sends and PUTs of the dispatcher (not the turns' look-ups). */
export const proactive = (call: RecordedCall) => call.kind === 'send' || call.kind === 'reply' || call.kind === 'update';
