import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { openStore } from '../../src/bot/process';
import { startCosmosStandIn, STAND_IN_KEY, type CosmosStandIn } from '../support/cosmos';

const ENDPOINT = 'https://verdiep-test.documents.azure.com:443/';

function problemsOf(values: Record<string, string>): string[] {
  const parsed = parseConfig(values);
  return parsed.ok ? [] : parsed.problems;
}

function configOf(values: Record<string, string>) {
  const parsed = parseConfig(values);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.config;
}

describe('Cosmos DB and retention configuration', () => {
  it('asks for the endpoint when STORE is cosmos, and for an https URL', () => {
    expect(problemsOf({ STORE: 'cosmos' })).toEqual([expect.stringMatching(/^config COSMOS_ENDPOINT: required with STORE cosmos/)]);
    expect(problemsOf({ STORE: 'cosmos', COSMOS_ENDPOINT: 'verdiep.documents.azure.com' })).toEqual([expect.stringMatching(/^config COSMOS_ENDPOINT: an https URL/)]);
    expect(problemsOf({ STORE: 'cosmos', COSMOS_ENDPOINT: 'http://verdiep.documents.azure.com/' })).toEqual([expect.stringMatching(/^config COSMOS_ENDPOINT: an https URL/)]);
    expect(problemsOf({ STORE: 'mongo' })).toEqual([expect.stringMatching(/^config STORE:/)]);
  });

  it('signs in with a managed identity when no key is given, and then does not create containers', () => {
    const config = configOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT });
    expect(config.store.cosmos).toEqual({ endpoint: ENDPOINT, key: undefined, databaseId: 'verdiep', createIfMissing: false });
    expect(problemsOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT, COSMOS_CREATE_IF_MISSING: 'true' })).toEqual([
      expect.stringMatching(/^config COSMOS_CREATE_IF_MISSING: a managed identity cannot create/),
    ]);
  });

  it('creates what is missing by default with a key, unless told not to', () => {
    expect(configOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT, COSMOS_KEY: 'k', COSMOS_DATABASE: 'zsm' }).store.cosmos).toMatchObject({ key: 'k', databaseId: 'zsm', createIfMissing: true });
    expect(configOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT, COSMOS_KEY: 'k', COSMOS_CREATE_IF_MISSING: 'false' }).store.cosmos?.createIfMissing).toBe(false);
    expect(problemsOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT, COSMOS_KEY: 'k', COSMOS_CREATE_IF_MISSING: 'ja' })).toEqual([expect.stringMatching(/^config COSMOS_CREATE_IF_MISSING: true or false/)]);
    expect(problemsOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT, COSMOS_KEY: 'k', COSMOS_DATABASE: 'a/b' })).toEqual([expect.stringMatching(/^config COSMOS_DATABASE:/)]);
  });

  it('keeps closed cases 365 days unless configured, in whole days from 1', () => {
    expect(configOf({}).retention.bewaartermijnDagen).toBe(365);
    expect(configOf({ BEWAARTERMIJN_DAGEN: '90' }).retention.bewaartermijnDagen).toBe(90);
    expect(problemsOf({ BEWAARTERMIJN_DAGEN: '0' })).toEqual([expect.stringMatching(/^config BEWAARTERMIJN_DAGEN:/)]);
    expect(problemsOf({ BEWAARTERMIJN_DAGEN: 'een jaar' })).toEqual([expect.stringMatching(/^config BEWAARTERMIJN_DAGEN:/)]);
  });

  it('keeps learning records 1825 days unless configured', () => {
    expect(configOf({}).retention.leerregelDagen).toBe(1825);
    expect(configOf({ LEERREGEL_BEWAARTERMIJN_DAGEN: '730' }).retention.leerregelDagen).toBe(730);
    expect(problemsOf({ LEERREGEL_BEWAARTERMIJN_DAGEN: '0' })).toEqual([expect.stringMatching(/^config LEERREGEL_BEWAARTERMIJN_DAGEN:/)]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ STORE: 'cosmos', BEWAARTERMIJN_DAGEN: '-1', COSMOS_CREATE_IF_MISSING: 'misschien' });
    expect(problems.map((p) => /^config ([A-Z_]+):/.exec(p)?.[1]).sort()).toEqual(['BEWAARTERMIJN_DAGEN', 'COSMOS_CREATE_IF_MISSING', 'COSMOS_ENDPOINT']);
  });
});

describe('openStore', () => {
  let standIn: CosmosStandIn;
  beforeAll(async () => {
    standIn = await startCosmosStandIn(0, { tls: false });
  });
  afterAll(async () => {
    await standIn.stop();
  });

  it('opens SQLite by default and Cosmos DB when STORE is cosmos', async () => {
    const sqlite = await openStore(configOf({ SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'verdiep-open-')), 'v.db') }));
    expect(sqlite.kind).toBe('sqlite');
    await sqlite.close();
    // The stand-in speaks plain HTTP here; the config only takes https, so build the config around it.
    const config = configOf({ STORE: 'cosmos', COSMOS_ENDPOINT: ENDPOINT, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: 'verdiep-open' });
    const cosmos = await openStore({ ...config, store: { ...config.store, cosmos: { ...config.store.cosmos!, endpoint: standIn.endpoint } } });
    expect(cosmos.kind).toBe('cosmos');
    expect((await cosmos.health()).ok).toBe(true);
    await cosmos.close();
  });
});
