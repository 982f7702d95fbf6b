import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, TEAM_ID, TENANT, cardAction, type User } from '../support/activities';
import { submit, text } from '../support/cards';
import { FakeConnector } from '../support/fake-connector';

/*
 * Several bot processes on one host sharing one SQLite file: three separate Node processes (the
 * built app, `node dist/src/index.js`, with the dispatcher and retention on) and fifty partners
 * answering their own question on one case at the same moment, spread over the three. Every
 * answer must be stored, and every partner must get the confirmation.
 */

const ROOT = resolve(__dirname, '..', '..');
const PARTNERS = 50;
const THREAD = `${CHANNEL_ID};messageid=root-1`;

/*
 * The test's own writes and reads of the file run in a short child process of the built app too:
 * better-sqlite3 12 on Node 24 may abort when its statements are garbage-collected, and this test
 * process must not be the one that dies (such a script may even abort on exit, after its answer).
 * Each script writes one JSON line, synchronously.
 */
const SEED = `
const { SqliteStore } = require('./src/store/sqlite');
const { ZaakService } = require('./src/domain/service');
const { kaartGeplaatst, uitnodigen } = require('./src/domain/uitvraag');
(async () => {
  const store = new SqliteStore(process.env.SQLITE_PATH);
  const lead = { id: 'aad-lead', name: 'Officier Van Dijk', teamsId: '29:lead' };
  const service = new ZaakService(store, { now: () => new Date() }, { next: () => 'case-1' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 1800000 });
  const zaak = await service.flag(${JSON.stringify(TEAM_ID)}, { reference: '13/777000-26', types: ['jeugd'], signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, lead);
  await service.change(zaak.teamId, zaak.id, lead, () => [{ type: 'zaak.thread_geopend', data: { channelId: ${JSON.stringify(CHANNEL_ID)}, conversationId: ${JSON.stringify(THREAD)}, rootMessageId: 'root-1' } }]);
  const deadline = new Date(Date.now() + 7200000).toISOString();
  for (let i = 1; i <= ${PARTNERS}; i++) {
    const invitee = { id: 'aad-partner-' + i, name: 'Partner ' + String(i).padStart(2, '0'), teamsId: '29:partner-' + i };
    await service.change(zaak.teamId, zaak.id, lead, (z) => uitnodigen(z, [lead.id], { invitee, organisatie: 'wijkteam', vraag: 'Vraag ' + i + ': is het gezin bij jullie bekend?', waarom: 'Bepaalt welke zorg we naast de straf inzetten.', deadline }, 'vraag-' + i));
    await service.change(zaak.teamId, zaak.id, lead, (z) => kaartGeplaatst(z, 'vraag-' + i, 'prompt-' + i));
  }
  // A fresh store applies every migration the store defines: the file must be at that version.
  const fresh = new SqliteStore(':memory:');
  require('node:fs').writeSync(1, JSON.stringify({ caseId: zaak.id, schema: store.schemaVersion(), migrations: fresh.schemaVersion() }) + '\\n');
  await fresh.close();
  await store.close();
})();
`;
const READ = `
const { SqliteStore } = require('./src/store/sqlite');
(async () => {
  const store = new SqliteStore(process.env.SQLITE_PATH);
  const zaak = await store.getCase(${JSON.stringify(TEAM_ID)}, process.env.CASE_ID);
  const events = await store.listEvents(${JSON.stringify(TEAM_ID)}, process.env.CASE_ID);
  require('node:fs').writeSync(1, JSON.stringify({ answers: zaak.uitvragen.map((u) => [u.status, u.antwoord && u.antwoord.tekst]), answerEvents: events.filter((e) => e.type === 'uitvraag.beantwoord').length }) + '\\n');
  await store.close();
})();
`;

interface Instance {
  child: ChildProcess;
  logs: any[];
  port: number;
  exited: Promise<number | null>;
}

describe('three bot processes on one SQLite file', () => {
  let out = '';
  let dir = '';
  let connector: FakeConnector;
  const instances: Instance[] = [];

  beforeAll(async () => {
    const cache = join(ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    out = mkdtempSync(join(cache, 'verdiep-sqlite-instances-'));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', out], { cwd: ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'verdiep-shared-'));
    connector = await new FakeConnector().start();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(
      instances.map(async (i) => {
        if (i.child.exitCode !== null || i.child.signalCode !== null) return;
        i.child.kill('SIGTERM');
        const timer = setTimeout(() => i.child.kill('SIGKILL'), 5_000);
        await i.exited;
        clearTimeout(timer);
      }),
    );
    await connector?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function startInstance(): Promise<Instance> {
    const child = spawn(process.execPath, [join(out, 'src', 'index.js')], {
      cwd: tmpdir(),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        VERDIEP_ENV: 'local',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ALLOWED_TENANT_IDS: TENANT,
        STORE: 'sqlite',
        SQLITE_PATH: join(dir, 'verdiep.db'),
        DISPATCH_ENABLED: 'true',
        DISPATCH_POLL_MS: '100',
      },
    });
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
            if (entry.msg === 'Verdiep is listening') resolveStart({ child, logs, port: entry.port, exited });
          } catch {
            logs.push({ raw: line });
          }
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => logs.push({ stderr: chunk.toString('utf8') }));
      void exited.then((code) => reject(new Error(`an instance exited (${code}) before listening: ${JSON.stringify(logs.slice(-5))}`)));
    }).then((instance) => (instances.push(instance), instance));
  }

  const script = (code: string, env: Record<string, string> = {}) => {
    const run = spawnSync(process.execPath, ['-e', code], { cwd: out, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', SQLITE_PATH: join(dir, 'verdiep.db'), ...env } });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`script failed (${run.status}): ${run.stderr.slice(0, 2000)}`);
    return JSON.parse(line);
  };

  const post = async (instance: Instance, activity: object) => {
    const res = await fetch(`http://127.0.0.1:${instance.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const body = await res.text();
    return { status: res.status, body: body ? JSON.parse(body) : undefined };
  };

  it('stores all fifty answers sent at once to three processes', { timeout: 240_000 }, async () => {
    // Three processes start on a fresh file together: each migration is applied once.
    const started = await Promise.all([startInstance(), startInstance(), startInstance()]);
    const { caseId, schema, migrations } = script(SEED);
    expect(migrations).toBeGreaterThan(0);
    expect(schema).toBe(migrations);
    const partners: User[] = Array.from({ length: PARTNERS }, (_, i) => ({ id: `29:partner-${i + 1}`, aadObjectId: `aad-partner-${i + 1}`, name: `Partner ${String(i + 1).padStart(2, '0')}` }));
    connector.members = partners.map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    const env = { serviceUrl: connector.url };
    const forms = await Promise.all(
      partners.map(async (user, i) => {
        const activity = cardAction(env, user, Verb.uitvraagVernieuwen, { caseId, uitvraagId: `vraag-${i + 1}` }, `prompt-${i + 1}`, THREAD);
        return (await post(started[i % 3]!, { ...activity, value: { ...activity.value, trigger: 'automatic' } })).body.value;
      }),
    );

    const responses = await Promise.all(
      partners.map((user, i) =>
        post(started[i % 3]!, cardAction(env, user, Verb.uitvraagBeantwoorden, submit(forms[i], Verb.uitvraagBeantwoorden, { antwoord: `Antwoord van ${user.name}`, bron: 'Eigen registratie', bekend: 'nee' }), `prompt-${i + 1}`, THREAD)),
      ),
    );

    const failed = responses.flatMap((r, i) => (r.status === 200 && text(r.body?.value).includes('Je antwoord is opgeslagen') ? [] : [{ partner: i + 1, status: r.status, body: r.body }]));
    expect(failed).toEqual([]);
    const stored = script(READ, { CASE_ID: caseId });
    expect(stored.answers).toEqual(partners.map((user) => ['beantwoord', `Antwoord van ${user.name}`]));
    expect(stored.answerEvents).toBe(PARTNERS);
    // Each process took its share, and none logged a locked database.
    for (const instance of started) {
      expect(instance.logs.some((l) => l.msg === 'prompt answered')).toBe(true);
      expect(instance.logs.filter((l) => JSON.stringify(l).includes('database is locked'))).toEqual([]);
    }
  });
});
