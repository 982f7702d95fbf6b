import { describe } from 'vitest';
import { cosmosDatabase } from '../support/instances';
import { instanceScenarios } from './instances';

/* Several bot instances on one Cosmos DB (the stand-in): the scenarios in ./instances.ts. */
describe('bot processes on one Cosmos DB', () => {
  let n = 0;
  instanceScenarios(() => cosmosDatabase(`verdiep-instances-${++n}`));
});
