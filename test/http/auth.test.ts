import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { Verb } from '../../src/verbs';
import { FLAG_FORM, OFFICIER, TEAM_ID, TENANT, botInstalled, cardAction, mention } from '../support/activities';
import { TEST_STORE_KIND } from '../support/cosmos';
import { startHarness, type Harness } from '../support/harness';

const APP_ID = '5e1f0000-0000-4000-8000-00000000a991';


/** A well-formed JWT that no one trusts: signed with a key of our own and issued by a stranger. */
function forgedToken(): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ iss: 'https://aanvaller.example', aud: APP_ID, serviceurl: 'http://127.0.0.1', nbf: now - 60, exp: now + 3600 });
  const signature = createHmac('sha256', 'geheim').update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

describe('HTTP: with bot credentials configured', () => {
  let h: Harness | undefined;
  // botbuilder prints each refused request with console.error; keep it out of the test output,
  // but check that what it prints carries no case text.
  let consoleError: MockInstance<typeof console.error>;
  beforeEach(() => {
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    const printed = consoleError.mock.calls.map((args) => args.map(String).join(' ')).join('\n');
    consoleError.mockRestore();
    expect(printed).not.toContain('blikjes cola');
  });

  async function secured(): Promise<Harness> {
    return startHarness({
      config: { VERDIEP_ENV: 'dev', HOST: '127.0.0.1', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'niet-het-echte-wachtwoord', ALLOWED_TENANT_IDS: TENANT, OFFICIEREN: 'aad-officier' },
    });
  }

  async function nothingHappened(harness: Harness): Promise<void> {
    expect(harness.connector.calls).toEqual([]);
    expect(await harness.store.listTeams()).toEqual([]);
    expect(await harness.store.getTeam(TEAM_ID)).toBeUndefined();
    expect(await harness.store.listCases(TEAM_ID, { includeClosed: true })).toEqual([]);
  }

  it('the same activities without auth do reach the bot (control for the checks below)', async () => {
    h = await startHarness();
    expect((await h.post(botInstalled(h, OFFICIER))).status).toBe(200);
    expect((await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, FLAG_FORM))).status).toBe(200);
    expect(h.connector.calls.length).toBeGreaterThan(0);
    expect(await h.store.getTeam(TEAM_ID)).toBeDefined();
    expect(await h.store.listCases(TEAM_ID)).toHaveLength(1);
  });

  it('answers 401 to a POST without an Authorization header and does nothing', async () => {
    h = await secured();
    expect(h.config.auth.MicrosoftAppId).toBe(APP_ID);
    for (const activity of [botInstalled(h, OFFICIER), mention(h, OFFICIER, 'verdiep'), cardAction(h, OFFICIER, Verb.markeringIndienen, FLAG_FORM)]) {
      const res = await h.post(activity);
      expect(res.status).toBe(401);
    }
    await nothingHappened(h);
  });

  it.each([
    ['a garbage bearer token', 'Bearer dit-is-geen-token'],
    ['an empty bearer token', 'Bearer '],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['a forged token from a foreign issuer', `Bearer ${forgedToken()}`],
  ])('answers 401 to %s and does nothing', async (_what, authorization) => {
    h = await secured();
    for (const activity of [botInstalled(h, OFFICIER), cardAction(h, OFFICIER, Verb.markeringIndienen, FLAG_FORM)]) {
      const res = await h.post(activity, { authorization });
      expect(res.status).toBe(401);
    }
    await nothingHappened(h);
  });
});

describe('HTTP: health check', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  async function health(harness: Harness): Promise<{ status: number; body: any }> {
    const res = await fetch(`http://127.0.0.1:${harness.bot.port}/healthz`);
    return { status: res.status, body: await res.json() };
  }

  it('answers 200 with the store kind, needing no credentials', async () => {
    h = await startHarness({ config: { VERDIEP_ENV: 'dev', HOST: '127.0.0.1', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', ALLOWED_TENANT_IDS: TENANT, OFFICIEREN: 'aad-officier' } });
    const res = await health(h);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: { ok: true, kind: TEST_STORE_KIND } });
  });

  it('answers 503 once the store is closed', async () => {
    h = await startHarness();
    expect((await health(h)).status).toBe(200);
    await h.store.close();
    const res = await health(h);
    expect(res.status).toBe(503);
    // Why goes to the log only: anyone may ask /healthz.
    expect(res.body).toEqual({ status: 'unhealthy', store: { ok: false, kind: TEST_STORE_KIND } });
    expect(h.logs.some((l) => l.msg === 'health check: store unhealthy' && typeof l.detail === 'string' && l.detail.length > 0)).toBe(true);
  });
});
