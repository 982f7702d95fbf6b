import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_BOT_ID, PLAYGROUND_TENANT_ID, parseConfig, readEnvFiles } from '../src/config';

const TENANT_A = '11111111-0000-4000-8000-00000000000a';
const TENANT_B = '22222222-0000-4000-8000-00000000000b';
const APP_ID = '33333333-0000-4000-8000-0000000000ap';

/** Outside local OFFICIEREN is required; the tests below are about other variables (its own test is at the end). */
function metOfficieren(values: Record<string, string | undefined>): Record<string, string | undefined> {
  return 'OFFICIEREN' in values || !values.VERDIEP_ENV || values.VERDIEP_ENV === 'local' ? values : { ...values, OFFICIEREN: 'aad-officier' };
}

function problemsOf(values: Record<string, string | undefined>): string[] {
  const parsed = parseConfig(metOfficieren(values));
  return parsed.ok ? [] : parsed.problems;
}

function configOf(values: Record<string, string | undefined>) {
  const parsed = parseConfig(metOfficieren(values));
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.config;
}

/** Each problem is one line that starts by naming the variable. */
function expectOneLinePer(problems: string[], variables: string[]): void {
  expect(problems).toHaveLength(variables.length);
  for (const problem of problems) expect(problem).not.toContain('\n');
  expect(problems.map((p) => /^config ([A-Z_]+):/.exec(p)?.[1]).sort()).toEqual([...variables].sort());
}

describe('parseConfig', () => {
  it('runs locally with defaults and nothing set', () => {
    const config = configOf({});
    expect(config.env).toBe('local');
    expect(config.local).toBe(true);
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('info');
    expect(config.auth.MicrosoftAppId).toBe('');
    expect(config.auth.MicrosoftAppType).toBe('MultiTenant');
    expect(config.botId).toBe(LOCAL_BOT_ID);
    expect(config.allowedTenantIds).toEqual([PLAYGROUND_TENANT_ID]);
    expect(config.store).toEqual({ kind: 'sqlite', sqlitePath: 'data/verdiep.db' });
    expect(config.timeZone).toBe('Europe/Amsterdam');
    expect(config.zsm.uitvraagDeadlineMs).toBe(120 * 60_000);
    expect(config.zsm.herinneringVoorMs).toBe(30 * 60_000);
    expect(config.zsm.monitoringDagen).toEqual([42, 91]);
    expect(config.zsm.officieren).toEqual(['7a5e0a11-0000-4000-8000-000000000101']);
    expect(config.beheerders).toEqual([]);
    expect(config.dispatch.teBesprekenDuidingDagen).toBe(3);
  });

  it('reads TE_BESPREKEN_DUIDING_DAGEN as whole days and refuses anything else in one line', () => {
    expect(parseConfig({ TE_BESPREKEN_DUIDING_DAGEN: '5' })).toMatchObject({ ok: true, config: { dispatch: { teBesprekenDuidingDagen: 5 } } });
    for (const wrong of ['0', '2.5', 'drie']) expectOneLinePer(problemsOf({ TE_BESPREKEN_DUIDING_DAGEN: wrong }), ['TE_BESPREKEN_DUIDING_DAGEN']);
  });

  it('needs the officieren outside local (locally the Playground officier), and reads the beheerders', () => {
    const problems = parseConfig({ VERDIEP_ENV: 'production', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', ALLOWED_TENANT_IDS: TENANT_A });
    expect(problems.ok ? [] : problems.problems).toEqual([expect.stringMatching(/^config OFFICIEREN: list the AAD object ids/)]);
    const config = configOf({ OFFICIEREN: 'a, b', BEHEERDERS: 'c' });
    expect(config.zsm.officieren).toEqual(['a', 'b']);
    expect(config.beheerders).toEqual(['c']);
  });

  it('treats empty values as unset', () => {
    const config = configOf({ PORT: '', TIME_ZONE: '', VERDIEP_ENV: '', MONITORING_DAGEN: '' });
    expect(config.port).toBe(3978);
    expect(config.timeZone).toBe('Europe/Amsterdam');
    expect(config.env).toBe('local');
    expect(config.zsm.monitoringDagen).toEqual([42, 91]);
  });

  it('reads the values it is given', () => {
    const config = configOf({
      PORT: '8080',
      LOG_LEVEL: 'debug',
      ALLOWED_TENANT_IDS: ` ${TENANT_A} , ${TENANT_B} `,
      OFFICIEREN: 'aad-1,aad-2',
      MONITORING_DAGEN: '14, 28',
      UITVRAAG_DEADLINE_MINUTES: '60',
      TIME_ZONE: 'Europe/Brussels',
      SQLITE_PATH: '/var/lib/verdiep/verdiep.db',
    });
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
    expect(config.allowedTenantIds).toEqual([TENANT_A, TENANT_B]);
    expect(config.zsm.officieren).toEqual(['aad-1', 'aad-2']);
    expect(config.zsm.monitoringDagen).toEqual([14, 28]);
    expect(config.zsm.uitvraagDeadlineMs).toBe(3_600_000);
    expect(config.timeZone).toBe('Europe/Brussels');
    expect(config.store.sqlitePath).toBe('/var/lib/verdiep/verdiep.db');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['TIME_ZONE', 'Europe/Amstredam'],
    ['TIME_ZONE', 'CEST'],
    ['LOG_LEVEL', 'loud'],
    ['VERDIEP_ENV', 'prod'],
    ['MONITORING_DAGEN', '42,abc'],
    ['MONITORING_DAGEN', '0'],
    ['UITVRAAG_DEADLINE_MINUTES', '1'],
    ['STORE', 'mongodb'],
    ['MICROSOFT_APP_TYPE', 'Tenant'],
  ])('refuses %s=%s in one line naming the variable', (name, value) => {
    expectOneLinePer(problemsOf({ [name]: value }), [name]);
  });

  it('explains what a bad time zone should be', () => {
    expect(problemsOf({ TIME_ZONE: 'Europe/Amstredam' })).toEqual(['config TIME_ZONE: not a known IANA time zone']);
  });

  it('reports every wrong value at once, one line each', () => {
    expectOneLinePer(problemsOf({ PORT: 'abc', TIME_ZONE: 'Mars/Olympus', LOG_LEVEL: 'loud' }), ['PORT', 'TIME_ZONE', 'LOG_LEVEL']);
  });

  describe('outside local', () => {
    it.each([['production'], ['dev'], ['test']])('%s refuses to run without an app id (auth off is local-only) or without tenants', (env) => {
      const problems = problemsOf({ VERDIEP_ENV: env });
      expectOneLinePer(problems, ['MICROSOFT_APP_ID', 'ALLOWED_TENANT_IDS']);
      expect(problems.find((p) => p.startsWith('config MICROSOFT_APP_ID'))).toContain('only allowed locally');
    });

    it('refuses without tenants even with an app id', () => {
      expectOneLinePer(problemsOf({ VERDIEP_ENV: 'production', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'geheim' }), ['ALLOWED_TENANT_IDS']);
    });

    it('refuses without an app id even with tenants', () => {
      expectOneLinePer(problemsOf({ VERDIEP_ENV: 'production', ALLOWED_TENANT_IDS: TENANT_A }), ['MICROSOFT_APP_ID']);
    });

    it('reports the auth problems together with a wrong value elsewhere', () => {
      expectOneLinePer(problemsOf({ VERDIEP_ENV: 'production', PORT: 'abc' }), ['PORT', 'MICROSOFT_APP_ID', 'ALLOWED_TENANT_IDS']);
      expectOneLinePer(problemsOf({ VERDIEP_ENV: 'production', TIME_ZONE: 'nergens', ALLOWED_TENANT_IDS: TENANT_A }), ['TIME_ZONE', 'MICROSOFT_APP_ID']);
    });

    it('needs the password with a client-secret app type', () => {
      expectOneLinePer(problemsOf({ VERDIEP_ENV: 'production', MICROSOFT_APP_ID: APP_ID, ALLOWED_TENANT_IDS: TENANT_A }), ['MICROSOFT_APP_PASSWORD']);
    });

    it('needs the tenant id for a single-tenant or managed-identity app', () => {
      const base = { VERDIEP_ENV: 'production', MICROSOFT_APP_ID: APP_ID, ALLOWED_TENANT_IDS: TENANT_A };
      expectOneLinePer(problemsOf({ ...base, MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_PASSWORD: 'geheim' }), ['MICROSOFT_APP_TENANT_ID']);
      expectOneLinePer(problemsOf({ ...base, MICROSOFT_APP_TYPE: 'UserAssignedMsi' }), ['MICROSOFT_APP_TENANT_ID']);
      expect(configOf({ ...base, MICROSOFT_APP_TYPE: 'UserAssignedMsi', MICROSOFT_APP_TENANT_ID: TENANT_A }).auth.MicrosoftAppPassword).toBe('');
    });

    it('runs with credentials and tenants, listening on all interfaces and serving only the listed tenants', () => {
      const config = configOf({ VERDIEP_ENV: 'production', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'geheim', ALLOWED_TENANT_IDS: TENANT_A });
      expect(config.local).toBe(false);
      expect(config.host).toBe('0.0.0.0');
      expect(config.auth).toMatchObject({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'geheim' });
      expect(config.botId).toBe(APP_ID);
      expect(config.allowedTenantIds).toEqual([TENANT_A]);
      expect(config.allowedTenantIds).not.toContain(PLAYGROUND_TENANT_ID);
    });
  });
});

describe('readEnvFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verdiep-env-'));
    writeFileSync(join(dir, '.env.dev'), ['# dev', 'PORT=4000', 'LOG_LEVEL=debug', `MICROSOFT_APP_ID=${APP_ID}`, `ALLOWED_TENANT_IDS=${TENANT_A}`, 'TIME_ZONE="Europe/Amsterdam"', ''].join('\n'));
    writeFileSync(join(dir, '.env.dev.user'), ['MICROSOFT_APP_PASSWORD=uit-het-user-bestand', 'LOG_LEVEL=warn', ''].join('\n'));
    writeFileSync(join(dir, '.env.local'), ['PORT=3999', ''].join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads env/.env.<env>, then .user over it, and the process environment wins', () => {
    const values = readEnvFiles(dir, { VERDIEP_ENV: 'dev', PORT: '5000' });
    expect(values.PORT).toBe('5000');
    expect(values.LOG_LEVEL).toBe('warn');
    expect(values.MICROSOFT_APP_ID).toBe(APP_ID);
    expect(values.MICROSOFT_APP_PASSWORD).toBe('uit-het-user-bestand');
    expect(values.TIME_ZONE).toBe('Europe/Amsterdam');

    const config = configOf(values);
    expect(config.env).toBe('dev');
    expect(config.port).toBe(5000);
    expect(config.logLevel).toBe('warn');
    expect(config.auth.MicrosoftAppPassword).toBe('uit-het-user-bestand');
    expect(config.allowedTenantIds).toEqual([TENANT_A]);
  });

  it('reads only the files of the chosen environment', () => {
    expect(readEnvFiles(dir, {}).PORT).toBe('3999');
    const production = readEnvFiles(dir, { VERDIEP_ENV: 'production' });
    expect(production.PORT).toBeUndefined();
    expect(production.MICROSOFT_APP_PASSWORD).toBeUndefined();
  });

  it('works without any files', () => {
    expect(readEnvFiles(join(dir, 'bestaat-niet'), { VERDIEP_ENV: 'dev', PORT: '1234' })).toEqual({ VERDIEP_ENV: 'dev', PORT: '1234' });
  });
});

describe('starting the built entry point with a bad configuration', () => {
  const root = resolve(__dirname, '..');
  // A private build (inside node_modules so the compiled code still finds its dependencies), so this
  // test neither races another build of dist/ nor reads env files from the repository.
  let out: string;
  beforeAll(() => {
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    out = mkdtempSync(join(cache, 'verdiep-config-test-'));
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', out], { cwd: root, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  }, 120_000);
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  function start(env: Record<string, string>) {
    return spawnSync(process.execPath, [join(out, 'src', 'index.js')], { cwd: tmpdir(), env, encoding: 'utf8', timeout: 20_000 });
  }

  it('exits non-zero printing one line per problem (production without credentials or tenants)', () => {
    const run = start({ VERDIEP_ENV: 'production' });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter(Boolean);
    expectOneLinePer(lines, ['MICROSOFT_APP_ID', 'ALLOWED_TENANT_IDS', 'OFFICIEREN']);
    expect(run.stdout).toBe('');
  });

  it('names a wrong value together with the missing ones', () => {
    const run = start({ VERDIEP_ENV: 'production', PORT: 'abc' });
    expect(run.status).toBe(1);
    expectOneLinePer(run.stderr.split('\n').filter(Boolean), ['PORT', 'MICROSOFT_APP_ID', 'ALLOWED_TENANT_IDS', 'OFFICIEREN']);
  });
});
