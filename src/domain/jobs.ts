import { createHash } from 'node:crypto';
import type { Opvolgkaart, Verdiepingszaak, ZaakEvent } from './zaak';

/** What a scheduled job delivers (the dispatcher sends it when due). */
export type JobKind =
  | 'uitvraag.herinnering' // remind the invitee before the prompt's deadline, while unanswered
  | 'uitvraag.verlopen' // tell the case lead who did not answer by the deadline
  | 'uitvraag.kaart' // post a new question's status card in the case thread (ref: the uitvraag); the case records its message id
  | 'actie.vervaldatum' // ask the action's owner: gereed / nieuwe datum / vervalt
  | 'monitoring' // ask the case lead: hermelding or recidive? is the course still right?
  | 'plandatum' // the postponed decision is due
  | 'digest' // the team's weekly digest (a team-level job: caseId is '')
  | 'wissing' // retention: replace every message the bot posted for a purged case (caseId is '', ref the purged case id)
  | 'antwoord' // an answer to a user's message that Teams was too busy to take in the turn (ref: the user's activity)
  | 'melding' // a status notice in the case thread, written with the change it reports (ref: the case version)
  | 'zaakgesprek'; // post a flagged case's verdiepingskaart after the flag's answer, and open its thread when the turn could not

export type JobStatus = 'gepland' | 'geclaimd' | 'verzonden' | 'mislukt' | 'vervallen';

/** A message the bot posted in Teams for a case: where it is and its id, never its content. */
export interface Bericht {
  conversationId: string;
  messageId: string;
}

export interface ScheduledJob {
  teamId: string;
  /** Deterministic: the same plan never creates the same job twice. */
  id: string;
  /** The case the job is about; '' for team-level jobs such as the digest. */
  caseId: string;
  kind: JobKind;
  /** The uitvraag or actie id the job is about, or the monitoring date. */
  ref: string;
  dueAt: string;
  status: JobStatus;
  attempts: number;
  createdAt: string;
  leaseOwner?: string;
  leaseUntil?: string;
  sentMessageId?: string;
  /** A job delivered in several messages (a long digest): every part sent so far, in order; sentMessageId is the first. */
  sentMessageIds?: string[];
  lastError?: string;
  /** A wissing job, or a melding that replaces a card: the messages still to replace (each is dropped once replaced). */
  berichten?: Bericht[];
  /**
   * A send that was started and whose outcome is not recorded yet: written just before the call
   * to Teams, cleared when Teams answered. Found by another instance after a crash, it means the
   * message (part `deel`) may have been posted.
   */
  verzendpoging?: { deel: number; at: string; owner: string };
  /** An antwoord or melding job: where it goes and its cards (what the turn would have posted there); `opZaak`: the case records the posted message (see ZaakMelding). */
  antwoord?: { naar: string; kaarten: object[]; opZaak?: OpZaak };
  /** A follow-up card, written with its sentMessageId: the case records it (see opZaakVastgelegd). */
  opvolgkaart?: Omit<Opvolgkaart, 'messageId'>;
  version: number;
}

/**
 * Per kind: when a message may or may not have reached Teams (the sender crashed or Teams never
 * answered), send it again (a possible duplicate) or not (a possible loss). Follow-ups ask someone
 * to act before a date, so a second copy beats none; the weekly digest is a summary the team can
 * ask for at any time ("overzicht"), so a double post in the channel is worse than a missed one.
 */
export const DUBBEL_BOVEN_VERLIES: Record<JobKind, boolean> = {
  'uitvraag.herinnering': true,
  'uitvraag.verlopen': true,
  // Without it the partner never sees the question.
  'uitvraag.kaart': true,
  'actie.vervaldatum': true,
  monitoring: true,
  plandatum: true,
  digest: false,
  // Replacing a purged case's cards is idempotent: a second replacement changes nothing.
  wissing: true,
  // The user asked and waits for it: a second copy beats none.
  antwoord: true,
  // The people on the case learn of a duiding or besluit from it: a second copy beats none.
  melding: true,
  // Without a thread and its verdiepingskaart nobody can work on the case: a second case card beats none.
  zaakgesprek: true,
};

/** A posted job's message the case records itself: a question's card, a flagged case's verdiepingskaart, a follow-up card, or a notice asked to (`opZaak`). */
export function opZaakVastgelegd(job: Pick<ScheduledJob, 'kind' | 'antwoord' | 'opvolgkaart'>): boolean {
  return job.kind === 'uitvraag.kaart' || job.kind === 'zaakgesprek' || !!job.opvolgkaart || (job.kind === 'melding' && !!job.antwoord?.opZaak);
}

/** What a user's change posts in the thread right away: the process that stored the change posts it at once (the dispatcher's poll is the fallback). */
export const DIRECT: ReadonlySet<JobKind> = new Set(['uitvraag.kaart', 'melding']);

/**
 * A status notice a change posts: the conversation it goes to (the case thread) and its card;
 * `opZaak`: once posted, the case records its message id (a card someone acts on later, such as
 * an access request, is then known as the case's own; or the verdiepingskaart and the open
 * questions' cards of a new thread); `vervangt`: the card replaces that message
 * of the case (a decision shown on the card it was made on) instead of being posted.
 */
export interface ZaakMelding {
  naar: string;
  kaart: object;
  opZaak?: OpZaak;
  vervangt?: string;
}

/** How the case records a posted notice: as a message of its own (true), as its verdiepingskaart, or as a question's card. */
export type OpZaak = true | 'verdiepingskaart' | { uitvraag: string };

/** The outbox job of a change's status notice (the `deel`-th of that change), due at once. */
export function meldingJob(zaak: Pick<Verdiepingszaak, 'teamId' | 'id' | 'version'>, melding: ZaakMelding, now: string, deel = 0): ScheduledJob {
  return { teamId: zaak.teamId, id: `melding:${zaak.id}:${zaak.version}${deel ? `:${deel}` : ''}`, caseId: zaak.id, kind: 'melding', ref: String(zaak.version), dueAt: now, status: 'gepland', attempts: 0, createdAt: now, antwoord: { naar: melding.naar, kaarten: [melding.kaart], ...(melding.opZaak ? { opZaak: melding.opZaak } : {}) }, ...(melding.vervangt ? { berichten: [{ conversationId: melding.naar, messageId: melding.vervangt }] } : {}), version: 1 };
}

/**
 * A flagged case's thread and verdiepingskaart, written with the case: when the flag's turn opened
 * the thread it makes the job due at once (the dispatcher posts the verdiepingskaart right after
 * the answer); when Teams was busy it hands the job on at once; when its process stopped, the
 * dispatcher takes the job up after `naMs` (the turn's time to open the thread).
 */
export function zaakgesprekJob(zaak: Pick<Verdiepingszaak, 'teamId' | 'id' | 'flaggedAt'>, naMs: number): ScheduledJob {
  return { teamId: zaak.teamId, id: `zaakgesprek:${zaak.id}`, caseId: zaak.id, kind: 'zaakgesprek', ref: '', dueAt: new Date(Date.parse(zaak.flaggedAt) + naMs).toISOString(), status: 'gepland', attempts: 0, createdAt: zaak.flaggedAt, version: 1 };
}

export interface PlanningPolicy {
  timeZone: string;
  /** How long before a prompt's deadline the invitee is reminded. */
  reminderBeforeMs: number;
}

export function newJob(zaak: Pick<Verdiepingszaak, 'teamId' | 'id'>, kind: JobKind, ref: string, dueAt: Date, createdAt: string): ScheduledJob {
  const due = dueAt.toISOString();
  return { teamId: zaak.teamId, id: `${zaak.id}:${kind}:${ref}:${due}`, caseId: zaak.id, kind, ref, dueAt: due, status: 'gepland', attempts: 0, createdAt, version: 1 };
}

/** Turns one recorded event (with the case after the change) into the jobs it schedules. */
export type PlanningRule = (zaak: Verdiepingszaak, event: ZaakEvent, policy: PlanningPolicy) => ScheduledJob[];

/**
 * The erasure of a purged case's messages in Teams: ids only, no case text. Team-level (the case
 * and its jobs are gone by the time it runs), so the purge of the case's own jobs leaves it alone.
 */
export function wissingJob(teamId: string, caseId: string, berichten: Bericht[], now: string): ScheduledJob {
  return { teamId, id: `wissing:${caseId}`, caseId: '', kind: 'wissing', ref: caseId, dueAt: now, status: 'gepland', attempts: 0, createdAt: now, berichten, version: 1 };
}

/** One message as a key: the conversation and the message id (ids are unique per conversation only). */
export function berichtSleutel(b: Bericht): string {
  return `${b.conversationId}\u0000${b.messageId}`;
}

/**
 * The erasure of messages posted for a case that was purged meanwhile (a send racing the purge):
 * an id of its own per set of messages, so the purge's job, perhaps done already, does not take
 * its place, and two that find the same messages make one job.
 */
export function nawissingJob(teamId: string, caseId: string, berichten: Bericht[], now: string): ScheduledJob {
  const job = wissingJob(teamId, caseId, berichten, now);
  const welke = createHash('sha256').update(berichten.map(berichtSleutel).join('\n')).digest('base64url').slice(0, 22);
  return { ...job, id: `${job.id}:${welke}` };
}
