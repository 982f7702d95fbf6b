/**
 * `npm run bench`: the built bot beside a bare botbuilder echo bot (the floor) on the same restify
 * stack, driven by one load client with the same load, against one fake Bot Connector. Prints one
 * JSON line per figure and then a table; each figure carries its ratio to the floor, and a turn's
 * figure also the CPU time per turn of both server processes (from /proc), all threads and the main
 * thread alone, with their ratios. A benchmark, not a test: read ratios from one run on one
 * machine, not absolute times.
 *
 * Environment: BENCH_TURNS (requests per scenario and bot, default 240), BENCH_CONCURRENCY (8),
 * BENCH_ONLY (a pattern: only the figures whose name matches), BENCH_WARMUP (turns per side before a
 * figure's measured rounds; default an eighth of its turns, at least two per concurrent request),
 * BENCH_CPU_PROF (a folder: the bot runs with `node --cpu-prof` and writes its profile there when
 * the run ends), BENCH_RUNS (runs in fresh processes, one after the other: with more than one, each
 * run's output goes to stderr and stdout gets each figure's median and range over the runs),
 * BENCH_TEAMS_MS (how long each Teams call takes in the figure that waits on Teams, default 100).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, fdatasyncSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, CardFactory, type TurnContext } from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import { caseListCard, MAX_IN_LIJST } from '../cards/case-list';
import { reeks, reeksTabel, round, type Meting } from './bench-reeks';
import { digestCards } from '../cards/digest';
import { createAdapter } from '../src/bot/app';
import { threadUrl } from '../src/bot/teams';
import { VERDIEP, zaakweergave } from '../src/bot/views';
import { Dispatcher } from '../src/dispatch/dispatcher';
import { teamsPort, type TeamsPort } from '../src/dispatch/teams-port';
import { parseConfig } from '../src/config';
import { leesDigestBron, weekDigestUit } from '../src/domain/digest';
import { plannedJobs } from '../src/domain/planning';
import { ZaakService } from '../src/domain/service';
import { record, type NewZaakEvent, type Verdiepingszaak } from '../src/domain/zaak';
import { createLogger } from '../src/log';
import { SqliteStore } from '../src/store/sqlite';
import { datasync, WalSync } from '../src/store/wal-sync';
import { Verb } from '../src/verbs';

/** The repository root (this file runs from dist/scripts/). */
const ROOT = resolve(__dirname, basename(dirname(__dirname)) === 'dist' ? '../..' : '..');
const aantal = z.coerce.number().int();
/** A pattern as BENCH_ONLY gives it: one that compiles. */
function isPatroon(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
const BENCH_ENV = z.object({
  BENCH_TURNS: aantal.positive().default(240),
  BENCH_CONCURRENCY: aantal.positive().default(8),
  BENCH_ONLY: z.string().default('').refine(isPatroon, 'not a regular expression'),
  BENCH_WARMUP: aantal.nonnegative().optional(),
  BENCH_CPU_PROF: z.string().min(1).optional(),
  BENCH_RUNS: aantal.positive().default(1),
  BENCH_TEAMS_MS: aantal.positive().default(100),
});
const benchEnv = BENCH_ENV.safeParse(process.env);
if (!benchEnv.success) {
  console.error(`bench: ${z.prettifyError(benchEnv.error)}`);
  process.exit(2);
}
const { BENCH_TURNS: TURNS, BENCH_CONCURRENCY: CONCURRENCY, BENCH_WARMUP: WARMUP, BENCH_CPU_PROF: CPU_PROF, BENCH_RUNS: RUNS, BENCH_TEAMS_MS: TEAMS_MS } = benchEnv.data;
const ONLY = new RegExp(benchEnv.data.BENCH_ONLY, 'i');
const TENANT = '7a5e0000-0000-4000-8000-00000000be01';
const CHANNEL = '19:bench-kanaal@thread.tacv2';
const BOT = { id: '28:verdiep-bench', name: 'Verdiep' };
const USER = { id: '29:officier', name: 'Officier', aadObjectId: 'aad-officier' };
const PARTNER = { id: '29:vt', name: 'Veilig Thuis', aadObjectId: 'aad-vt' };
const SIZES = [100, 1_000, 10_000] as const;
const TZ = 'Europe/Amsterdam';
const AAD_GROUP = 'aad-group-bench';
const teamOf = (size: number | string) => `19:bench-team-${size}@thread.tacv2`;

// --- the floor: a bare echo bot on the same restify stack ---------------------------------------

async function floor(): Promise<void> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ name: 'floor', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'ok' }] };
  // `zaken` gets the bot's own zaken card, rendered once at start: the framework's cost of sending a card that size.
  const zakenKaart = benchZakenKaart();
  // The `verdiepingskaart` invoke gets the card a principle save answers with: the framework's cost of answering with a card that size.
  const verdiepingskaart = benchVerdiepingskaart();
  // `verdiepingskaart-duurzaam` first appends the action to a file and waits for a disk sync that
  // started after it, in-line at the end of the event loop turn or on the thread pool, shared: what the store's WAL sync does.
  const bestand = openSync(process.env.FLOOR_FILE!, 'a');
  const schijf = new WalSync({ onPool: () => datasync(bestand), inline: () => fdatasyncSync(bestand) });
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context: TurnContext) => {
      if (context.activity.type === 'invoke') {
        const verb = (context.activity.value as { action?: { verb?: string } } | undefined)?.action?.verb;
        if (verb === 'verdiepingskaart-duurzaam') {
          writeSync(bestand, `${JSON.stringify(context.activity.value)}\n`);
          await schijf.flushed();
        }
        const antwoord = verb?.startsWith('verdiepingskaart') ? verdiepingskaart : card;
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: antwoord } } });
      } else if (context.activity.type === 'message') {
        const kaart = /zaken$/.test(context.activity.text ?? '') ? zakenKaart : { ...card, body: [{ type: 'TextBlock', text: context.activity.text ?? '' }] };
        await context.sendActivity({ attachments: [CardFactory.adaptiveCard(kaart)] });
      }
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
}

// --- the fake Bot Connector ---------------------------------------------------------------------

interface Connector {
  url: string;
  sends: { conversation: string; at: number }[];
  /** While true, every message the bots post is answered 429 with Retry-After: 1 (Teams throttling). */
  druk: boolean;
  /** Every call is answered this many ms late (a Teams round trip). */
  traagMs: number;
  close(): void;
}

async function connector(): Promise<Connector> {
  let n = 0;
  const sends: Connector['sends'] = [];
  const c: Connector = { url: '', sends, druk: false, traagMs: 0, close: () => server.close() };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!.split('/').map(decodeURIComponent);
      const json = (status: number, body: unknown) => {
        const antwoord = () => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (c.traagMs > 0) setTimeout(antwoord, c.traagMs);
        else antwoord();
      };
      // /v3/conversations[/<id>/activities[/<id>] | /<id>/members[/<id>]]
      if (path[4] === 'members') return json(200, path[5] ? { ...USER, userPrincipalName: 'o@example.org' } : [USER]);
      // Busy: every post is refused, a new thread's case card as much as a reply.
      if (req.method === 'POST' && c.druk) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return res.end(JSON.stringify({ error: { code: 'Throttled', message: 'Too many requests' } }));
      }
      if (req.method === 'POST' && path.length === 3) return json(200, { id: `${CHANNEL};messageid=${++n}`, activityId: String(n) });
      if (req.method === 'POST') sends.push({ conversation: path[3] ?? '', at: performance.now() });
      return json(200, { id: `act-${++n}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  c.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return c;
}

// --- seeding ------------------------------------------------------------------------------------

const FASEN = ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring'] as const;

/** A realistic open case recorded the way the bot records it: flagged, a thread, a phase, a partner question. */
function seedCase(teamId: string, i: number, at: number): { zaak: Verdiepingszaak; events: ReturnType<typeof record>['events'] } {
  const caseId = `bench-${teamId.length}-${i}`;
  const fase = FASEN[i % FASEN.length]!;
  const changes: NewZaakEvent[] = [
    { type: 'zaak.gemarkeerd', data: { reference: `13/${String(100000 + i)}-26`, types: i % 3 ? ['jeugd'] : ['huiselijk_geweld', 'lvb'], signaal: 'Jongen (15) stal in een winkel; niet op school, gezinsvoogd betrokken.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } },
    { type: 'zaak.thread_geopend', data: { channelId: CHANNEL, conversationId: `${CHANNEL};messageid=${caseId}`, rootMessageId: caseId } },
    ...(fase === 'gemarkeerd' ? [] : [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: fase } } as NewZaakEvent]),
    { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: { id: PARTNER.aadObjectId, name: PARTNER.name, teamsId: PARTNER.id }, organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend?', waarom: 'Nodig voor de duiding.', deadline: new Date(at + (i % 2 ? -1 : 1) * 86_400_000).toISOString() } },
  ];
  return record(undefined, { teamId, caseId }, { id: USER.aadObjectId, name: USER.name }, new Date(at - i * 60_000), changes);
}

async function seed(path: string): Promise<void> {
  const store = new SqliteStore(path);
  const now = Date.now();
  for (const size of SIZES) for (let i = 0; i < size; i++) {
    const { zaak, events } = seedCase(teamOf(size), i, now);
    await store.createCase(zaak, events);
  }
  await store.close();
}

/** The newest cases of the 10,000-case team, the ones its zaken card lists. */
const nieuwsteZaken = () => Array.from({ length: MAX_IN_LIJST }, (_, i) => seedCase(teamOf(10_000), i, Date.now()).zaak);

/** The zaken card the bot sends for the 10,000-case team: its newest cases, each linked to its thread as the bot links it. */
function benchZakenKaart(zaken = nieuwsteZaken()) {
  return caseListCard(zaken, new Date(), TZ, (z) => threadUrl(z.thread, TENANT, AAD_GROUP), 10_000);
}

/** The verdiepingskaart a principle save answers with, for one of the bench's flagged cases after its first save of step 1. */
function benchVerdiepingskaart() {
  const caseId = randomUUID();
  const { zaak } = record(undefined, { teamId: teamOf('x'), caseId }, { id: USER.aadObjectId, name: USER.name }, new Date(), [
    { type: 'zaak.gemarkeerd', data: { reference: '13/900000-26', types: ['jeugd'], signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } },
    { type: 'zaak.thread_geopend', data: { channelId: CHANNEL, conversationId: `${CHANNEL};messageid=${caseId}`, rootMessageId: caseId } },
    { type: 'zaak.verdiepingskaart_geplaatst', data: { messageId: `${caseId}-kaart` } },
    { type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorgen: 'Zorg 0', tegenstrijdig: 'Feiten spreken elkaar tegen.' } } },
  ]);
  return zaakweergave(zaak, 'verdiepingskaart', TZ, 'betrokken', { tekst: 'Stap 1 is opgeslagen (versie 1).', soort: 'goed' });
}

// --- load -----------------------------------------------------------------------------------------

function activity(serviceUrl: string, team: string, extra: object) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: USER,
    recipient: BOT,
    conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { tenant: { id: TENANT }, team: { id: team, name: 'ZSM Bench', aadGroupId: AAD_GROUP }, channel: { id: CHANNEL, name: 'ZSM' } },
    ...extra,
  };
}

const message = (serviceUrl: string, text: string, team = teamOf('x')) =>
  activity(serviceUrl, team, { type: 'message', text: `<at>Verdiep</at> ${text}`, entities: [{ type: 'mention', text: '<at>Verdiep</at>', mentioned: BOT }] });
const invoke = (serviceUrl: string, verb: string, data: object, conversationId = CHANNEL, replyToId = 'card-1', team = teamOf('x')) => ({
  ...activity(serviceUrl, team, { type: 'invoke', name: 'adaptiveCard/action', replyToId, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }),
  conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
});

async function post(port: number, body: object): Promise<{ ms: number; status: number; text: string }> {
  const start = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { ms: performance.now() - start, status: res.status, text };
}

/** `count` requests, `CONCURRENCY` at a time; the latencies in ms. */
async function load(count: number, request: (i: number, worker: number) => Promise<{ ms: number; status: number }>, concurrency = CONCURRENCY): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < count) {
        const r = await request(next++, worker);
        if (r.status >= 300) throw new Error(`HTTP ${r.status}`);
        times.push(r.ms);
      }
    }),
  );
  return times;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
/** A figure as the bench reports it: what a series of runs sums up (Meting) and the values behind the ratios. */
interface Figure extends Meting {
  value: number;
  floor: number;
  p99?: number;
  floorP99?: number;
  /** CPU ms per turn of the bot's and the floor's process over the measured rounds: steadier than latency on a shared machine. */
  cpu?: number;
  floorCpu?: number;
  /** The same for the main thread alone: a turn waits for it, while the other threads run beside it. */
  mainCpu?: number;
  floorMainCpu?: number;
}

const figures: Figure[] = [];
function report(f: Omit<Figure, 'ratio' | 'cpuRatio' | 'mainCpuRatio'>): void {
  const figure = {
    ...f,
    value: round(f.value),
    floor: round(f.floor),
    ratio: round(f.value / f.floor),
    ...(f.p99 !== undefined ? { p99: round(f.p99), floorP99: round(f.floorP99!) } : {}),
    ...(f.cpu !== undefined ? { cpu: round(f.cpu), floorCpu: round(f.floorCpu!), cpuRatio: round(f.cpu / f.floorCpu!) } : {}),
    ...(f.mainCpu !== undefined ? { mainCpu: round(f.mainCpu), floorMainCpu: round(f.floorMainCpu!), mainCpuRatio: round(f.mainCpu / f.floorMainCpu!) } : {}),
  };
  figures.push(figure);
  console.log(JSON.stringify(figure));
}

/** The two server processes, once started: their CPU time is read from /proc around each round. */
const servers: { bot?: number; floor?: number } = {};
/**
 * A process's CPU time so far, in ms: the sum over its threads of the time each ran, and its main
 * thread's (the one that runs JavaScript; its id is the process's), from the scheduler's nanosecond
 * counts (Linux /proc/<pid>/task/<tid>/schedstat; undefined elsewhere). /proc's tick counts
 * (10 ms) are too coarse for a round of a few hundred ms.
 */
function cpuMs(pid: number | undefined): { all: number; main: number } | undefined {
  const dir = `/proc/${pid}/task`;
  if (pid === undefined || !existsSync(dir)) return undefined;
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(dir)) {
    try {
      const ns = Number(readFileSync(`${dir}/${tid}/schedstat`, 'utf8').split(' ')[0]);
      all += ns;
      if (tid === String(pid)) main = ns;
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return { all: all / 1e6, main: main / 1e6 };
}

/** Runs a round and adds its server's CPU time to `total`. */
async function timedRound(pid: number | undefined, total: { ms: number; main: number }, round: () => Promise<number[]>): Promise<number[]> {
  const before = cpuMs(pid);
  const times = await round();
  const after = cpuMs(pid);
  if (before !== undefined && after !== undefined) {
    total.ms += after.all - before.all;
    total.main += after.main - before.main;
  }
  return times;
}

/**
 * Interleaved rounds: bot, floor, bot, floor …, so drift on a shared machine hits both alike.
 * `inProcess`: both sides run in this process (no server CPU to read).
 */
async function compare(name: string, bot: (i: number, w: number) => Promise<{ ms: number; status: number }>, floorReq: (i: number, w: number) => Promise<{ ms: number; status: number }>, turns = TURNS, concurrency = CONCURRENCY, inProcess = false): Promise<void> {
  if (!ONLY.test(name)) return;
  const a: number[] = [];
  const b: number[] = [];
  // Warm-up, not measured, so the first figure of a run is not the one that pays for the JIT's first tiers.
  const warmUp = WARMUP ?? Math.max(concurrency * 2, Math.ceil(turns / 8));
  await load(warmUp, bot, concurrency);
  await load(warmUp, floorReq, concurrency);
  const rounds = 8;
  const cpu = { bot: { ms: 0, main: 0 }, floor: { ms: 0, main: 0 } };
  for (let r = 0; r < rounds; r++) {
    a.push(...(await timedRound(servers.bot, cpu.bot, () => load(Math.ceil(turns / rounds), bot, concurrency))));
    b.push(...(await timedRound(servers.floor, cpu.floor, () => load(Math.ceil(turns / rounds), floorReq, concurrency))));
  }
  const cpuFigures =
    !inProcess && cpu.floor.ms > 0
      ? { cpu: cpu.bot.ms / a.length, floorCpu: cpu.floor.ms / b.length, mainCpu: cpu.bot.main / a.length, floorMainCpu: cpu.floor.main / b.length }
      : {};
  report({ figure: name, unit: 'ms p50', value: pct(a, 50), floor: pct(b, 50), p99: pct(a, 99), floorP99: pct(b, 99), ...cpuFigures });
}

function start(name: string, args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((ready, fail) => {
    // Its output is read (and dropped) all along, so a full pipe never holds the process up.
    const keep = (chunk: Buffer) => {
      if (out.length < 100_000) out += chunk;
      if (out.includes('listening')) ready(child);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code) => fail(new Error(`${name} exited (${code}): ${out.slice(-2000)}`)));
  });
}

/** A folder for a run's data files (the seeded one is about 85 MB), removed when the run ends, also when it fails. */
function tijdelijkeMap(): string {
  const dir = mkdtempSync(join(tmpdir(), 'verdiep-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * The zaken card alone: 25 cases rendered and serialised (JSON.stringify, as the connector client
 * does once to send it) in this process, one at a time, against the zaken turn's gap to the floor
 * at p50: how much of that gap is the card itself (its size, about 8 KB, against the floor's one line).
 */
function zakenCard(gapMs: number): void {
  const zaken = nieuwsteZaken();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < TURNS; i++) {
    const start = performance.now();
    bytes = JSON.stringify(benchZakenKaart(zaken)).length;
    times.push(performance.now() - start);
  }
  report({ figure: `zaken card alone (${MAX_IN_LIJST} cases, ${Math.round(bytes / 1024)} KB): render + serialise, vs the zaken gap to the floor`, unit: 'ms p50 (floor: Verdiep − floor at p50)', value: pct(times, 50), floor: gapMs });
}

/**
 * What `overzicht` does at 10,000 open cases beyond the store's own count-and-list query (the
 * open counts and one page of the newest open cases), and beyond the store queries the digest
 * itself makes: the digest read from the store, computed and rendered, in this process on the
 * same file, one at a time, against each.
 */
async function overzichtVsStore(dbPath: string): Promise<void> {
  const store = new SqliteStore(dbPath);
  const team = teamOf(10_000);
  const timed = (work: () => Promise<unknown>) => async () => {
    const start = performance.now();
    await work();
    return { ms: performance.now() - start, status: 200 };
  };
  const now = () => new Date();
  const overzicht = async () => digestCards(weekDigestUit(await leesDigestBron(store, team, now(), TZ), now(), TZ), { timeZone: TZ, threadUrl: () => 'https://teams.microsoft.com/l/message/x', soort: 'opvraag' });
  try {
    await compare(
      'overzicht (10000 open cases): digest read, computed and rendered vs the store\'s count-and-list query',
      timed(overzicht),
      timed(async () => Promise.all([store.countOpenCases(team), store.listOpenCases(team, { limit: 25 })])),
      TURNS / 4,
      1,
      true,
    );
    await compare('overzicht (10000 open cases): digest read, computed and rendered vs its store queries alone', timed(overzicht), timed(() => leesDigestBron(store, team, now(), TZ)), TURNS / 4, 1, true);
  } finally {
    await store.close();
  }
}

/** 1,000 due jobs over 50 threads, drained by a dispatcher against the fake connector; the Teams rates are the floor. */
async function dispatcherDrain(c: Connector): Promise<void> {
  const dir = tijdelijkeMap();
  const parsed = parseConfig({ VERDIEP_ENV: 'local', PORT: '0', ALLOWED_TENANT_IDS: TENANT, SQLITE_PATH: join(dir, 'jobs.db'), DISPATCH_ENABLED: 'false' });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const config = parsed.config;
  const store = new SqliteStore(config.store.sqlitePath);
  const teamId = teamOf('dispatch');
  const now = new Date();
  await store.saveTeam({
    teamId,
    tenantId: TENANT,
    channelId: CHANNEL,
    serviceUrl: c.url,
    conversationReference: { channelId: 'msteams', serviceUrl: c.url, bot: BOT, conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
    installedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    digestCron: '0 6 1 6 *',
  });
  const datum = now.toISOString().slice(0, 10);
  const eigenaar = { id: 'aad-halt', name: 'Halt', teamsId: '29:halt' };
  for (let t = 0; t < 50; t++) {
    const { zaak: z0, events: e0 } = seedCase(teamId, t, now.getTime());
    const besluit: NewZaakEvent = {
      type: 'besluit.vastgelegd',
      data: {
        afdoening: 'sepot_met_hulp',
        zorg: 'Halt.',
        waaromMix: 'Zorg eerst.',
        tijdstrategie: { keuze: 'geen', reden: '' },
        doelen: [],
        acties: Array.from({ length: 20 }, (_, k) => ({ id: `a${k}`, wat: `Actie ${k}`, eigenaar, datum, status: 'open' as const })),
        monitoring: [],
      },
    };
    const { zaak, events } = record(z0, { teamId, caseId: z0.id }, { id: USER.aadObjectId, name: USER.name }, now, [besluit]);
    const jobs = plannedJobs(zaak, events, { timeZone: 'UTC', reminderBeforeMs: 0 }).map((j) => ({ ...j, dueAt: new Date(now.getTime() - 1000).toISOString() }));
    await store.createCase(zaak, [...e0, ...events], jobs);
  }
  // When the dispatcher starts each send (what it controls), beside when the connector has it (arrival; the connector shares this process's event loop).
  const gestart: Connector['sends'] = [];
  const port = teamsPort(createAdapter({ config }), BOT.id);
  const teams: TeamsPort = {
    withTeam: (team, work) => port.withTeam(team, (api) => work({ ...api, send: (naar, card, signal) => (gestart.push({ conversation: naar, at: performance.now() }), api.send(naar, card, signal)) })),
  };
  const d = new Dispatcher({ config, log: createLogger('silent'), store, clock: { now: () => new Date() }, zaken: new ZaakService(store, { now: () => new Date() }, { next: () => randomUUID() }, { timeZone: 'UTC', reminderBeforeMs: 0 }) }, { teams, owner: 'bench' });
  c.sends.length = 0;
  const begin = performance.now();
  const result = await d.tick();
  const seconds = (performance.now() - begin) / 1000;
  const inSecond = (filter: (s: Connector['sends'][number]) => boolean, sends = c.sends) => {
    const at = sends.filter(filter).map((s) => s.at).sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[j]! <= at[i]! - 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  };
  report({ figure: `dispatcher: ${result.verzonden} jobs over 50 threads, sends/s`, unit: '/s (floor: Teams 25/s per tenant)', value: result.verzonden / seconds, floor: 25 });
  report({ figure: 'dispatcher: most sends started in any 1 s, tenant', unit: 'sends (limit 25)', value: inSecond(() => true, gestart), floor: 25 });
  report({ figure: 'dispatcher: most sends arriving at the connector in any 1 s, tenant', unit: 'sends (limit 25)', value: inSecond(() => true), floor: 25 });
  report({ figure: 'dispatcher: most sends in any 1 s, one thread', unit: 'sends (limit 7)', value: Math.max(...[...new Set(c.sends.map((s) => s.conversation))].map((k) => inSecond((s) => s.conversation === k))), floor: 7 });
  await store.close();
}

/** BENCH_RUNS fresh runs of this bench, one after the other; their figures summed up per figure. */
async function reeksVanRuns(): Promise<void> {
  const runs: Meting[][] = [];
  for (let r = 1; r <= RUNS; r++) {
    console.error(`run ${r} of ${RUNS}`);
    const child = spawn(process.execPath, [__filename], { cwd: ROOT, env: { ...process.env, BENCH_RUNS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      process.stderr.write(d);
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    if (code !== 0) throw new Error(`run ${r} of ${RUNS} ended with exit code ${code}`);
    runs.push(out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Meting));
  }
  const regels = reeks(runs);
  for (const r of regels) console.log(JSON.stringify(r));
  console.log(`\n${reeksTabel(regels)}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'floor') return floor();
  if (RUNS > 1) return reeksVanRuns();
  const c = await connector();
  const dir = tijdelijkeMap();
  const dbPath = join(dir, 'verdiep.db');
  const seedStart = performance.now();
  await seed(dbPath);
  console.error(`seeded ${SIZES.join(' + ')} open cases in ${Math.round(performance.now() - seedStart)} ms`);

  const [botPort, floorPort] = [await freePort(), await freePort()];
  const env = { VERDIEP_ENV: 'local', LOG_LEVEL: 'info', HOST: '127.0.0.1', ALLOWED_TENANT_IDS: TENANT, DISPATCH_ENABLED: 'false', BOT_ID: BOT.id };
  const t0 = performance.now();
  const bot = await start('bot', [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF)}`] : []), 'dist/src/index.js'], { ...env, PORT: String(botPort), SQLITE_PATH: dbPath });
  const botStart = performance.now() - t0;
  const t1 = performance.now();
  const floorBot = await start('floor', ['dist/scripts/bench.js', 'floor'], { PORT: String(floorPort), FLOOR_FILE: join(dir, 'floor.log') });
  const floorStart = performance.now() - t1;
  report({ figure: 'cold start (spawn to listening)', unit: 'ms', value: botStart, floor: floorStart });
  servers.bot = bot.pid;
  servers.floor = floorBot.pid;
  try {
    const floorMsg = () => post(floorPort, message(c.url, 'help'));
    const floorInvoke = () => post(floorPort, invoke(c.url, 'echo', {}));
    await compare('help', () => post(botPort, message(c.url, 'help')), floorMsg);
    for (const size of SIZES) await compare(`zaken (${size} open cases)`, () => post(botPort, message(c.url, 'zaken', teamOf(size))), floorMsg, size === 10_000 ? TURNS / 2 : TURNS);
    await compare('help, one at a time', () => post(botPort, message(c.url, 'help')), floorMsg, TURNS / 2, 1);
    await compare('zaken (10000 open cases), one at a time', () => post(botPort, message(c.url, 'zaken', teamOf(10_000))), floorMsg, TURNS / 2, 1);
    const zakenGap = figures.find((f) => f.figure === 'zaken (10000 open cases)');
    if (zakenGap) zakenCard(zakenGap.value - zakenGap.floor);
    await compare('zaken (10000 open cases) vs floor sending the same card', () => post(botPort, message(c.url, 'zaken', teamOf(10_000))), () => post(floorPort, message(c.url, 'zaken')), TURNS / 2);
    for (const size of SIZES) await compare(`overzicht (${size} open cases)`, () => post(botPort, message(c.url, 'overzicht', teamOf(size))), floorMsg, size === 10_000 ? TURNS / 4 : TURNS / 2);
    // One user alone: what a single overzicht costs, without seven others queued on the same core.
    await compare('overzicht (10000 open cases), one at a time', () => post(botPort, message(c.url, 'overzicht', teamOf(10_000))), floorMsg, TURNS / 8, 1);
    await overzichtVsStore(dbPath);
    // Veilig Thuis has an open question in every case: its own view reads the index and the 30 cases it shows.
    const mijnActies = async () => {
      const r = await post(botPort, { ...invoke(c.url, Verb.persoonlijkBekijken, { soort: 'mijn-acties' }, CHANNEL, 'status-1', teamOf(10_000)), from: PARTNER });
      if (!r.text.includes('wachten (10000)')) throw new Error(`mijn acties not listed: ${r.text.slice(0, 300)}`);
      return r;
    };
    await compare('mijn acties of a partner with 10000 open questions (Action.Execute) vs floor invoke', mijnActies, floorInvoke, TURNS / 4);
    // Teams throttles every message: Verdiep's turn hands its answer to the outbox; the floor waits out the library's retries.
    c.druk = true;
    // (The floor's turn ends in an error once its retries are spent: only its time counts here.)
    const floorDruk = async () => ({ ...(await floorMsg()), status: 200 });
    for (const opdracht of ['zaken', 'overzicht']) {
      await compare(`${opdracht} (1000 open cases) while Teams answers every message with 429`, () => post(botPort, message(c.url, opdracht, teamOf(1_000))), floorDruk, CONCURRENCY * 2);
    }
    // A flag stores the case and hands its thread to the outbox when Teams will not open it.
    let drukVlag = 0;
    const vlagBijDruk = async () => {
      const r = await post(botPort, invoke(c.url, Verb.markeringIndienen, { zaaknummer: `13/${String(800000 + drukVlag++)}-26`, zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkene_0_rol: 'verdachte', betrokkene_0_initialen: '', betrokkene_0_leeftijd: '12-17', rijen: 1 }));
      if (!r.text.includes('opent het zo vanzelf')) throw new Error(`flag not handed to the outbox: ${r.text.slice(0, 300)}`);
      return r;
    };
    await compare('flag a case (Action.Execute) while Teams answers every message with 429', vlagBijDruk, floorDruk, CONCURRENCY * 2);
    c.druk = false;
    // Teams takes its time (TEAMS_MS a call): a flag waits for the one call that opens its thread, the floor's message for its one reply.
    c.traagMs = TEAMS_MS;
    let traagVlag = 0;
    const vlagBijTraag = async () => {
      const r = await post(botPort, invoke(c.url, Verb.markeringIndienen, { zaaknummer: `13/${String(700000 + traagVlag++)}-26`, zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkene_0_rol: 'verdachte', betrokkene_0_initialen: '', betrokkene_0_leeftijd: '12-17', rijen: 1 }));
      if (!r.text.includes('eigen zaakgesprek')) throw new Error(`flag without its thread: ${r.text.slice(0, 300)}`);
      return r;
    };
    await compare(`flag a case (Action.Execute) while each Teams call takes ${TEAMS_MS} ms, vs floor answering a message`, vlagBijTraag, floorMsg, CONCURRENCY * 2, 1);
    c.traagMs = 0;

    // One flagged case per worker; each saves step 1 again and again (its own version, so no conflicts).
    const cases: { thread: string; kaart: string; versie: number; caseId: string }[] = [];
    const flagStart = performance.now();
    const flagCount = Math.max(CONCURRENCY, TURNS / 4);
    const flagTimes = await load(flagCount, async (i) => {
      const r = await post(botPort, invoke(c.url, Verb.markeringIndienen, { zaaknummer: `13/${String(900000 + i)}-26`, zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkene_0_rol: 'verdachte', betrokkene_0_initialen: '', betrokkene_0_leeftijd: '12-17', rijen: 1 }));
      if (!r.text.includes('13/')) throw new Error(`flag not recorded: ${r.text.slice(0, 300)}`);
      return r;
    });
    const flagSeconds = (performance.now() - flagStart) / 1000;
    const floorFlagStart = performance.now();
    await load(flagCount, floorInvoke);
    report({ figure: 'flag a case (Action.Execute), throughput', unit: 'flags/s (floor: invokes/s)', value: flagCount / flagSeconds, floor: flagCount / ((performance.now() - floorFlagStart) / 1000) });
    console.error(`flag latency p50 ${round(pct(flagTimes, 50))} ms, p99 ${round(pct(flagTimes, 99))} ms`);
    const store = new SqliteStore(dbPath);
    // The bench's bot has no dispatcher, which posts a flagged case's verdiepingskaart right after the answer: recorded here for the cases the saves act on.
    const zaken = new ZaakService(store, { now: () => new Date() }, { next: () => randomUUID() }, { timeZone: TZ, reminderBeforeMs: 0 });
    for (let w = 0; w < CONCURRENCY; w++) {
      const gemarkeerd = (await store.findCaseByReference(teamOf('x'), `13/${String(900000 + w)}-26`))!;
      const zaak = await zaken.change(gemarkeerd.teamId, gemarkeerd.id, VERDIEP, () => [{ type: 'zaak.verdiepingskaart_geplaatst', data: { messageId: `${gemarkeerd.id}-kaart` } }]);
      cases.push({ thread: zaak.thread!.conversationId, kaart: zaak.verdiepingskaartId!, versie: 0, caseId: zaak.id });
    }
    await store.close();
    const save = async (_i: number, w: number) => {
      const k = cases[w]!;
      const r = await post(botPort, invoke(c.url, Verb.principeOpslaan, { caseId: k.caseId, stap: 1, basisVersie: k.versie, nvt: 'false', nvt_reden: '', v_zorgen: `Zorg ${k.versie}`, v_tegenstrijdig: 'Feiten spreken elkaar tegen.' }, k.thread, k.kaart));
      if (!r.text.includes('is opgeslagen')) throw new Error(`save not recorded: ${r.text.slice(0, 300)}`);
      k.versie++;
      return r;
    };
    await compare('save a principle step (Action.Execute) vs floor invoke', save, floorInvoke);
    await compare('save a principle step, one at a time', save, floorInvoke, TURNS / 2, 1);
    await compare(`save a principle step vs floor answering with the same card (${Math.round(JSON.stringify(benchVerdiepingskaart()).length / 1024)} KB)`, save, () => post(floorPort, invoke(c.url, 'verdiepingskaart', {})));
    await compare('save a principle step vs floor answering with the same card after a disk sync (synced as the store syncs)', save, () => post(floorPort, invoke(c.url, 'verdiepingskaart-duurzaam', {})));
    // The turn's path without the save's own work: the same invoke, answered as unreadable before the case is read.
    const onleesbaar = async () => {
      const r = await post(botPort, invoke(c.url, Verb.principeOpslaan, { stap: 1 }, cases[0]!.thread, cases[0]!.kaart));
      if (!r.text.includes('kon niet worden gelezen')) throw new Error(`unreadable save not refused: ${r.text.slice(0, 300)}`);
      return r;
    };
    await compare('save with an unreadable form, answered before the case is read, vs floor invoke', onleesbaar, floorInvoke);
    if (ONLY.test('dispatcher')) await dispatcherDrain(c);
  } finally {
    await new Promise((stopped) => {
      bot.once('exit', stopped);
      bot.kill();
    });
    floorBot.kill();
    c.close();
  }
  const cells = (f: Figure) => [
    f.figure,
    `${f.value}${f.p99 !== undefined ? ` / ${f.p99}` : ''}`,
    `${f.floor}${f.floorP99 !== undefined ? ` / ${f.floorP99}` : ''}`,
    `${f.ratio}×`,
    f.cpu !== undefined ? `${f.cpu} / ${f.floorCpu} (${f.cpuRatio}×)` : '',
    f.mainCpu !== undefined ? `${f.mainCpu} / ${f.floorMainCpu} (${f.mainCpuRatio}×)` : '',
    f.unit,
  ];
  console.log(`\n| figure | Verdiep${figures.some((f) => f.p99) ? ' (p50 / p99)' : ''} | floor | ratio | CPU ms per turn, Verdiep / floor | main thread | unit |\n|---|---|---|---|---|---|---|`);
  for (const f of figures) console.log(`| ${cells(f).join(' | ')} |`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
