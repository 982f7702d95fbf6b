import { z } from 'zod';
import { privacyFout, schoon } from './privacy';
import type { FieldErrors } from './markering';
import { STOPREDENEN, type Fase, type Stopreden } from './catalogue';
import { canTransition, changePhase, DomainError, tijdstip, VerouderdeInvoer, type Actor, type Basis, type NewZaakEvent, type Verdiepingszaak } from './zaak';

export const LEEROPBRENGST_MIN = 20;
export const UITKOMST_MIN = 5;
export const REDEN_MIN = 10;
export const TEKST_MAX = 2000;

export interface AfsluitingInvoer {
  stopreden: string;
  leeropbrengst: string;
  vergelijking: string;
  uitkomst: string;
}

export interface AfsluitingData {
  /** Cases closed before stop reasons existed have none. */
  stopreden?: Stopreden;
  leeropbrengst: string;
  vergelijking?: string;
  uitkomst: string;
}

function tekstFout(tekst: string): string | undefined {
  if (tekst.length > TEKST_MAX) return `Te lang (${tekst.length} tekens, maximaal ${TEKST_MAX}).`;
  return privacyFout(tekst);
}

/** Validates the closing form: what we learned and how it ended are required. */
export function validateAfsluiting(invoer: AfsluitingInvoer): { ok: true; value: AfsluitingData } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const leeropbrengst = schoon(invoer.leeropbrengst);
  const vergelijking = schoon(invoer.vergelijking);
  const uitkomst = schoon(invoer.uitkomst);
  const stopreden = invoer.stopreden.trim();
  if (!Object.hasOwn(STOPREDENEN, stopreden)) errors.stopreden = 'Kies waarom we stoppen met verdiepen.';
  if (leeropbrengst.length < LEEROPBRENGST_MIN) {
    errors.leeropbrengst = `Wat leren we van deze zaak, voor nu en voor volgende zaken? Schrijf ten minste ${LEEROPBRENGST_MIN} tekens.`;
  } else if (tekstFout(leeropbrengst)) errors.leeropbrengst = tekstFout(leeropbrengst)!;
  if (tekstFout(vergelijking)) errors.vergelijking = tekstFout(vergelijking)!;
  if (uitkomst.length < UITKOMST_MIN) errors.uitkomst = 'Hoe is de zaak afgelopen? Was er een hermelding of recidive, zijn de doelen bereikt?';
  else if (tekstFout(uitkomst)) errors.uitkomst = tekstFout(uitkomst)!;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { stopreden: stopreden as Stopreden, leeropbrengst, ...(vergelijking ? { vergelijking } : {}), uitkomst } };
}

/** The newest recorded change of a case that names who made it, as "heeft X ..." says it. */
export function laatsteWijziging(zaak: Verdiepingszaak): { door: Actor; op: string; wat: string } | undefined {
  const b = zaak.besluit;
  const kandidaten = [
    ...Object.values(zaak.principes).map((p) => ({ door: p.door, op: p.op, wat: `stap ${p.stap} van de leidende principes bijgewerkt` })),
    ...zaak.uitvragen.flatMap((u) => (u.antwoord ? [{ door: u.antwoord.door, op: u.antwoord.op, wat: 'een antwoord op een vraag gegeven' }] : [])),
    ...zaak.duidingen.map((d) => ({ door: d.door, op: d.op, wat: `een nieuwe duiding vastgelegd (versie ${d.versie})` })),
    ...(b ? [{ door: b.door, op: b.op, wat: `een nieuw besluit vastgelegd (versie ${b.versie})` }] : []),
    ...zaak.monitoring.map((m) => ({ door: m.door, op: m.op, wat: 'een monitoring vastgelegd' })),
    ...zaak.heropeningen.map((h) => ({ door: h.door, op: h.op, wat: 'de zaak heropend' })),
    ...(zaak.afsluiting ? [{ door: zaak.afsluiting.door, op: zaak.afsluiting.op, wat: 'de zaak gesloten' }] : []),
  ];
  return kandidaten.filter((k) => k.op === zaak.updatedAt).at(-1);
}

/**
 * The events that close a case. With a `basis` (the case version the form was opened on), a case
 * changed meanwhile is not closed on what the form showed.
 */
export function recordSluiting(zaak: Verdiepingszaak, data: AfsluitingData, basis?: Basis): NewZaakEvent[] {
  if (basis && zaak.version !== basis.versie) {
    const w = laatsteWijziging(zaak);
    const wat = w ? `heeft ${w.door.name} ${w.wat} ${tijdstip(w.op, basis)}` : `is de zaak bijgewerkt ${tijdstip(zaak.updatedAt, basis)}`;
    throw new VerouderdeInvoer(`Intussen ${wat}; bekijk de zaak en sla opnieuw op.`, zaak.version);
  }
  if (zaak.fase === 'gesloten') throw new DomainError('Deze zaak is al gesloten.');
  return [{ type: 'zaak.gesloten', data }, changePhase(zaak, 'gesloten')];
}

/** The phase a reopened case returns to: where it was before closing. */
export function heropenFase(zaak: Verdiepingszaak): Fase {
  const vorige = zaak.vorigeFase;
  if (vorige && vorige !== 'gesloten' && canTransition('gesloten', vorige)) return vorige;
  return zaak.besluit ? 'monitoring' : zaak.duidingen.length > 0 ? 'duiding' : 'contextinformatie';
}

/** Validates the reason to reopen; returns a Dutch message when it is missing. */
export function redenFout(reden: string): string | undefined {
  const r = schoon(reden);
  if (r.length < REDEN_MIN) return `Waarom heropenen we de zaak (bijvoorbeeld een hermelding)? Schrijf ten minste ${REDEN_MIN} tekens.`;
  return tekstFout(r);
}

/** The events that reopen a closed case, back in the phase it had. */
export function recordHeropening(zaak: Verdiepingszaak, reden: string): NewZaakEvent[] {
  if (zaak.fase !== 'gesloten') throw new DomainError('Deze zaak is niet gesloten.');
  const fout = redenFout(reden);
  if (fout) throw new DomainError(fout);
  return [{ type: 'zaak.heropend', data: { reden: schoon(reden) } }, changePhase(zaak, heropenFase(zaak), schoon(reden))];
}

export const afsluitingPayload = z
  .object({
    caseId: z.string().min(1).max(200),
    stopreden: z.string().max(100).default(''),
    leeropbrengst: z.string().max(10_000).default(''),
    vergelijking: z.string().max(10_000).default(''),
    uitkomst: z.string().max(10_000).default(''),
    /** The case version the form was opened on. */
    basisVersie: z.coerce.number().int().min(0).max(1_000_000).optional(),
  })
  .catchall(z.unknown());

export const heropeningPayload = z
  .object({
    caseId: z.string().min(1).max(200),
    reden: z.string().max(10_000).default(''),
  })
  .catchall(z.unknown());
