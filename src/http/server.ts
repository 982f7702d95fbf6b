import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import restify from 'restify';
import { MIMEType } from 'node:util';
import { AuthenticationError } from 'botframework-connector';
import type { VerdiepAdapter } from '../bot/adapter';
import type { App } from '../bot/app';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { parseActivity } from './activity';
import { readBody } from './body';

/** Limits at the HTTP edge (tests shorten the timeouts). */
export interface EdgeOptions {
  maxBodyBytes: number;
  /** Time for the whole body to arrive once the handler starts reading it. */
  bodyTimeoutMs: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_EDGE: EdgeOptions = { maxBodyBytes: 1024 * 1024, bodyTimeoutMs: 10_000, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

/** The fixed bodies of refused requests: never an internal message or a stack. */
const REFUSAL = {
  400: 'bad request',
  401: 'unauthorized',
  408: 'request timeout',
  413: 'payload too large',
  415: 'unsupported media type',
  500: 'internal error',
} as const;
type RefusalStatus = keyof typeof REFUSAL;

/** The HTTP surface: Bot Framework messages and a health check that reports the store. */
export function createServer(
  adapter: VerdiepAdapter,
  app: App,
  store: Store,
  log: Logger,
  options: { authRequired: boolean; edge?: Partial<EdgeOptions> },
): restify.Server {
  const edge = { ...DEFAULT_EDGE, ...options.edge };
  // No body parser plugin: restify's reads gzip and multipart unsafely; the body is read below, as JSON only.
  const server = restify.createServer({ name: 'verdiep', handleUncaughtExceptions: false });
  server.server.headersTimeout = edge.headersTimeoutMs;
  server.server.requestTimeout = edge.requestTimeoutMs;
  // Read when the server starts listening: how often Node looks for connections past those timeouts.
  (server.server as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.min(1000, edge.headersTimeoutMs);
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => messages(req, res));
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => health(res));

  async function messages(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const correlationId = randomUUID().slice(0, 8);
    const refuse = (status: RefusalStatus, reason: string, close = false) => {
      log.warn({ correlationId, status, reason }, 'request refused at the edge');
      send(res, status, { error: REFUSAL[status], correlationId }, close);
    };
    try {
      // Cheap checks on the headers first; the body is read only when they pass.
      const problem = headerProblem(req.headers, edge.maxBodyBytes);
      if (problem) return refuse(problem.status, problem.reason, true);
      if (options.authRequired && !/^Bearer \S/.test(req.headers.authorization ?? '')) return refuse(401, 'no bearer token', true);

      const read = await readBody(req, edge.maxBodyBytes, edge.bodyTimeoutMs);
      if (!read.ok) {
        if (read.reason === 'aborted') return log.info({ correlationId }, 'client went away while sending');
        return refuse(read.reason === 'too-large' ? 413 : 408, read.reason, true);
      }
      const activity = parseActivity(read.body);
      if (!activity) return refuse(400, 'malformed activity');

      const reply = await runAdapter(adapter, app, req.headers, activity);
      if (reply.status === 401) return refuse(401, 'token refused');
      if (reply.status >= 500) {
        log.error({ correlationId, status: reply.status, activityType: activity.type, name: activity.name, activityId: activity.id }, 'adapter failed');
        return send(res, 500, { error: REFUSAL[500], correlationId });
      }
      send(res, reply.status, reply.body);
    } catch (err) {
      log.error({ correlationId, err: { name: (err as Error).name, message: (err as Error).message, stack: (err as Error).stack } }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: REFUSAL[500], correlationId }, true);
    }
  }

  async function health(res: ServerResponse): Promise<void> {
    try {
      const result = await store.health();
      // Anyone may ask: why the store failed goes to the log, not into the answer.
      if (!result.ok) log.error({ store: result.kind, detail: result.detail }, 'health check: store unhealthy');
      send(res, result.ok ? 200 : 503, { status: result.ok ? 'ok' : 'unhealthy', store: { ok: result.ok, kind: result.kind } });
    } catch (err) {
      log.error({ err: (err as Error).message }, 'health check failed');
      send(res, 503, { status: 'unhealthy' });
    }
  }

  return server;
}

/** JSON only, no content coding, and a declared length within the limit. */
function headerProblem(headers: IncomingHttpHeaders, maxBodyBytes: number): { status: RefusalStatus; reason: string } | undefined {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return { status: 415, reason: 'content encoding' };
  let type: MIMEType;
  try {
    type = new MIMEType(headers['content-type'] ?? '');
  } catch {
    return { status: 415, reason: 'content type' };
  }
  const charset = type.params.get('charset')?.toLowerCase();
  if (type.essence !== 'application/json' || (charset && charset !== 'utf-8')) return { status: 415, reason: 'content type' };
  if (Number(headers['content-length'] ?? 0) > maxBodyBytes) return { status: 413, reason: 'declared length' };
  return undefined;
}

/** Runs the activity through the adapter (which checks the token) and returns what it answers; a refused token is a 401. */
async function runAdapter(adapter: VerdiepAdapter, app: App, headers: IncomingHttpHeaders, activity: Record<string, unknown>): Promise<{ status: number; body?: unknown }> {
  try {
    const invoke = await adapter.beurt(headers.authorization ?? '', activity, async (context) => {
      await app.run(context);
    });
    return { status: invoke?.status ?? 200, body: invoke?.body };
  } catch (err) {
    if (err instanceof AuthenticationError) return { status: 401 };
    throw err;
  }
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  // A refused body is not read further: end the connection once the answer is out.
  if (close) res.once('finish', () => res.socket?.destroySoon());
  const json = body === undefined ? undefined : JSON.stringify(body);
  // restify's writeHead does not return the response: two statements.
  res.writeHead(status, { ...(close ? { connection: 'close' } : {}), ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}) });
  res.end(json);
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
