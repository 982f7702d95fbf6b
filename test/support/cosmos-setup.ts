import { afterAll } from 'vitest';
import { stopSharedStandIn } from './cosmos';

// Setup file of the http-cosmos test project: the file's Cosmos stand-in stops with the file.
afterAll(async () => {
  await stopSharedStandIn();
});
