import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite';
import { storeContract } from './contract';

storeContract('sqlite', async () => new SqliteStore(join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db')));

describe('sqlite store', () => {
  it('creates its file on first start and migrates an existing file only once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'nested', 'verdiep.db');
    const first = new SqliteStore(path);
    const version = first.schemaVersion();
    await first.close();
    const second = new SqliteStore(path);
    expect(second.schemaVersion()).toBe(version);
    expect(version).toBeGreaterThanOrEqual(2);
    await second.close();
  });

  it('reports unhealthy once closed', async () => {
    const store = new SqliteStore(':memory:');
    await store.close();
    expect((await store.health()).ok).toBe(false);
  });
});
