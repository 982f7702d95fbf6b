import type { TeamsAdapter } from '@microsoft/teams-ai';
import restify from 'restify';
import type { App } from '../bot/app';
import type { Logger } from '../log';
import type { Store } from '../store/store';

/** The HTTP surface: Bot Framework messages and a health check that reports the store. */
export function createServer(adapter: TeamsAdapter, app: App, store: Store, log: Logger): restify.Server {
  const server = restify.createServer({ name: 'verdiep', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });

  server.get('/healthz', async (_req, res) => {
    const health = await store.health();
    res.status(health.ok ? 200 : 503);
    res.json({ status: health.ok ? 'ok' : 'unhealthy', store: health });
  });

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    log.warn({ path: req.path(), err: err.message }, 'http error');
    callback();
  });
  return server;
}

export function listen(server: restify.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
