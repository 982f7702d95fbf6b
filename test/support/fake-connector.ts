import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  /** Percent-decoded path segments after /v3/conversations. */
  conversationId?: string;
  activityId?: string;
  kind: 'send' | 'reply' | 'update' | 'create' | 'delete' | 'other';
  body: any;
  path: string;
  /** The id of the message the call created (send, reply, create), as answered. */
  responseId?: string;
}

export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  /** 'guest' for a guest in the team, as Teams lists them. */
  userRole?: string;
}

/** An injected answer; with `pass` the call is only slowed down by `delayMs` and then answered (and recorded) as usual. */
export type Fault = { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number; pass?: boolean };

/**
 * A Bot Connector on loopback that records everything the bot sends, answers like Teams does,
 * and can fail on purpose (`failNext`, or a `fault` rule consulted on every call).
 */
export class FakeConnector {
  readonly calls: RecordedCall[] = [];
  private server?: Server;
  private counter = 0;
  private queued: Fault[] = [];
  fault?: (call: RecordedCall) => Fault | undefined;
  /** Holds a call until the promise it returns settles: then it is answered with the fault it resolves to, or as usual. */
  hold?: (call: RecordedCall) => Promise<Fault | void> | undefined;
  /** The team's members, as TeamsInfo member look-ups return them. */
  members: TeamsMember[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  failNext(...faults: Fault[]): void {
    this.queued.push(...faults);
  }

  reset(): void {
    this.calls.length = 0;
    this.queued = [];
    this.fault = undefined;
  }

  /** Messages that carry an Adaptive Card, newest last. */
  cards(kind?: RecordedCall['kind']): { call: RecordedCall; card: any }[] {
    return this.calls
      .filter((c) => !kind || c.kind === kind)
      .flatMap((call) => {
        const body = call.kind === 'create' ? call.body.activity : call.body;
        const attachment = body?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
        return attachment ? [{ call, card: attachment.content }] : [];
      });
  }

  texts(): string[] {
    return this.calls.filter((c) => c.kind === 'send' || c.kind === 'reply').map((c) => c.body?.text).filter((t): t is string => typeof t === 'string');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const path = (req.url ?? '').split('?')[0]!;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const call: RecordedCall = { method: req.method ?? 'GET', kind: 'other', body, path };
    if (segments[0] === 'v3' && segments[1] === 'conversations') {
      call.conversationId = segments[2];
      call.activityId = segments[4];
      if (segments.length === 2 && req.method === 'POST') call.kind = 'create';
      else if (segments[3] === 'activities' && req.method === 'POST') call.kind = segments[4] ? 'reply' : 'send';
      else if (segments[3] === 'activities' && req.method === 'PUT') call.kind = 'update';
      else if (segments[3] === 'activities' && req.method === 'DELETE') call.kind = 'delete';
    }

    const held = await this.hold?.(call);
    const fault = held || (this.queued.shift() ?? this.fault?.(call));
    if (fault?.pass && fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault && !fault.pass) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { error: { code: 'Fault', message: 'injected' } }));
      return;
    }
    this.calls.push(call);
    const id = `act-${++this.counter}`;
    if (call.kind === 'send' || call.kind === 'reply' || call.kind === 'create') call.responseId = id;
    if (req.method === 'GET' && (segments[3] === 'pagedmembers' || segments[3] === 'members')) {
      const member = segments[4] ? this.members.find((m) => m.id === segments[4] || m.aadObjectId === segments[4]) : undefined;
      if (segments[4] && !member) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'MemberNotFoundInConversation', message: 'not a member' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(member ?? (segments[3] === 'pagedmembers' ? { members: this.members } : this.members)));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (call.kind === 'create') {
      const channel = body?.channelData?.channel?.id ?? 'unknown-channel';
      res.end(JSON.stringify({ id: `${channel};messageid=${id}`, activityId: id }));
    } else if (call.kind === 'update') {
      res.end(JSON.stringify({ id: call.activityId }));
    } else {
      res.end(JSON.stringify({ id }));
    }
  }
}
