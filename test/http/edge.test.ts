import { EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardProcess } from '../../src/bot/process';
import { createLogger } from '../../src/log';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, TENANT, botInstalled, cardAction, mention } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';

const APP_ID = '5e1f0000-0000-4000-8000-00000000a991';
const JSON_TYPE = { 'content-type': 'application/json' };

interface RawAnswer {
  status: number;
  body: any;
  text: string;
}

/** One POST over a fresh connection; `body` may be sent in parts, and `end: false` never finishes it. */
function rawPost(port: number, options: { headers?: Record<string, string | number>; body?: Buffer | string; end?: boolean; path?: string }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: options.path ?? '/api/messages', headers: options.headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    // The server may close the connection while a refused body is still being sent.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (options.body !== undefined) req.write(options.body);
    if (options.end !== false) req.end();
  });
}

/** A gzip body that inflates to `inflatedMb` MB of JSON, made in parts so this process never holds it. */
async function gzipBomb(inflatedMb: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const mb = Buffer.alloc(1024 * 1024, ' ');
  gzip.write('{"type":"message","text":"');
  for (let i = 0; i < inflatedMb; i++) if (!gzip.write(mb)) await new Promise((r) => gzip.once('drain', r));
  gzip.end('"}');
  await done;
  return Buffer.concat(out);
}

function uploads(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('upload_'));
}

/** What a refused request gets: one short fixed message and a correlation id, nothing internal. */
function expectFixedRefusal(answer: RawAnswer, status: number, error: string): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body).sort()).toEqual(['correlationId', 'error']);
  expect(answer.body.error).toBe(error);
  expect(answer.text.length).toBeLessThan(80);
  expect(answer.text).not.toMatch(/activity|validate|Error|at \w+ \(/);
}

const malformed: [string, string][] = [
  ['an empty object', '{}'],
  ['XML', '<?xml version="1.0"?><activity><type>message</type></activity>'],
  ['truncated JSON', '{"type":"message","text":"hal'],
  ['an array', '[{"type":"message"}]'],
  ['a string', '"message"'],
  ['null', 'null'],
];

/** Well-formed JSON whose activity shape is wrong (built from a valid one). */
function wrongShapes(valid: Record<string, any>): [string, object][] {
  return [
    ['no type', { ...valid, type: undefined }],
    ['a numeric type', { ...valid, type: 42 }],
    ['an unknown type', { ...valid, type: 'hackerman' }],
    ['from as a string', { ...valid, from: '29:officier' }],
    ['from without id', { ...valid, from: { name: 'x' } }],
    ['no conversation', { ...valid, conversation: undefined }],
    ['conversation id as a number', { ...valid, conversation: { id: 7 } }],
    // Ids go into URLs and HTTP headers (x-ms-conversation-id): a control or non-ASCII character would fail the send.
    ['a conversation id with a line break', { ...valid, conversation: { ...valid.conversation, id: '19:zsm\nkanaal@thread.tacv2' } }],
    ['a user id with a non-ASCII character', { ...valid, from: { ...valid.from, id: '29:officiër' } }],
    ['channelData as an array', { ...valid, channelData: [] }],
    ['team id as an object', { ...valid, channelData: { ...valid.channelData, team: { id: {} } } }],
    ['text as an object', { ...valid, text: { a: 1 } }],
    ['no serviceUrl', { ...valid, serviceUrl: undefined }],
    ['a file serviceUrl', { ...valid, serviceUrl: 'file:///etc/passwd' }],
    // The bot posts its answers, with its token, to the serviceUrl: no user info or backslash that would name another host.
    ['a serviceUrl with user info', { ...valid, serviceUrl: 'https://smba.trafficmanager.net@evil.example/emea/' }],
    ['a serviceUrl with a backslash in its host', { ...valid, serviceUrl: 'https://evil.example\\smba.trafficmanager.net/emea/' }],
    ['a serviceUrl with a space', { ...valid, serviceUrl: 'https://smba.trafficmanager.net/emea/ x' }],
    ['a mention without text', { ...mention({ serviceUrl: valid.serviceUrl }, OFFICIER, 'help'), text: undefined }],
    ['a mention entity without mentioned', { ...mention({ serviceUrl: valid.serviceUrl }, OFFICIER, 'help'), entities: [{ type: 'mention', text: '<at>Verdiep</at>' }] }],
    ['a __proto__ key', JSON.parse(JSON.stringify(valid).replace('"channelData":{', '"channelData":{"__proto__":{"admin":true},'))],
    ['nesting 200 deep', { ...valid, value: JSON.parse('['.repeat(200) + ']'.repeat(200)) }],
    ['an invoke with an unknown verb', cardAction({ serviceUrl: valid.serviceUrl }, OFFICIER, 'zaak.wissen', {})],
    ['an invoke with value as a string', { ...cardAction({ serviceUrl: valid.serviceUrl }, OFFICIER, Verb.markeringIndienen, {}), value: 'x' }],
    ['an invoke with card data as an array', { ...cardAction({ serviceUrl: valid.serviceUrl }, OFFICIER, Verb.markeringIndienen, {}), value: { action: { type: 'Action.Execute', verb: Verb.markeringIndienen, data: [] } } }],
    ['an invoke without a name', { ...cardAction({ serviceUrl: valid.serviceUrl }, OFFICIER, Verb.markeringIndienen, {}), name: undefined }],
  ];
}

describe.each([
  ['auth off', false],
  ['auth on', true],
])('HTTP edge (%s)', (_mode, auth) => {
  let h: Harness;
  // With auth on, refused tokens make botbuilder print to the console; keep the output clean.
  beforeEach(async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    h = await startHarness({
      config: auth ? { VERDIEP_ENV: 'dev', HOST: '127.0.0.1', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'niet-het-echte-wachtwoord', ALLOWED_TENANT_IDS: TENANT, OFFICIEREN: 'aad-officier' } : {},
      edge: { bodyTimeoutMs: 300, headersTimeoutMs: 300, requestTimeoutMs: 2000 },
    });
  });
  afterEach(async () => {
    await h.stop();
    vi.restoreAllMocks();
  });

  /** A bearer token that passes the edge's cheap check; the adapter refuses it (auth on) or never looks (auth off). */
  const bearer = { authorization: 'Bearer eyJ.geen.token' };
  const post = (headers: Record<string, string | number>, body?: Buffer | string, end?: boolean) => rawPost(h.bot.port, { headers: { ...bearer, ...headers }, body, end });

  /** The bot still serves: without auth it welcomes the team; with auth a well-formed activity gets the adapter's 401. */
  async function stillServing(): Promise<void> {
    const res = await post(JSON_TYPE, JSON.stringify(botInstalled(h, OFFICIER)));
    if (auth) {
      expectFixedRefusal(res, 401, 'unauthorized');
    } else {
      expect(res.status).toBe(200);
      expect(await h.store.getTeam(TEAM_ID)).toBeDefined();
    }
  }

  it('refuses Content-Encoding gzip on a body that is not gzip with 415, and keeps serving', async () => {
    const res = await post({ ...JSON_TYPE, 'content-encoding': 'gzip' }, JSON.stringify(mention(h, OFFICIER, 'help')));
    expectFixedRefusal(res, 415, 'unsupported media type');
    await stillServing();
  });

  it('refuses a gzip bomb with 415 before inflating it', async () => {
    const bomb = await gzipBomb(150);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    for (const encoding of ['gzip', 'deflate', 'br', 'GZIP', 'identity, gzip']) {
      expectFixedRefusal(await post({ ...JSON_TYPE, 'content-encoding': encoding }, bomb), 415, 'unsupported media type');
    }
    // Inflating it once would take 150 MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
    await stillServing();
  });

  it('refuses multipart and form bodies with 415 and leaves no upload files', async () => {
    const before = uploads();
    const boundary = 'verdiep-grens';
    const multipart = [`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="x.bin"', 'Content-Type: application/octet-stream', '', 'x'.repeat(200_000), `--${boundary}--`, ''].join('\r\n');
    expectFixedRefusal(await post({ 'content-type': `multipart/form-data; boundary=${boundary}` }, multipart), 415, 'unsupported media type');
    expectFixedRefusal(await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'type=message&text=hallo'), 415, 'unsupported media type');
    expectFixedRefusal(await post({ 'content-type': 'text/plain' }, '{"type":"message"}'), 415, 'unsupported media type');
    expectFixedRefusal(await post({}, '{"type":"message"}'), 415, 'unsupported media type');
    expect(uploads()).toEqual(before);
    await stillServing();
  });

  it('refuses a 2 MB body with 413, whether its length is declared or not', async () => {
    const big = JSON.stringify({ ...mention(h, OFFICIER, 'help'), padding: 'x'.repeat(2 * 1024 * 1024) });
    expectFixedRefusal(await post(JSON_TYPE, big), 413, 'payload too large');
    expectFixedRefusal(await post({ ...JSON_TYPE, 'transfer-encoding': 'chunked' }, big), 413, 'payload too large');
    await stillServing();
  });

  it.each(malformed)('answers %s with 400 and a fixed body', async (_what, body) => {
    expectFixedRefusal(await post(JSON_TYPE, body), 400, 'bad request');
    await stillServing();
  });

  it('answers every wrong activity shape with 400 and a fixed body, storing nothing', async () => {
    for (const [what, activity] of wrongShapes(botInstalled(h, OFFICIER))) {
      const res = await post(JSON_TYPE, JSON.stringify(activity));
      expect(res.status, what).toBe(400);
      expectFixedRefusal(res, 400, 'bad request');
    }
    expect(h.connector.calls).toEqual([]);
    expect(await h.store.getTeam(TEAM_ID)).toBeUndefined();
  });

  it('cuts off a body that does not arrive in time with 408', async () => {
    const activity = JSON.stringify(mention(h, OFFICIER, 'help'));
    const res = await post({ ...JSON_TYPE, 'content-length': activity.length }, activity.slice(0, 20), false);
    expectFixedRefusal(res, 408, 'request timeout');
    await stillServing();
  });

  it('closes a connection whose headers do not arrive in time', async () => {
    const socket = connect(h.bot.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.write('POST /api/messages HTTP/1.1\r\nHost: verdiep\r\nContent-Type: appl');
    await new Promise((resolve) => socket.on('close', resolve));
    expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408/);
    await stillServing();
  });
});

describe('HTTP edge with auth on: order of checks', () => {
  let h: Harness;
  beforeEach(async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    h = await startHarness({ config: { VERDIEP_ENV: 'dev', HOST: '127.0.0.1', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', ALLOWED_TENANT_IDS: TENANT, OFFICIEREN: 'aad-officier' } });
  });
  afterEach(async () => {
    await h.stop();
    vi.restoreAllMocks();
  });

  it('answers 401 without reading the body when there is no bearer token, and never 5xx', async () => {
    for (const body of ['{}', JSON.stringify(cardAction(h, OFFICIER, Verb.markeringIndienen, {})), 'x'.repeat(900_000)]) {
      expectFixedRefusal(await rawPost(h.bot.port, { headers: JSON_TYPE, body }), 401, 'unauthorized');
    }
    expect(h.connector.calls).toEqual([]);
  });

  it('checks the content type and coding before the token', async () => {
    expectFixedRefusal(await rawPost(h.bot.port, { headers: { 'content-type': 'text/xml' }, body: '<a/>' }), 415, 'unsupported media type');
    expectFixedRefusal(await rawPost(h.bot.port, { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: 'nope' }), 415, 'unsupported media type');
  });
});

describe('process guard', () => {
  it('logs an error that escaped a request, with a correlation id, and lets the process go on', () => {
    const lines: any[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const fakeProcess = new EventEmitter();
    guardProcess(log, fakeProcess);
    // Without a listener, emitting 'uncaughtException' on an emitter throws; with the guard it is handled.
    expect(fakeProcess.emit('uncaughtException', new Error('boom in one request'))).toBe(true);
    expect(fakeProcess.emit('unhandledRejection', 'a rejected promise', Promise.resolve())).toBe(true);
    expect(lines.map((l) => [l.msg, l.kind])).toEqual([
      ['error outside a request', 'uncaughtException'],
      ['error outside a request', 'unhandledRejection'],
    ]);
    for (const line of lines) expect(line.correlationId).toMatch(/^[0-9a-f]{8}$/);
  });
});
