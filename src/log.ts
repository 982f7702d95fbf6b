import pino from 'pino';

export type Logger = pino.Logger;

/** Fields that may carry case text (a message, a card's values, a form): never logged as they are. */
const CASE_TEXT_KEYS = ['text', 'value', 'data', 'signaal'] as const;
const CENSOR = '[redacted]';

/**
 * The same fields one level down (in an activity, a case, a form) and a nested request's token.
 * pino's wildcard paths (`*.text`) would do this too, but they run for every field of every line,
 * which costs more than the rest of the line; this looks only into the line's objects.
 */
function nestedRedacted(line: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(line)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const inner = value as Record<string, unknown>;
    const geheim = CASE_TEXT_KEYS.filter((k) => Object.hasOwn(inner, k));
    const headers = inner.headers as Record<string, unknown> | undefined;
    const token = !!headers && typeof headers === 'object' && Object.hasOwn(headers, 'authorization');
    if (geheim.length === 0 && !token) continue;
    out ??= { ...line };
    out[key] = { ...inner, ...Object.fromEntries(geheim.map((k) => [k, CENSOR])), ...(token ? { headers: { ...headers, authorization: CENSOR } } : {}) };
  }
  return out ?? line;
}

/**
 * Structured logs carry ids, never case text: message text, card values and tokens are
 * redacted wherever they might appear (at the top of a line by pino's redact, one level down by
 * the line's formatter). By default lines go to stdout asynchronously: a turn does not wait for
 * the write, lines logged meanwhile go out together, and pino flushes what is left when the
 * process exits.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino(
    {
      level,
      base: { app: 'verdiep' },
      formatters: { log: nestedRedacted },
      redact: { paths: [...CASE_TEXT_KEYS, 'headers.authorization'], censor: CENSOR },
    },
    destination,
  );
}
