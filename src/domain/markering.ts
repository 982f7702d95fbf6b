import { DateTime } from 'luxon';
import { z } from 'zod';
import { LEEFTIJDEN, ROLLEN, ZAAKTYPES, type Leeftijdsklasse, type Rol, type Zaaktype } from './catalogue';
import { checkInitialen, leesSkn, privacyFout, schoon } from './privacy';
import type { Store } from '../store/store';
import { sknHashes, type Betrokkene, type Verdiepingszaak, type ZaakEvent } from './zaak';

/** The flag form (markering) as typed in: every value is a string, as Adaptive Card inputs send them. */
export interface MarkeringInvoer {
  zaaknummer: string;
  zaaktypes: string;
  signaal: string;
  deadlineDatum: string;
  deadlineTijd: string;
  betrokkenen: { rol: string; initialen: string; leeftijd: string; skn?: string }[];
  /** The earlier case this one repeats: set by "Nieuwe verdiepingszaak starten?" after a hermelding. */
  herhaalVan?: string;
}

/** A validated flag: what the case's first event records. */
export type Markering = Extract<ZaakEvent, { type: 'zaak.gemarkeerd' }>['data'];

/** Dutch messages keyed by form field id (betrokkenen rows as `betrokkene_<i>`). */
export type FieldErrors = Record<string, string>;

export const MAX_BETROKKENEN = 8;
export const SIGNAAL_MIN = 10;
export const SIGNAAL_MAX = 2000;

const REFERENCE_FORMATS = [
  /^\d{2}\/\d{6}-\d{2}$/, // parketnummer, e.g. 13/123456-24
  /^PL\d{4}-\d{8,10}$/, // politie-registratienummer, e.g. PL0900-2024123456
  /^ZSM-\d{4}-\d{3,6}$/, // ZSM-nummer, e.g. ZSM-2026-00123
];
export const REFERENCE_HINT = 'Gebruik een parketnummer (13/123456-24), politienummer (PL0900-2024123456) of ZSM-nummer (ZSM-2026-00123).';

export function normaliseReference(raw: string): string {
  return schoon(raw).toUpperCase().replace(/\s+/g, '');
}

export function isValidReference(reference: string): boolean {
  return REFERENCE_FORMATS.some((format) => format.test(reference));
}

function isKey<T extends Record<string, string>>(catalogue: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

/**
 * The flag form for a new case repeating `eerder` (after a hermelding): its zaaktypes, roles and
 * age bands, linked to it. Never its reference, initials or signaal: those are the new case's own.
 */
export function herhaalMarkering(eerder: Pick<Verdiepingszaak, 'id' | 'types' | 'betrokkenen'>): MarkeringInvoer {
  return {
    zaaknummer: '',
    zaaktypes: eerder.types.join(','),
    signaal: '',
    deadlineDatum: '',
    deadlineTijd: '',
    betrokkenen: eerder.betrokkenen.slice(0, MAX_BETROKKENEN).map((b) => ({ rol: b.rol, initialen: '', leeftijd: b.leeftijd, skn: '' })),
    herhaalVan: eerder.id,
  };
}

/** Validates the flag form; returns the case data or one Dutch message per field in trouble. */
export function validateMarkering(
  invoer: MarkeringInvoer,
  now: Date,
  timeZone: string,
  /** The keyed hash of an SKN (PSEUDONIEM_SLEUTEL set); without it an SKN is ignored, never stored. */
  pseudoniem?: (skn: string) => string,
): { ok: true; value: Markering } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};

  const reference = normaliseReference(invoer.zaaknummer);
  if (!reference) errors.zaaknummer = 'Vul het zaaknummer in.';
  else if (!isValidReference(reference)) errors.zaaknummer = `Onbekend formaat. ${REFERENCE_HINT}`;
  else if (privacyFout(reference)) errors.zaaknummer = privacyFout(reference)!;

  const rawTypes = [...new Set(invoer.zaaktypes.split(',').map((t) => t.trim()).filter(Boolean))];
  const types = rawTypes.filter((t): t is Zaaktype => isKey(ZAAKTYPES, t));
  if (types.length === 0 || types.length !== rawTypes.length) errors.zaaktypes = 'Kies ten minste één zaaktype.';

  const signaal = schoon(invoer.signaal);
  if (signaal.length < SIGNAAL_MIN) errors.signaal = `Beschrijf het signaal in ten minste ${SIGNAAL_MIN} tekens: wat baart zorgen, welke feiten spreken elkaar tegen?`;
  else if (signaal.length > SIGNAAL_MAX) errors.signaal = `Het signaal is te lang (${signaal.length} tekens, maximaal ${SIGNAAL_MAX}).`;
  else if (privacyFout(signaal)) errors.signaal = privacyFout(signaal)!;

  const betrokkenen: Betrokkene[] = [];
  invoer.betrokkenen.forEach((rij, i) => {
    // One or more roles, comma-separated as a multi-select sends them.
    const rollen = [...new Set(rij.rol.split(',').map((r) => r.trim()).filter(Boolean))];
    const initialen = checkInitialen(rij.initialen);
    const leeftijd = rij.leeftijd.trim();
    const skn = pseudoniem && rij.skn?.trim() ? leesSkn(rij.skn) : undefined;
    if (rollen.length === 0 && !rij.initialen.trim() && !leeftijd && !skn) return;
    const [rol, ...ookRollen] = rollen;
    if (!rol || !rollen.every((r) => isKey(ROLLEN, r))) errors[`betrokkene_${i}`] = 'Kies een of meer rollen voor deze betrokkene.';
    else if (!initialen.ok) errors[`betrokkene_${i}`] = initialen.error;
    else if (leeftijd && !isKey(LEEFTIJDEN, leeftijd)) errors[`betrokkene_${i}`] = 'Kies een leeftijdsklasse.';
    else if (skn && !skn.ok) errors[`betrokkene_${i}`] = skn.error;
    else
      betrokkenen.push({
        rol: rol as Rol,
        ...(ookRollen.length ? { ookRollen: ookRollen as Rol[] } : {}),
        leeftijd: (leeftijd || 'onbekend') as Leeftijdsklasse,
        ...(initialen.value ? { initialen: initialen.value } : {}),
        ...(skn?.ok && pseudoniem ? { sknHash: pseudoniem(skn.value) } : {}),
      });
  });
  if (betrokkenen.length === 0 && !Object.keys(errors).some((k) => k.startsWith('betrokkene_'))) {
    errors.betrokkene_0 = 'Voeg ten minste één betrokkene toe (alleen rol, initialen en leeftijdsklasse).';
  }
  if (invoer.betrokkenen.length > MAX_BETROKKENEN) errors.betrokkenen = `Maximaal ${MAX_BETROKKENEN} betrokkenen.`;

  let deadline: string | undefined;
  const datum = invoer.deadlineDatum.trim();
  const tijd = invoer.deadlineTijd.trim();
  if (datum || tijd) {
    const moment = DateTime.fromISO(`${datum}T${tijd || '23:59'}`, { zone: timeZone });
    if (!datum || !moment.isValid) errors.deadline = 'Vul een geldige datum (en eventueel tijd) in voor de deadline.';
    else if (moment.toMillis() < now.getTime()) errors.deadline = 'De deadline ligt in het verleden.';
    else deadline = moment.toUTC().toISO()!;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { reference, types, signaal, betrokkenen, ...(deadline ? { deadline } : {}), ...(invoer.herhaalVan ? { herhaalVan: invoer.herhaalVan } : {}) } };
}

/** Inbound payload of the flag form, as sent by Action.Execute or a dialog's Action.Submit. */
export const markeringPayload = z
  .object({
    zaaknummer: z.string().max(100).default(''),
    zaaktypes: z.string().max(200).default(''),
    signaal: z.string().max(10_000).default(''),
    deadline_datum: z.string().max(40).default(''),
    deadline_tijd: z.string().max(40).default(''),
    rijen: z.coerce.number().int().min(1).max(MAX_BETROKKENEN).default(1),
    herhaalVan: z.string().max(100).optional(),
  })
  .catchall(z.unknown());

/** Reads the form's flat input ids (betrokkene_<i>_rol, ...) into a MarkeringInvoer. */
export function readMarkering(data: unknown): { invoer: MarkeringInvoer; rijen: number } | undefined {
  const parsed = markeringPayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const field = (key: string) => (typeof d[key] === 'string' ? (d[key] as string).slice(0, 100) : '');
  const betrokkenen = Array.from({ length: d.rijen }, (_, i) => {
    const skn = field(`betrokkene_${i}_skn`);
    return { rol: field(`betrokkene_${i}_rol`), initialen: field(`betrokkene_${i}_initialen`), leeftijd: field(`betrokkene_${i}_leeftijd`), ...(skn ? { skn } : {}) };
  });
  return {
    rijen: d.rijen,
    invoer: {
      zaaknummer: d.zaaknummer,
      zaaktypes: d.zaaktypes,
      signaal: d.signaal,
      deadlineDatum: d.deadline_datum,
      deadlineTijd: d.deadline_tijd,
      betrokkenen,
      ...(d.herhaalVan ? { herhaalVan: d.herhaalVan } : {}),
    },
  };
}

/** At most this many earlier cases are named. */
export const MAX_BEKENDEN = 10;
/** At most this many earlier cases are looked at (those the flagger may not read are left out). */
const MAX_KANDIDATEN = 50;

/** An earlier case sharing a betrokkene with a new one. */
export interface OudeBekende {
  caseId: string;
  reference: string;
}

/**
 * Earlier cases of the team that share a betrokkene (by SKN hash) with `zaak`: "oude bekenden",
 * from the store's index of those hashes. Whom they may be named to is the caller's to check.
 */
export async function oudeBekenden(store: Pick<Store, 'listFollowUps'>, zaak: Pick<Verdiepingszaak, 'id' | 'teamId' | 'betrokkenen'>): Promise<OudeBekende[]> {
  const eigen = sknHashes(zaak);
  if (eigen.length === 0) return [];
  const { punten } = await store.listFollowUps(zaak.teamId, { soort: 'betrokkene', wat: eigen, limit: MAX_KANDIDATEN + eigen.length });
  const zaken = new Map(punten.filter((p) => p.caseId !== zaak.id).map((p) => [p.caseId, p.reference]));
  return [...zaken].slice(0, MAX_KANDIDATEN).map(([caseId, reference]) => ({ caseId, reference }));
}
