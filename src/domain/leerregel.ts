import { DateTime } from 'luxon';
import { PRINCIPES, STRAFAFDOENINGEN, VRIJHEIDSBENEMING, type Afdoening, type Instrument, type Interventiesoort, type Leeftijdsklasse, type Patroon, type Rol, type Strafafdoening, type Vrijheidsbeneming, type Zaaktype } from './catalogue';
import { besluitKeten, oudeAfdoening } from './besluit';
import { ageInDays, geldend, type Bekendheid, type Tijdstrategie, type Verdiepingszaak, type ZaakEvent } from './zaak';

/** Risk-instrument outcomes as categories: the free-text outcome itself is not kept. */
export type UitkomstCategorie = 'laag' | 'midden' | 'hoog' | 'anders';
export type DoelenBereikt = 'ja' | 'deels' | 'nee';

export const DOELEN_BEREIKT: Readonly<Record<DoelenBereikt, string>> = { ja: 'Ja', deels: 'Deels', nee: 'Nee' };

/**
 * What a team learns from one case, kept after the case is purged: categories, counts and whole
 * days only, and the leeropbrengst (already through the privacy filter). No reference, no case
 * id, no initials, no dates finer than the month: `id` is random and only the case points to it.
 */
export interface Leerregel {
  id: string;
  teamId: string;
  /** The month (yyyy-mm, team time zone) of the closing, or of the last check while still open. */
  maand: string;
  gesloten: boolean;
  zaaktypes: Zaaktype[];
  betrokkenen: { rol: Rol; leeftijd: Leeftijdsklasse }[];
  patronen: Patroon[];
  instrumenten: { instrument: Instrument; uitkomst: UitkomstCategorie }[];
  vrijheidsbeneming?: Vrijheidsbeneming;
  strafrechtelijk?: Strafafdoening;
  /** Records from before the chain's categories have this instead of the two above. */
  afdoening?: Afdoening;
  /** The care side of the mix: whether care was put in place, how many actions were agreed, which interventions. */
  interventies?: { zorg: boolean; acties: number; soorten?: Interventiesoort[] };
  tijdstrategie?: Tijdstrategie;
  partners: { gevraagd: number; beantwoord: number; afgewezen: number };
  dagenTotDuiding?: number;
  dagenTotBesluit?: number;
  stappenNvt: number[];
  stappenNietGeopend: number[];
  doelen: { aantal: number; algemeen: number };
  doelenBereikt?: DoelenBereikt;
  /** Per monitoring check, in order: was there a hermelding or recidive. */
  checks: Bekendheid[];
  /** The case was started as a repeat of an earlier one (hermelding). */
  herhaling: boolean;
  leeropbrengst?: string;
}

/** The changes after which a case's learning record is written (created or brought up to date). */
export function raaktLeerregel(events: readonly Pick<ZaakEvent, 'type'>[]): boolean {
  return events.some((e) => e.type === 'zaak.gesloten' || e.type === 'monitoring.vastgelegd');
}

/** A free-text instrument outcome as a category ("hoog risico" → hoog); anything else is "anders". */
export function uitkomstCategorie(uitkomst: string): UitkomstCategorie {
  const t = uitkomst.toLowerCase();
  if (/\b(hoog|hoge|ernstig|verhoogd|high)\b/.test(t)) return 'hoog';
  if (/\b(midden|gemiddeld|matig|middel|medium)\b/.test(t)) return 'midden';
  if (/\b(laag|lage|gering|low)\b/.test(t)) return 'laag';
  return 'anders';
}

/** Care "put in place" unless the team wrote that there is none. */
function zorgIngezet(zorg: string): boolean {
  return zorg.trim().length > 0 && !/^(geen|nvt|n\.v\.t\.?|-)$/i.test(zorg.trim());
}

/** The learning record of a case as it stands: `id` is the random id the case was given for it. */
export function leerregelVan(zaak: Verdiepingszaak, id: string, timeZone: string): Leerregel {
  const duiding = zaak.duidingen.at(-1);
  const eersteDuiding = zaak.duidingen[0];
  const b = zaak.besluit;
  const gesloten = zaak.fase === 'gesloten';
  const moment = gesloten && zaak.afsluiting ? zaak.afsluiting.op : zaak.updatedAt;
  const dagen = (op: string) => ageInDays(zaak.flaggedAt, new Date(op), timeZone);
  const uniek = <T extends string>(xs: readonly T[]) => [...new Set(xs)].sort();
  const laatste = zaak.monitoring.at(-1);
  return {
    id,
    teamId: zaak.teamId,
    maand: DateTime.fromISO(moment, { zone: 'utc' }).setZone(timeZone).toFormat('yyyy-MM'),
    gesloten,
    zaaktypes: uniek(zaak.types),
    betrokkenen: zaak.betrokkenen
      .map((p) => ({ rol: p.rol, leeftijd: p.leeftijd }))
      .sort((x, y) => `${x.rol}|${x.leeftijd}`.localeCompare(`${y.rol}|${y.leeftijd}`)),
    patronen: uniek(duiding?.patronen ?? []),
    instrumenten: (duiding?.instrumenten ?? []).map((i) => ({ instrument: i.instrument, uitkomst: uitkomstCategorie(i.uitkomst) })),
    ...(b ? besluitDeel(b) : {}),
    partners: {
      gevraagd: zaak.uitvragen.filter(geldend).length,
      beantwoord: zaak.uitvragen.filter((u) => u.status === 'beantwoord').length,
      afgewezen: zaak.uitvragen.filter((u) => u.status === 'afgewezen').length,
    },
    ...(eersteDuiding ? { dagenTotDuiding: dagen(eersteDuiding.op) } : {}),
    ...(b ? { dagenTotBesluit: dagen(eersteBesluitOp(zaak) ?? b.op) } : {}),
    stappenNvt: PRINCIPES.map((p) => p.nummer).filter((n) => zaak.principes[n]?.status === 'nvt'),
    stappenNietGeopend: PRINCIPES.map((p) => p.nummer).filter((n) => !zaak.principes[n]),
    doelen: { aantal: b?.doelen.length ?? 0, algemeen: b?.doelen.filter((d) => d.algemeenBevestigd).length ?? 0 },
    ...(laatste?.doelenBereikt ? { doelenBereikt: laatste.doelenBereikt } : {}),
    checks: zaak.monitoring.map((m) => m.hermelding),
    herhaling: !!zaak.herhaalVan,
    ...(zaak.afsluiting ? { leeropbrengst: zaak.afsluiting.leeropbrengst } : {}),
  };
}

function besluitDeel(b: NonNullable<Verdiepingszaak['besluit']>): Pick<Leerregel, 'vrijheidsbeneming' | 'strafrechtelijk' | 'interventies' | 'tijdstrategie'> {
  const keten = besluitKeten(b);
  return {
    ...(keten.vrijheidsbeneming ? { vrijheidsbeneming: keten.vrijheidsbeneming } : {}),
    strafrechtelijk: keten.strafrechtelijk.afdoening,
    interventies: { zorg: zorgIngezet(b.zorg) || keten.interventies.length > 0, acties: b.acties.length, soorten: uniekeSoorten(keten.interventies.map((i) => i.soort)) },
    tijdstrategie: b.tijdstrategie.keuze,
  };
}

function uniekeSoorten(xs: readonly Interventiesoort[]): Interventiesoort[] {
  return [...new Set(xs)].sort();
}

/**
 * The judicial side of a record as one label: the strafrechtelijke afdoening, or the
 * vrijheidsbeneming while that is still to be decided. Old records are read in the chain's terms.
 */
export function afdoeningLabel(r: Pick<Leerregel, 'vrijheidsbeneming' | 'strafrechtelijk' | 'afdoening'>): string | undefined {
  const oud = !r.strafrechtelijk && r.afdoening ? oudeAfdoening(r.afdoening) : undefined;
  const straf = r.strafrechtelijk ?? oud?.strafrechtelijk.afdoening;
  if (!straf) return undefined;
  const vrijheid = r.strafrechtelijk ? r.vrijheidsbeneming : oud?.vrijheidsbeneming;
  if (straf === 'nog_te_bepalen' && vrijheid && vrijheid !== 'nvt') return VRIJHEIDSBENEMING[vrijheid];
  return STRAFAFDOENINGEN[straf];
}

/** When the first besluit was recorded: a revised besluit keeps the first one's moment in `eersteOp`. */
function eersteBesluitOp(zaak: Verdiepingszaak): string | undefined {
  return zaak.besluit?.eersteOp;
}

/** Hermelding or recidive at any check: ja if once ja, nee if every check said nee, else onbekend. */
export function hermeldingVan(r: Pick<Leerregel, 'checks'>): Bekendheid {
  if (r.checks.includes('ja')) return 'ja';
  if (r.checks.length > 0 && r.checks.every((c) => c === 'nee')) return 'nee';
  return 'onbekend';
}

/** The intervention mix a record stands for, as the leerbeeld groups it: the afdoening, with or without care. */
export function interventieMix(r: Pick<Leerregel, 'vrijheidsbeneming' | 'strafrechtelijk' | 'afdoening' | 'interventies'>): string | undefined {
  const label = afdoeningLabel(r);
  if (!label) return undefined;
  return `${label} ${r.interventies?.zorg ? '+ zorg' : 'zonder zorg'}`;
}

/** The first month (yyyy-mm) a record must have to be kept, `dagen` after `now`'s retention cut-off. */
export function bewaarVanaf(now: Date, dagen: number, timeZone: string): string {
  return DateTime.fromJSDate(now).setZone(timeZone).minus({ days: dagen }).toFormat('yyyy-MM');
}
