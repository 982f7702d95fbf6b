import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs carry ids, never case text: message text, card values and tokens are
 * redacted wherever they might appear.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
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
