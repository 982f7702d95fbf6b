/**
 * What a failed Bot Connector call means for a proactive send: try again (rate limit, transient
 * server trouble, timeout) or give up (the bot was removed, the user blocked it, the thread is gone).
 * Reasons are Dutch: they end up on the job and in the notice to the case lead.
 */
export type Fout =
  | { soort: 'opnieuw'; reden: string; /** Retry-After, when Teams sent one. */ wachtMs?: number }
  | { soort: 'definitief'; reden: string; status: number; code: string };

const OPNIEUW = new Set([408, 412, 429, 500, 502, 503, 504]);

interface ConnectorError {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { status?: number; headers?: { get?(name: string): string | undefined | null } | Record<string, string>; bodyAsText?: string | null };
}

function header(err: ConnectorError, name: string): string | undefined {
  const headers = err.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | undefined | null }).get(name) ?? undefined;
  const record = headers as Record<string, string>;
  return record[name] ?? record[name.toLowerCase()];
}

/** Retry-After in milliseconds: delta seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The error code Teams put in the body ({"error":{"code":"ConversationNotFound",...}}), if any. */
function bodyCode(err: ConnectorError): string | undefined {
  const text = err.response?.bodyAsText;
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

const UITLEG: Record<string, string> = {
  BotNotInConversationRoster: 'Verdiep is uit het team verwijderd',
  MessageWritesBlocked: 'de ontvanger heeft Verdiep geblokkeerd',
  ConversationNotFound: 'het zaakgesprek of het kanaal bestaat niet meer',
};

/** The HTTP status Teams answered a Bot Connector call with; undefined when it never answered. */
export function statusVan(error: unknown): number | undefined {
  const err = (error ?? {}) as ConnectorError;
  return err.statusCode ?? err.response?.status;
}

/** Classifies an error thrown by a Bot Connector call. */
export function classify(error: unknown, now = Date.now()): Fout {
  const err = (error ?? {}) as ConnectorError;
  const status = statusVan(err);
  if (status === undefined) return { soort: 'opnieuw', reden: `geen verbinding met Teams (${err.code ?? err.name ?? 'onbekend'})` };
  if (OPNIEUW.has(status)) {
    const wachtMs = status === 429 || status === 503 ? retryAfterMs(header(err, 'retry-after'), now) : undefined;
    return { soort: 'opnieuw', reden: status === 429 ? 'Teams begrenst het aantal berichten (429)' : `tijdelijke fout bij Teams (${status})`, ...(wachtMs !== undefined ? { wachtMs } : {}) };
  }
  // Credentials trouble is an operator's problem, not a reason to drop the message.
  if (status === 401) return { soort: 'opnieuw', reden: 'Verdiep kon zich niet aanmelden bij Teams (401)' };
  const code = bodyCode(err) ?? err.code ?? '';
  const uitleg = UITLEG[code] ?? (status === 404 ? 'het zaakgesprek of het kanaal bestaat niet meer' : status === 403 ? 'Teams staat Verdiep niet toe hier te schrijven' : 'Teams weigerde het bericht');
  return { soort: 'definitief', reden: `${uitleg} (${status}${code ? ` ${code}` : ''})`, status, code };
}

/** Errors that mean the request never reached Teams (no connection was made). */
const NIET_AANGEKOMEN = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Whether a failed send certainly posted nothing: Teams answered (with an error status), or the
 * connection was never made. Otherwise (a connection dropped mid-request, an abort) the message
 * may have been posted.
 */
export function zekerNietGeplaatst(error: unknown): boolean {
  const err = (error ?? {}) as ConnectorError;
  if (statusVan(err) !== undefined) return true;
  return NIET_AANGEKOMEN.has(err.code ?? '');
}

/** Exponential backoff with jitter: between half and all of base·2^attempt, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const plafond = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(plafond / 2 + random() * (plafond / 2));
}
