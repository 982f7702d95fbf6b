import { z } from 'zod';
import { INSTRUMENTEN, PARTNERS, PATRONEN, PRINCIPES, type Instrument, type Partner, type Patroon } from './catalogue';
import { privacyFout, schoon } from './privacy';
import type { FieldErrors } from './markering';
import type { Rol } from './toegang';
import { metHoofdletter } from './woorden';
import { AFWIJZINGEN, magReactieZien } from './uitvraag';
import { changePhase, DomainError, geldend, tijdstip, VerouderdeInvoer, type Basis, type Duiding, type NewZaakEvent, type Uitvraag, type Veiligheid, type Verdiepingszaak } from './zaak';

export const VEILIGHEID: Record<Veiligheid, string> = {
  veilig: 'Veilig',
  zorgelijk: 'Zorgelijk',
  onveilig: 'Onveilig',
  onbekend: 'Onbekend',
};

export const HYPOTHESE_MIN = 10;
// Five rows with the full partner list keep the worst-case form under Teams' card size.
export const MAX_PERSPECTIEVEN = 5;
export const MAX_HYPOTHESEN = 4;
export const MAX_INSTRUMENTEN = 4;

/** Text limits per field, chosen so the whole form stays within Teams' card size at its largest. */
export const DUIDING_MAX = {
  perspectief: 600,
  tegenstrijdigheden: 800,
  patroonAnders: 150,
  hypothese: 400,
  uitkomst: 200,
  toelichting: 150,
} as const;

/** What a duiding records, before version, author and time are stamped on it. */
export type DuidingData = Omit<Duiding, 'versie' | 'door' | 'op'>;

/** The duiding form as typed in: every value a string, as Adaptive Card inputs send them. */
export interface DuidingInvoer {
  patronen: string;
  patroonAnders: string;
  perspectieven: { organisatie: string; tekst: string }[];
  tegenstrijdigheden: string;
  hypothesen: string[];
  instrumenten: { instrument: string; uitkomst: string }[];
  /** One row per betrokkene of the case, in the case's order. */
  veiligheid: { nu: string; straks: string; toelichting: string }[];
}

function isKey<T extends Record<string, string>>(catalogue: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

/** A free-text value (normalised by `schoon`): within length, without personal data. Returns an error message or undefined. */
function tekstFout(tekst: string, max: number): string | undefined {
  if (tekst.length > max) return `Te lang (${tekst.length} tekens, maximaal ${max}).`;
  return privacyFout(tekst);
}

/** Validates the duiding form against the case; returns the duiding or one Dutch message per field in trouble. */
export function validateDuiding(invoer: DuidingInvoer, zaak: Verdiepingszaak): { ok: true; value: DuidingData } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};

  const rawPatronen = invoer.patronen.split(',').map((p) => p.trim()).filter(Boolean);
  const patronen = [...new Set(rawPatronen.filter((p): p is Patroon => isKey(PATRONEN, p)))];
  if (patronen.length !== new Set(rawPatronen).size) errors.patronen = 'Kies patronen uit de lijst.';
  const patroonAnders = schoon(invoer.patroonAnders);
  const andersFout = tekstFout(patroonAnders, DUIDING_MAX.patroonAnders);
  if (andersFout) errors.patroonAnders = andersFout;

  const perspectieven: DuidingData['perspectieven'] = [];
  invoer.perspectieven.forEach((rij, i) => {
    const organisatie = rij.organisatie.trim();
    const tekst = schoon(rij.tekst);
    if (!organisatie && !tekst) return;
    const fout = tekstFout(tekst, DUIDING_MAX.perspectief);
    if (!isKey(PARTNERS, organisatie)) errors[`perspectief_${i}`] = 'Kies de organisatie van dit perspectief.';
    else if (!tekst) errors[`perspectief_${i}`] = 'Beschrijf het perspectief van deze organisatie, of kies geen organisatie.';
    else if (fout) errors[`perspectief_${i}`] = fout;
    else perspectieven.push({ organisatie: organisatie as Partner, tekst });
  });

  const tegenstrijdigheden = schoon(invoer.tegenstrijdigheden);
  const tegenFout = tekstFout(tegenstrijdigheden, DUIDING_MAX.tegenstrijdigheden);
  if (tegenFout) errors.tegenstrijdigheden = tegenFout;

  const hypothesen: string[] = [];
  invoer.hypothesen.forEach((h, i) => {
    const tekst = schoon(h);
    if (!tekst) return;
    const fout = tekstFout(tekst, DUIDING_MAX.hypothese);
    if (fout) errors[`hypothese_${i}`] = fout;
    else if (tekst.length < HYPOTHESE_MIN) errors[`hypothese_${i}`] = `Formuleer de hypothese in ten minste ${HYPOTHESE_MIN} tekens, zo dat je kunt nagaan of ze klopt.`;
    else hypothesen.push(tekst);
  });
  if (hypothesen.length === 0 && !Object.keys(errors).some((k) => k.startsWith('hypothese_'))) {
    errors.hypothesen = 'Stel ten minste één toetsbare hypothese op: wat denken we dat er speelt, en hoe gaan we na of dat klopt? Bijvoorbeeld: "Het winkelen is een gevolg van het weggevallen netwerk; met een maatje stopt het."';
  }

  const instrumenten: DuidingData['instrumenten'] = [];
  invoer.instrumenten.forEach((rij, i) => {
    const instrument = rij.instrument.trim();
    const uitkomst = schoon(rij.uitkomst);
    if (!instrument && !uitkomst) return;
    const fout = tekstFout(uitkomst, DUIDING_MAX.uitkomst);
    if (!isKey(INSTRUMENTEN, instrument)) errors[`instrument_${i}`] = 'Kies het risicotaxatie-instrument.';
    else if (!uitkomst) errors[`instrument_${i}`] = `Vul de uitkomst van ${INSTRUMENTEN[instrument]} in.`;
    else if (fout) errors[`instrument_${i}`] = fout;
    else instrumenten.push({ instrument: instrument as Instrument, uitkomst });
  });

  const veiligheid: DuidingData['veiligheid'] = [];
  zaak.betrokkenen.forEach((_b, i) => {
    const rij = invoer.veiligheid[i] ?? { nu: '', straks: '', toelichting: '' };
    const toelichting = schoon(rij.toelichting);
    const fout = tekstFout(toelichting, DUIDING_MAX.toelichting);
    if (!isKey(VEILIGHEID, rij.nu) || !isKey(VEILIGHEID, rij.straks)) {
      errors[`veiligheid_${i}`] = 'Geef aan hoe veilig deze betrokkene nu is en na het besluit (kies "Onbekend" als we het niet weten).';
    } else if (fout) errors[`veiligheid_${i}`] = fout;
    else veiligheid.push({ betrokkene: i, nu: rij.nu, straks: rij.straks, ...(toelichting ? { toelichting } : {}) });
  });

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { patronen, ...(patroonAnders ? { patroonAnders } : {}), perspectieven, tegenstrijdigheden, hypothesen, instrumenten, veiligheid },
  };
}

/**
 * The events that record a duiding: a new version, and the move to phase duiding when the case was
 * before it. With a `basis` (the version the form showed), a duiding recorded meanwhile is not passed over.
 */
export const NA_BESLUIT = 'Er is al een besluit vastgelegd: de duiding ligt vast. Een nieuwe duiding kan pas als de duiding is heropend (bij een monitoring met "koers niet passend").';

/** Why the duiding cannot be recorded now: closed, or a besluit stands and the duiding was not reopened. */
export function duidingDicht(zaak: Verdiepingszaak): string | undefined {
  if (zaak.fase === 'gesloten') return 'Deze zaak is gesloten. Heropen de zaak om de duiding te herzien.';
  if (zaak.besluit && zaak.fase !== 'duiding') return NA_BESLUIT;
  return undefined;
}

export function recordDuiding(zaak: Verdiepingszaak, data: DuidingData, basis?: Basis): NewZaakEvent[] {
  const dicht = duidingDicht(zaak);
  if (dicht) throw new DomainError(dicht);
  const laatste = zaak.duidingen.at(-1);
  if (basis && laatste && laatste.versie !== basis.versie) {
    throw new VerouderdeInvoer(`Intussen heeft ${laatste.door.name} een nieuwe duiding vastgelegd (versie ${laatste.versie}) ${tijdstip(laatste.op, basis)}; bekijk die en sla opnieuw op.`, laatste.versie);
  }
  const events: NewZaakEvent[] = [{ type: 'duiding.vastgelegd', data }];
  if (zaak.fase === 'gemarkeerd' || zaak.fase === 'contextinformatie') events.push(changePhase(zaak, 'duiding'));
  return events;
}

export function laatsteDuiding(zaak: Verdiepingszaak): Duiding | undefined {
  return zaak.duidingen.at(-1);
}

/** Principle steps that must have been looked at (filled in or marked n.v.t.) before the duiding. */
export const STAPPEN_VOOR_DUIDING = [2, 3] as const;

/** The steps of STAPPEN_VOOR_DUIDING that nobody has looked at yet. */
export function overgeslagenStappen(zaak: Verdiepingszaak): number[] {
  return STAPPEN_VOOR_DUIDING.filter((stap) => !zaak.principes[stap]);
}

/** "Stap 2 (Alle betrokkenen in beeld) en stap 3 (Gerichte contextinformatie)". */
export function stappenTekst(stappen: number[]): string {
  const delen = stappen.map((stap) => `stap ${stap} (${PRINCIPES.find((p) => p.nummer === stap)?.titel ?? ''})`);
  const zin = delen.length > 1 ? `${delen.slice(0, -1).join(', ')} en ${delen.at(-1)}` : (delen[0] ?? '');
  return metHoofdletter(zin);
}

export function overslaanWaarschuwing(stappen: number[]): string {
  const wat = stappenTekst(stappen);
  return stappen.length > 1
    ? `${wat} zijn nog niet bekeken. Zonder alle betrokkenen en gerichte contextinformatie duiden we op een half beeld. Wil je toch doorgaan naar de duiding?`
    : `${wat} is nog niet bekeken. Zonder dit beeld duiden we op een half beeld. Wil je toch doorgaan naar de duiding?`;
}

/** Who opens the duiding form: their ids and roles on the case, or a predicate saying which partner responses they may read. */
export type Kijker = { ids: readonly string[]; rollen: ReadonlySet<Rol> } | ((u: Uitvraag) => boolean);

function zichtVan(kijker: Kijker | undefined): (u: Uitvraag) => boolean {
  if (!kijker) return () => true;
  return typeof kijker === 'function' ? kijker : (u) => magReactieZien(u, kijker.ids, kijker.rollen);
}

/**
 * What one partner prompt contributes to a perspective: the question, and the answer or why there
 * is none; a response the viewer may not read shows only that there is one.
 */
export function uitvraagSamenvatting(u: Uitvraag, zichtbaar = true): string {
  if (!zichtbaar && u.status !== 'open') return `${u.vraag} → ${u.status === 'beantwoord' ? 'beantwoord' : 'geen antwoord'} (alleen zichtbaar voor de casusregisseur en de officieren)`;
  if (u.status === 'beantwoord' && u.antwoord) {
    const feit = `${u.vraag} → ${u.antwoord.tekst}${u.antwoord.bron ? ` (bron: ${u.antwoord.bron})` : ''}`;
    return u.antwoord.duiding ? `${feit}\nDuiding: ${u.antwoord.duiding}` : feit;
  }
  if (u.status === 'afgewezen' && u.afwijzing) {
    const soort = AFWIJZINGEN[u.afwijzing.soort].toLocaleLowerCase('nl');
    return `${u.vraag} → ${soort}${u.afwijzing.reden ? `: ${u.afwijzing.reden}` : ''}`;
  }
  return `${u.vraag} → nog geen antwoord`;
}

function afkappen(tekst: string, max: number = DUIDING_MAX.perspectief): string {
  return tekst.length <= max ? tekst : `${tekst.slice(0, max - 1)}…`;
}

/** The partners' answers as one perspective per organisation, in the order they were asked (only the responses `zichtbaar` allows; withdrawn questions left out). */
export function perspectievenUitUitvragen(uitvragen: Uitvraag[], zichtbaar: (u: Uitvraag) => boolean = () => true): { organisatie: Partner; tekst: string }[] {
  const perOrganisatie = new Map<Partner, string[]>();
  for (const u of uitvragen.filter(geldend)) perOrganisatie.set(u.organisatie, [...(perOrganisatie.get(u.organisatie) ?? []), uitvraagSamenvatting(u, zichtbaar(u))]);
  return [...perOrganisatie].map(([organisatie, regels]) => ({ organisatie, tekst: afkappen(regels.join('\n')) }));
}

/** One organisation's own interpretations, as far as the viewer may read them. */
export interface PartnerDuiding {
  organisatie: Partner;
  duidingen: string[];
}

export const PARTNER_DUIDING_VERBORGEN = 'Geduid (alleen zichtbaar voor de casusregisseur en de officieren)';

/**
 * How each partner interprets the case, per organisation in the order they were asked: only
 * answers that carry a duiding; one the viewer may not read shows only that there is one.
 */
export function partnerDuidingen(zaak: Pick<Verdiepingszaak, 'uitvragen'>, kijker?: Kijker): PartnerDuiding[] {
  const zichtbaar = zichtVan(kijker);
  const perOrganisatie = new Map<Partner, string[]>();
  for (const u of zaak.uitvragen) {
    const duiding = u.status === 'beantwoord' ? u.antwoord?.duiding : undefined;
    if (!duiding) continue;
    perOrganisatie.set(u.organisatie, [...(perOrganisatie.get(u.organisatie) ?? []), zichtbaar(u) ? duiding : PARTNER_DUIDING_VERBORGEN]);
  }
  return [...perOrganisatie].map(([organisatie, duidingen]) => ({ organisatie, duidingen }));
}

/**
 * What every betrokken professional may read of a partner's response: an answer its partner
 * allowed to be shared. The duiding is read by all of them, so only that goes into it unasked.
 */
function voorAlleBetrokkenen(u: Uitvraag): boolean {
  return magReactieZien(u, [], new Set<Rol>(['teamlid', 'betrokken']));
}

/**
 * The form's starting values: the latest duiding when revising (with partner answers that came in
 * since added to their organisation), otherwise the partners' answers as perspectives. Whoever
 * opens it, only the answers every betrokken professional may read are filled in (the duiding is
 * theirs to read); one that is not shared shows only that there is one.
 */
export function duidingVoorstel(zaak: Verdiepingszaak): DuidingInvoer {
  const zichtbaar = voorAlleBetrokkenen;
  const vorige = laatsteDuiding(zaak);
  const veiligheidLeeg = zaak.betrokkenen.map(() => ({ nu: '', straks: '', toelichting: '' }));
  if (!vorige) {
    return {
      patronen: '',
      patroonAnders: '',
      perspectieven: perspectievenUitUitvragen(zaak.uitvragen, zichtbaar),
      tegenstrijdigheden: '',
      hypothesen: [],
      instrumenten: [],
      veiligheid: veiligheidLeeg,
    };
  }
  const nieuw = zaak.uitvragen.filter((u) => {
    const wanneer = u.antwoord?.op ?? u.afwijzing?.op;
    return wanneer !== undefined && wanneer > vorige.op;
  });
  const perspectieven = vorige.perspectieven.map((p) => ({ ...p }));
  for (const extra of perspectievenUitUitvragen(nieuw, zichtbaar)) {
    const bestaand = perspectieven.find((p) => p.organisatie === extra.organisatie);
    if (bestaand) bestaand.tekst = afkappen(`${bestaand.tekst}\nNieuw: ${extra.tekst}`);
    else perspectieven.push({ organisatie: extra.organisatie, tekst: `Nieuw: ${extra.tekst}` });
  }
  return {
    patronen: vorige.patronen.join(','),
    patroonAnders: vorige.patroonAnders ?? '',
    perspectieven,
    tegenstrijdigheden: vorige.tegenstrijdigheden,
    hypothesen: [...vorige.hypothesen],
    instrumenten: vorige.instrumenten.map((i) => ({ instrument: i.instrument, uitkomst: i.uitkomst })),
    veiligheid: veiligheidLeeg.map((leeg, i) => {
      const v = vorige.veiligheid.find((r) => r.betrokkene === i);
      return v ? { nu: v.nu, straks: v.straks, toelichting: v.toelichting ?? '' } : leeg;
    }),
  };
}

/** Inbound payload of the duiding form (Action.Execute data merged with the inputs). */
export const duidingPayload = z
  .object({
    caseId: z.string().min(1).max(200),
    patronen: z.string().max(500).default(''),
    patroon_anders: z.string().max(10_000).default(''),
    tegenstrijdigheden: z.string().max(10_000).default(''),
    perspectieven: z.coerce.number().int().min(0).max(MAX_PERSPECTIEVEN).default(0),
    hypothesen: z.coerce.number().int().min(0).max(MAX_HYPOTHESEN).default(0),
    instrumenten: z.coerce.number().int().min(0).max(MAX_INSTRUMENTEN).default(0),
    betrokkenen: z.coerce.number().int().min(0).max(20).default(0),
    /** The duiding's version the form was opened on (0 before the first). */
    basisVersie: z.coerce.number().int().min(0).max(1_000_000).optional(),
  })
  .catchall(z.unknown());

/** Reads the form's flat input ids (perspectief_<i>_tekst, hypothese_<i>, ...) into a DuidingInvoer. */
export function readDuiding(data: unknown): { caseId: string; basisVersie?: number; invoer: DuidingInvoer } | undefined {
  const parsed = duidingPayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const field = (key: string, max = 10_000) => (typeof d[key] === 'string' ? (d[key] as string).slice(0, max) : '');
  const rows = <T>(n: number, row: (i: number) => T) => Array.from({ length: n }, (_, i) => row(i));
  return {
    caseId: d.caseId,
    ...(d.basisVersie !== undefined ? { basisVersie: d.basisVersie } : {}),
    invoer: {
      patronen: d.patronen,
      patroonAnders: d.patroon_anders,
      tegenstrijdigheden: d.tegenstrijdigheden,
      perspectieven: rows(d.perspectieven, (i) => ({ organisatie: field(`perspectief_${i}_organisatie`, 100), tekst: field(`perspectief_${i}_tekst`) })),
      hypothesen: rows(d.hypothesen, (i) => field(`hypothese_${i}`)),
      instrumenten: rows(d.instrumenten, (i) => ({ instrument: field(`instrument_${i}_soort`, 100), uitkomst: field(`instrument_${i}_uitkomst`) })),
      veiligheid: rows(d.betrokkenen, (i) => ({ nu: field(`veiligheid_${i}_nu`, 100), straks: field(`veiligheid_${i}_straks`, 100), toelichting: field(`veiligheid_${i}_toelichting`) })),
    },
  };
}
