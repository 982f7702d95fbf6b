import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs carry ids, never case text: message text, card values and tokens are
 * redacted wherever they might appear. By default lines go to stdout asynchronously: a turn does
 * not wait for the write, lines logged meanwhile go out together, and pino flushes what is left
 * when the process exits.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino(
    {
      level,
      base: { app: 'verdiep' },
      redact: {
        paths: ['text', 'value', 'data', 'signaal', '*.text', '*.value', '*.data', '*.signaal', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
