import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { text } from '../support/cards';
import { FakeConnector } from '../support/fake-connector';
import { answerActivity, Bots, buildApp, partners, post, readState, seed, sqliteFile, type SharedStore } from '../support/instances';
import { killBetweenStoreAndViews } from './instances';

/*
 * Several bot processes on one host sharing one SQLite file: three separate Node processes (the
 * built app, `node dist/src/index.js`, with the dispatcher and retention on) and fifty partners
 * answering their own question on one case at the same moment, spread over the three. Every
 * answer must be stored, and every partner must get the confirmation.
 */

const PARTNERS = 50;

describe('three bot processes on one SQLite file', () => {
  let out = '';
  let store: SharedStore;
  let connector: FakeConnector;
  let bots: Bots;

  beforeAll(async () => {
    out = buildApp('sqlite');
    store = await sqliteFile();
    connector = await new FakeConnector().start();
    bots = new Bots(out, store, { DISPATCH_ENABLED: 'true', DISPATCH_POLL_MS: '100' });
  }, 240_000);

  afterAll(async () => {
    await bots?.stop();
    await connector?.stop();
    await store?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('stores all fifty answers sent at once to three processes', { timeout: 240_000 }, async () => {
    // Three processes start on a fresh file together: each migration is applied once.
    const started = await Promise.all(['a', 'b', 'c'].map((n) => bots.start(n)));
    const { caseId, schema, migrations } = await seed(bots, { serviceUrl: connector.url, questions: PARTNERS });
    expect(migrations).toBeGreaterThan(0);
    expect(schema).toBe(migrations);
    const users = partners(PARTNERS);
    connector.members = users.map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    const activities = await Promise.all(users.map((u, i) => answerActivity(started[i % 3]!, connector.url, caseId, u, i)));

    const responses = await Promise.all(activities.map((a, i) => post(started[i % 3]!, a)));

    const failed = responses.flatMap((r, i) => (r.status === 200 && text(r.body?.value).includes('Je antwoord is opgeslagen') ? [] : [{ partner: i + 1, status: r.status, body: r.body }]));
    expect(failed).toEqual([]);
    const stored = await readState(bots, caseId);
    expect(stored.answers).toEqual(users.map((user) => ['beantwoord', `Antwoord van ${user.name}`]));
    expect(stored.answerEvents).toBe(PARTNERS);
    // Each process took its share, and none logged a locked database.
    for (const instance of started) {
      expect(instance.logs.some((l) => l.msg === 'prompt answered')).toBe(true);
      expect(instance.logs.filter((l) => JSON.stringify(l).includes('database is locked'))).toEqual([]);
    }
  });
});

describe('bot processes on one SQLite file, one killed between store and views', () => {
  killBetweenStoreAndViews(sqliteFile);
});
