import { DateTime } from 'luxon';
import { z } from 'zod';
import { INSTRUMENTEN, LEEFTIJDEN, PARTNERS, PATRONEN, PRINCIPES, ROLLEN, TIJDSTRATEGIEEN, type Principe } from './catalogue';
import { WOORDEN } from './woorden';
import { privacyFout, schoon } from './privacy';
import type { FieldErrors } from './markering';
import { DomainError, isOpen, type Actor, type Betrokkene, type NewZaakEvent, type PrincipeStand, type Verdiepingszaak, type ZaakEvent } from './zaak';

/** Choice options: stable key → Dutch label. */
export type Opties = Readonly<Record<string, string>>;

/**
 * One field of a step form. `perBetrokkene` fields are asked once per betrokkene of the case
 * (by role and age band, never by name); their answers are stored as `<key>_<index>`.
 */
export type Veld =
  | { soort: 'tekst'; key: string; label: string; max: number; meerdereRegels: boolean; placeholder?: string; perBetrokkene?: boolean }
  | { soort: 'keuze'; key: string; label: string; opties: Opties; perBetrokkene?: boolean }
  | { soort: 'meerkeuze'; key: string; label: string; opties: Opties; perBetrokkene?: boolean }
  | { soort: 'datum'; key: string; label: string; perBetrokkene?: boolean };

export interface StapFormulier {
  principe: Principe;
  /** Short guidance above the fields, next to the step's reflective questions. */
  toelichting?: string;
  velden: readonly Veld[];
  /** Rules across fields, on answers that passed the per-field checks. */
  samenhang?: (antwoorden: Record<string, string>) => FieldErrors;
  /** Fields asked only on a case started as a repeat of an earlier one (after a hermelding). */
  bijHerhaling?: readonly Veld[];
}

export const KORT_MAX = 300;
export const LANG_MAX = 1500;
export const REDEN_MIN = 5;
export const REDEN_MAX = 500;

export const PERSPECTIEF_BEKEND = { ja: 'Ja', deels: 'Deels', nee: 'Nee' } as const;
export const VEILIGHEIDSNIVEAUS = { veilig: 'Veilig', zorgelijk: 'Zorgelijk', onveilig: 'Onveilig', onbekend: 'Onbekend' } as const;
export const EERDER_BEKEND = { ja: 'Ja', nee: 'Nee', onbekend: 'Onbekend' } as const;

/** The error key of the n.v.t. reason (a step's own field may be called `reden`, as step 8's is). */
export const NVT_REDEN_FOUT = 'nvt_reden';
export const NVT_REDEN_MESSAGE = `Geef een reden waarom deze stap niet van toepassing is (ten minste ${REDEN_MIN} tekens).`;
export const LEEG_MESSAGE = 'Vul ten minste één veld in, of markeer de stap als niet van toepassing (met een reden).';
export const GESLOTEN_MESSAGE = 'Deze zaak is gesloten: de leidende principes kunnen niet meer worden gewijzigd. Heropen de zaak om verder te werken.';

const lang = (key: string, label: string, placeholder?: string): Veld => ({ soort: 'tekst', key, label, max: LANG_MAX, meerdereRegels: true, ...(placeholder ? { placeholder } : {}) });
const kort = (key: string, label: string, placeholder?: string): Veld => ({ soort: 'tekst', key, label, max: KORT_MAX, meerdereRegels: false, ...(placeholder ? { placeholder } : {}) });

function principe(nummer: number): Principe {
  const found = PRINCIPES.find((p) => p.nummer === nummer);
  if (!found) throw new Error(`unknown principe ${nummer}`);
  return found;
}

/** The nine step forms, in order. */
export const STAPPEN: readonly StapFormulier[] = [
  {
    principe: principe(1),
    velden: [lang('zorgen', 'Wat baart ons zorgen?'), lang('tegenstrijdig', 'Welke feiten spreken elkaar tegen?')],
  },
  {
    principe: principe(2),
    toelichting: 'Houd alle betrokkenen in beeld, ook de andere partij, kinderen en derden. Per betrokkene: is het perspectief bekend, en wie spreekt direct met hem of haar?',
    velden: [
      { soort: 'keuze', key: 'perspectief', label: 'Perspectief bekend?', opties: PERSPECTIEF_BEKEND, perBetrokkene: true },
      { soort: 'tekst', key: 'spreker', label: 'Wie spreekt direct met deze persoon?', max: KORT_MAX, meerdereRegels: false, placeholder: 'Organisatie of rol, geen namen', perBetrokkene: true },
      lang('ontbreekt', 'Wie is nog niet in beeld?', 'Bijvoorbeeld kinderen, (ex-)partner, ouders, derden'),
    ],
  },
  {
    principe: principe(3),
    toelichting: 'Vraag alleen wat je moet weten voor het besluit, niet wat interessant is om te weten.',
    velden: [
      lang('vragen', 'Welke vragen moeten beantwoord zijn om goed te kunnen beslissen?'),
      { soort: 'meerkeuze', key: 'partners', label: 'Welke partner(s) hebben die informatie?', opties: PARTNERS },
      lang('nodig', 'Waarom zijn deze antwoorden nodig voor het besluit?'),
    ],
  },
  {
    principe: principe(4),
    velden: [
      { soort: 'keuze', key: 'nu', label: 'Veilig nu?', opties: VEILIGHEIDSNIVEAUS, perBetrokkene: true },
      { soort: 'keuze', key: 'straks', label: 'Veilig na het besluit?', opties: VEILIGHEIDSNIVEAUS, perBetrokkene: true },
      { soort: 'tekst', key: 'toelichting', label: 'Toelichting', max: KORT_MAX, meerdereRegels: false, perBetrokkene: true },
    ],
  },
  {
    principe: principe(5),
    velden: [lang('kwetsbaar', 'Wat maakt de betrokkenen kwetsbaar?'), lang('draagt', 'Wat draagt hen (netwerk)?')],
  },
  {
    principe: principe(6),
    velden: [
      { soort: 'meerkeuze', key: 'patronen', label: 'Welke patronen zien we?', opties: PATRONEN },
      { soort: 'keuze', key: 'eerder', label: WOORDEN.eerderBekend, opties: EERDER_BEKEND },
      kort('eerderWaar', 'Waar en waarmee eerder bekend?', 'Bijvoorbeeld eerdere melding bij Veilig Thuis, Halt-traject'),
      { soort: 'meerkeuze', key: 'instrumenten', label: 'Welke risicotaxatie-instrumenten zijn gebruikt?', opties: INSTRUMENTEN },
      lang('uitkomst', 'Uitkomst van de instrumenten'),
    ],
    bijHerhaling: [lang('herhaling', 'Waarom heeft de herhaling zich voorgedaan?')],
  },
  {
    principe: principe(7),
    toelichting: 'Kort: de volledige duiding leg je vast in de duiding van de zaak.',
    velden: [lang('perspectieven', 'Welke perspectieven liggen naast elkaar?'), lang('tegenstrijdigheden', 'Welke tegenstrijdigheden zien we?'), lang('hypothesen', 'Welke toetsbare hypothesen stellen we?')],
  },
  {
    principe: principe(8),
    velden: [
      { soort: 'keuze', key: 'tijd', label: 'Versnellen, vertragen of intensiveren?', opties: TIJDSTRATEGIEEN },
      lang('reden', 'Waarom?'),
      lang('drieMaanden', 'Wat gebeurt er over drie maanden?'),
    ],
    samenhang: (a): FieldErrors => {
      const keuze = a.tijd as keyof typeof TIJDSTRATEGIEEN | undefined;
      return keuze && keuze !== 'geen' && !a.reden ? { reden: `Geef aan waarom jullie kiezen voor ${TIJDSTRATEGIEEN[keuze].toLowerCase()}.` } : {};
    },
  },
  {
    principe: principe(9),
    velden: [lang('mix', 'Welke mix van zorg en straf past?'), lang('voorkomen', 'Wat is nodig om hermelding of recidive te voorkomen?'), { soort: 'datum', key: 'opnieuw', label: 'Wanneer kijken we opnieuw?' }],
  },
];

export function stapFormulier(stap: number): StapFormulier | undefined {
  return STAPPEN.find((s) => s.principe.nummer === stap);
}

/** A field as asked on a case: per-betrokkene fields expanded to one per person. */
export interface GevraagdVeld {
  veld: Veld;
  /** The answer key: the field key, with `_<index>` for a per-betrokkene field. */
  key: string;
  /** Index into the case's betrokkenen, for per-betrokkene fields. */
  betrokkene?: number;
}

export function gevraagdeVelden(formulier: StapFormulier, zaak: Pick<Verdiepingszaak, 'betrokkenen' | 'herhaalVan'>): GevraagdVeld[] {
  const velden = [...formulier.velden, ...(zaak.herhaalVan ? (formulier.bijHerhaling ?? []) : [])];
  const perPersoon = velden.filter((v) => v.perBetrokkene);
  const algemeen = velden.filter((v) => !v.perBetrokkene);
  return [
    ...zaak.betrokkenen.flatMap((_, i) => perPersoon.map((veld) => ({ veld, key: `${veld.key}_${i}`, betrokkene: i }))),
    ...algemeen.map((veld) => ({ veld, key: veld.key })),
  ];
}

/** How a betrokkene is named in the channel: role and age band, never initials. */
export function betrokkeneLabel(zaak: Pick<Verdiepingszaak, 'betrokkenen'>, index: number): string {
  const b = zaak.betrokkenen[index];
  if (!b) return `Betrokkene ${index + 1}`;
  return b.leeftijd === 'onbekend' ? rollenLabel(b) : `${rollenLabel(b)} (${LEEFTIJDEN[b.leeftijd]})`;
}

/** Every role of a betrokkene ("Verdachte en slachtoffer"); a stored case from before has one. */
export function rollenLabel(b: Pick<Betrokkene, 'rol' | 'ookRollen'>): string {
  const labels = [b.rol, ...(b.ookRollen ?? [])].map((r, i) => (i === 0 ? ROLLEN[r] : ROLLEN[r].toLocaleLowerCase('nl')));
  return labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} en ${labels.at(-1)}`;
}

/** The step form as typed in; answers are keyed like GevraagdVeld.key, every value a string. */
export interface PrincipeInvoer {
  nvt: boolean;
  reden: string;
  antwoorden: Record<string, string>;
}

/** What one recording of a step holds (the data of a `principe.vastgelegd` event). */
export interface PrincipeWaarde {
  stap: number;
  status: 'ingevuld' | 'nvt';
  antwoorden: Record<string, string>;
  reden?: string;
}

function isKey(opties: Opties, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(opties, key);
}

function tekstFout(tekst: string, max: number): string | undefined {
  if (tekst.length > max) return `Te lang (${tekst.length} tekens, maximaal ${max}).`;
  return privacyFout(tekst);
}

/** Checks one answer; returns the normalised value or a Dutch message. */
function checkVeld(veld: Veld, raw: string, now: Date, timeZone: string): { value: string } | { error: string } {
  const value = veld.soort === 'tekst' ? schoon(raw) : raw.trim();
  if (!value) return { value: '' };
  switch (veld.soort) {
    case 'tekst': {
      const fout = tekstFout(value, veld.max);
      return fout ? { error: fout } : { value };
    }
    case 'keuze':
      return isKey(veld.opties, value) ? { value } : { error: 'Kies een van de mogelijkheden.' };
    case 'meerkeuze': {
      const gekozen = new Set(value.split(',').map((v) => v.trim()).filter(Boolean));
      if ([...gekozen].some((v) => !isKey(veld.opties, v))) return { error: 'Kies uit de lijst.' };
      return { value: Object.keys(veld.opties).filter((k) => gekozen.has(k)).join(',') };
    }
    case 'datum': {
      const dag = DateTime.fromISO(value, { zone: timeZone });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !dag.isValid) return { error: 'Vul een geldige datum in.' };
      if (dag < DateTime.fromJSDate(now, { zone: timeZone }).startOf('day')) return { error: 'Deze datum ligt in het verleden.' };
      return { value };
    }
  }
}

/**
 * Validates a step form. A step is ingevuld when at least one field has content; niet van
 * toepassing needs a reason (the answers are then not kept). Every free text goes through the privacy filter.
 */
export function validatePrincipe(
  zaak: Pick<Verdiepingszaak, 'betrokkenen' | 'herhaalVan'>,
  stap: number,
  invoer: PrincipeInvoer,
  now: Date,
  timeZone: string,
): { ok: true; value: PrincipeWaarde } | { ok: false; errors: FieldErrors } {
  const formulier = stapFormulier(stap);
  if (!formulier) return { ok: false, errors: { stap: 'Onbekende stap.' } };

  if (invoer.nvt) {
    const reden = schoon(invoer.reden);
    if (reden.length < REDEN_MIN) return { ok: false, errors: { [NVT_REDEN_FOUT]: NVT_REDEN_MESSAGE } };
    const fout = tekstFout(reden, REDEN_MAX);
    if (fout) return { ok: false, errors: { [NVT_REDEN_FOUT]: fout } };
    return { ok: true, value: { stap, status: 'nvt', antwoorden: {}, reden } };
  }

  const errors: FieldErrors = {};
  const antwoorden: Record<string, string> = {};
  for (const { veld, key } of gevraagdeVelden(formulier, zaak)) {
    const checked = checkVeld(veld, invoer.antwoorden[key] ?? '', now, timeZone);
    if ('error' in checked) errors[key] = checked.error;
    else if (checked.value) antwoorden[key] = checked.value;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (Object.keys(antwoorden).length === 0) return { ok: false, errors: { stap: LEEG_MESSAGE } };
  const samenhang = formulier.samenhang?.(antwoorden) ?? {};
  if (Object.keys(samenhang).length > 0) return { ok: false, errors: samenhang };
  return { ok: true, value: { stap, status: 'ingevuld', antwoorden } };
}

function zelfde(stand: PrincipeStand | undefined, waarde: PrincipeWaarde): boolean {
  if (!stand || stand.status !== waarde.status || (stand.reden ?? '') !== (waarde.reden ?? '')) return false;
  const a = Object.entries(stand.antwoorden).sort();
  const b = Object.entries(waarde.antwoorden).sort();
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Someone else recorded the step after the form was opened: nothing is overwritten unseen. */
export class StapGewijzigd extends DomainError {
  constructor(public readonly stand: PrincipeStand) {
    super(`Intussen heeft ${stand.door.name} deze stap bijgewerkt (versie ${stand.versie}). Je invoer staat hieronder: controleer hem en sla opnieuw op om een nieuwe versie vast te leggen.`);
    this.name = 'StapGewijzigd';
  }
}

/**
 * Records a step (any team member may): the `principe.vastgelegd` event, or nothing when the
 * answers did not change. Each recording of a step counts as a new version; a closed case refuses.
 * With `basisVersie` (the version the form showed), a step revised meanwhile by someone else is refused.
 */
export function vastleggen(zaak: Verdiepingszaak, waarde: PrincipeWaarde, basisVersie?: number): NewZaakEvent[] {
  if (!isOpen(zaak)) throw new DomainError(GESLOTEN_MESSAGE);
  if (!stapFormulier(waarde.stap)) throw new DomainError('Onbekende stap.');
  const stand = zaak.principes[waarde.stap];
  if (basisVersie !== undefined && stand && stand.versie !== basisVersie) throw new StapGewijzigd(stand);
  if (zelfde(stand, waarde)) return [];
  return [{ type: 'principe.vastgelegd', data: { stap: waarde.stap, status: waarde.status, antwoorden: waarde.antwoorden, ...(waarde.reden ? { reden: waarde.reden } : {}) } }];
}

/** One answer that a recording changed: the field's label and both values, readable and shortened. */
export interface Wijziging {
  veld: string;
  oud: string;
  nieuw: string;
}

/** One earlier or current recording of a step, from the case's events. */
export interface PrincipeVersie {
  versie: number;
  status: 'ingevuld' | 'nvt';
  reden?: string;
  door: Actor;
  op: string;
  /** What this version changed against the one before (the first against an empty step). */
  wijzigingen: Wijziging[];
}

/** A value in a history line is cut to this many characters. */
export const WIJZIGING_MAX = 60;
export const LEEG_WAARDE = '(leeg)';

function inKort(tekst: string): string {
  const t = tekst.replace(/\s+/g, ' ').trim();
  if (!t) return LEEG_WAARDE;
  return t.length <= WIJZIGING_MAX ? t : `${t.slice(0, WIJZIGING_MAX - 1)}…`;
}

/** A stored answer as the form shows it: choices by their labels. */
function leesbaar(veld: Veld, waarde: string): string {
  if (veld.soort === 'keuze') return veld.opties[waarde] ?? waarde;
  if (veld.soort === 'meerkeuze') return waarde.split(',').filter(Boolean).map((k) => veld.opties[k] ?? k).join(', ');
  return waarde;
}

function wijzigingen(zaak: Pick<Verdiepingszaak, 'betrokkenen' | 'herhaalVan'>, formulier: StapFormulier, vorige: { status: string; antwoorden: Record<string, string>; reden?: string } | undefined, nu: { status: string; antwoorden: Record<string, string>; reden?: string }): Wijziging[] {
  const lijst: Wijziging[] = [];
  const status = (s: string | undefined) => (s === 'nvt' ? 'Niet van toepassing' : s === 'ingevuld' ? 'Ingevuld' : LEEG_WAARDE);
  if (vorige && vorige.status !== nu.status) lijst.push({ veld: 'Stap', oud: status(vorige.status), nieuw: status(nu.status) });
  if ((vorige?.reden ?? '') !== (nu.reden ?? '')) lijst.push({ veld: 'Reden niet van toepassing', oud: inKort(vorige?.reden ?? ''), nieuw: inKort(nu.reden ?? '') });
  for (const { veld, key, betrokkene } of gevraagdeVelden(formulier, zaak)) {
    const oud = vorige?.antwoorden[key] ?? '';
    const nieuw = nu.antwoorden[key] ?? '';
    if (oud === nieuw) continue;
    const label = betrokkene === undefined ? veld.label : `${veld.label} (${betrokkeneLabel(zaak, betrokkene)})`;
    lijst.push({ veld: label, oud: inKort(leesbaar(veld, oud)), nieuw: inKort(leesbaar(veld, nieuw)) });
  }
  return lijst;
}

/** The history of a step: every recording, oldest first, with what it changed (the event list is the history). */
export function principeHistorie(events: readonly ZaakEvent[], stap: number, zaak: Pick<Verdiepingszaak, 'betrokkenen' | 'herhaalVan'>): PrincipeVersie[] {
  const formulier = stapFormulier(stap);
  const versies: PrincipeVersie[] = [];
  let vorige: Extract<ZaakEvent, { type: 'principe.vastgelegd' }>['data'] | undefined;
  for (const event of events) {
    if (event.type !== 'principe.vastgelegd' || event.data.stap !== stap) continue;
    versies.push({
      versie: versies.length + 1,
      status: event.data.status,
      ...(event.data.reden ? { reden: event.data.reden } : {}),
      door: event.actor,
      op: event.at,
      wijzigingen: formulier ? wijzigingen(zaak, formulier, vorige, event.data) : [],
    });
    vorige = event.data;
  }
  return versies;
}

/** How many of the nine steps were looked at (ingevuld or niet van toepassing). */
export function bekekenStappen(zaak: Pick<Verdiepingszaak, 'principes' | 'duidingen' | 'besluit'>): number {
  return STAPPEN.filter((s) => zaak.principes[s.principe.nummer] || elders(zaak, s.principe.nummer)).length;
}

/** Steps 7 and 9 are done by recording the duiding and the besluit: who did that and when. */
export function elders(zaak: Pick<Verdiepingszaak, 'duidingen' | 'besluit'>, stap: number): { wat: string; door: Actor; op: string } | undefined {
  const duiding = zaak.duidingen.at(-1);
  if (stap === 7 && duiding) return { wat: 'Vastgelegd in de duiding', door: duiding.door, op: duiding.op };
  if (stap === 9 && zaak.besluit) return { wat: 'Vastgelegd in het besluit', door: zaak.besluit.door, op: zaak.besluit.op };
  return undefined;
}

/** Which step of which case a step-form action is about. */
const stapVerwijzing = z.object({
  caseId: z.string().min(1).max(100),
  stap: z.coerce.number().int().min(1).max(STAPPEN.length),
  /** The step's version the form was opened on: a save on an older one is a conflict. */
  basisVersie: z.coerce.number().int().min(0).default(0),
});

/** The inbound payload of a step form (Action.Execute data merged with its inputs, the answers among them). */
const principePayload = stapVerwijzing.extend({ nvt: z.union([z.boolean(), z.string().max(10)]).optional() }).catchall(z.unknown());

/** Input ids in the form: `v_<answer key>` so they never clash with the action's own data. */
export const INPUT_PREFIX = 'v_';

/** The case and step a step-form action is about; undefined when the payload is not one. */
export function readStapVerwijzing(data: unknown): { caseId: string; stap: number; basisVersie: number } | undefined {
  // Its own schema, without the answers: checking which step is asked does not walk every input.
  const parsed = stapVerwijzing.safeParse(data ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** Reads the answers of a step form for this case (its betrokkenen decide the per-person fields); undefined when the payload is not a step form. */
export function readPrincipeInvoer(data: unknown, stap: number, zaak: Pick<Verdiepingszaak, 'betrokkenen' | 'herhaalVan'>): PrincipeInvoer | undefined {
  const parsed = principePayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d: Record<string, unknown> = parsed.data;
  const formulier = stapFormulier(stap);
  // Values are cut just past the longest limit: long enough to be refused, short enough to echo.
  const cut = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max + 1) : '');
  const antwoorden: Record<string, string> = {};
  for (const { key } of formulier ? gevraagdeVelden(formulier, zaak) : []) antwoorden[key] = cut(d[`${INPUT_PREFIX}${key}`], LANG_MAX);
  return { nvt: d.nvt === true || d.nvt === 'true', reden: cut(d.nvt_reden, REDEN_MAX), antwoorden };
}
