import { describe, expect } from 'vitest';
import { sqliteFile } from '../support/instances';
import { instanceScenarios } from './instances';

/*
 * Several bot processes on one host sharing one SQLite file (WAL, write transactions that take the
 * lock up front): the scenarios in ./instances.ts.
 */
describe('bot processes on one SQLite file', () => {
  instanceScenarios(sqliteFile, {
    // Three processes started together on a fresh file: each migration applied once.
    afterStart({ schema, migrations }) {
      expect(migrations).toBeGreaterThan(0);
      expect(schema).toBe(migrations);
    },
    forbidden: ['database is locked'],
  });
});
