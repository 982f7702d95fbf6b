import type { Fase, Leeftijdsklasse, Rol, Zaaktype } from './catalogue';

/** Who did something: a Teams user (AAD object id when known, else the Teams user id). */
export interface Actor {
  id: string;
  name: string;
}

export interface Betrokkene {
  rol: Rol;
  initialen?: string;
  leeftijd: Leeftijdsklasse;
}

/** Where the case lives in Teams: its thread in the channel and the case card at its root. */
export interface CaseThread {
  channelId: string;
  conversationId: string;
  rootMessageId: string;
}

export interface Verdiepingszaak {
  teamId: string;
  id: string;
  reference: string;
  types: Zaaktype[];
  signaal: string;
  betrokkenen: Betrokkene[];
  deadline?: string;
  fase: Fase;
  /** The phase before the current one, so a closed case can be reopened where it was. */
  vorigeFase?: Fase;
  flaggedBy: Actor;
  flaggedAt: string;
  lead: Actor;
  thread?: CaseThread;
  updatedAt: string;
  /** Number of events applied: the optimistic-concurrency token. */
  version: number;
}

interface EventBase {
  teamId: string;
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
}

export type ZaakEvent = EventBase &
  (
    | {
        type: 'zaak.gemarkeerd';
        data: {
          reference: string;
          types: Zaaktype[];
          signaal: string;
          betrokkenen: Betrokkene[];
          deadline?: string;
        };
      }
    | { type: 'zaak.thread_geopend'; data: CaseThread }
    | { type: 'zaak.fase_gewijzigd'; data: { van: Fase; naar: Fase; reden?: string } }
  );

export type ZaakEventType = ZaakEvent['type'];

/** Distributes Omit over the event union so each variant keeps its own data shape. */
export type NewZaakEvent = ZaakEvent extends infer E ? (E extends ZaakEvent ? Omit<E, keyof EventBase> : never) : never;

export class DomainError extends Error {
  constructor(public readonly userMessage: string) {
    super(userMessage);
    this.name = 'DomainError';
  }
}

const VOLGORDE: Fase[] = ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring', 'gesloten'];

/**
 * Phases move forward one step or more (a step may be skipped), back when the course changes
 * (to contextinformatie or duiding), and a closed case can only be reopened.
 */
export function canTransition(van: Fase, naar: Fase): boolean {
  if (van === naar) return false;
  if (van === 'gesloten') return naar !== 'gemarkeerd';
  if (VOLGORDE.indexOf(naar) > VOLGORDE.indexOf(van)) return true;
  return naar === 'contextinformatie' || naar === 'duiding';
}

export function isOpen(zaak: Verdiepingszaak): boolean {
  return zaak.fase !== 'gesloten';
}

/** The projection of a case from its events: the only way a case's state changes. */
export function applyEvent(zaak: Verdiepingszaak | undefined, event: ZaakEvent): Verdiepingszaak {
  if (event.type === 'zaak.gemarkeerd') {
    if (zaak) throw new Error(`case ${event.caseId} already exists`);
    return {
      teamId: event.teamId,
      id: event.caseId,
      ...event.data,
      fase: 'gemarkeerd',
      flaggedBy: event.actor,
      flaggedAt: event.at,
      lead: event.actor,
      updatedAt: event.at,
      version: event.seq,
    };
  }
  if (!zaak) throw new Error(`event ${event.type} before the case was flagged`);
  const next: Verdiepingszaak = { ...zaak, updatedAt: event.at, version: event.seq };
  switch (event.type) {
    case 'zaak.thread_geopend':
      return { ...next, thread: event.data };
    case 'zaak.fase_gewijzigd':
      return { ...next, fase: event.data.naar, vorigeFase: event.data.van };
  }
}

/** Stamps new events with sequence numbers, actor and time, and applies them. */
export function record(
  zaak: Verdiepingszaak | undefined,
  ids: { teamId: string; caseId: string },
  actor: Actor,
  at: Date,
  changes: NewZaakEvent[],
): { zaak: Verdiepingszaak; events: ZaakEvent[] } {
  let current = zaak;
  const events: ZaakEvent[] = [];
  for (const change of changes) {
    const event = { ...change, ...ids, seq: (current?.version ?? 0) + 1, at: at.toISOString(), actor } as ZaakEvent;
    current = applyEvent(current, event);
    events.push(event);
  }
  if (!current) throw new Error('record needs at least one event');
  return { zaak: current, events };
}

/** A phase change as an event, refused when the step is not allowed. */
export function changePhase(zaak: Verdiepingszaak, naar: Fase, reden?: string): NewZaakEvent {
  if (!canTransition(zaak.fase, naar)) {
    throw new DomainError(`De zaak kan niet van fase "${zaak.fase}" naar "${naar}".`);
  }
  return { type: 'zaak.fase_gewijzigd', data: { van: zaak.fase, naar, ...(reden ? { reden } : {}) } };
}

/** Whole days between two instants, as shown to users ("3 dagen oud"). */
export function ageInDays(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
}
