/** Time and randomness are injected so schedules and ids are testable. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };
