import { Cron } from 'croner';
import { INTERVENTIES, PARTNERS, STRAFAFDOENINGEN, type Fase, type Interventiesoort, type Partner, type Patroon, type Strafafdoening, type Zaaktype } from './catalogue';
import type { OpenCaseCounts, Store } from '../store/store';
import { opvolgpunten, puntPagina, puntTelling, type Opvolgpunt, type PuntPagina, type PuntVraag } from './opvolgpunten';
import type { ScheduledJob } from './jobs';
import { dagTeller, DomainError, lokaleDag, lokaleDagen, type CaseThread, type Verdiepingszaak, type Zaakregel } from './zaak';

/**
 * The weekly digest (weekoverzicht) of a team, computed from its cases: it goes to the whole
 * channel, so it carries no names and no free text at all (not even the leeropbrengst of a closed
 * case), only references, partner organisations, types, phases, dates and counts. Periods are whole local days in the team's time zone, so
 * a week is seven calendar days also when it holds a daylight-saving change.
 */

/** Monday 09:00 in the configured time zone. */
export const STANDAARD_DIGEST_CRON = '0 9 * * 1';

/** Days the digest looks back for the pattern tally and the hermeldingen. */
export const PATRONEN_DAGEN = 28;
/** Days in "last week" and "this week". */
export const WEEK_DAGEN = 7;
/** Whole days after its flagging that a case without a duiding is te bespreken (TE_BESPREKEN_DUIDING_DAGEN). */
export const STANDAARD_DUIDING_DAGEN = 3;
/** Lines a digest section shows at most; the rest is counted ("en 312 meer"), so the digest fits in a few messages. */
export const MAX_REGELS = 12;

const FASE_VOLGORDE: readonly Fase[] = ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring'];

export interface DigestZaak {
  caseId: string;
  reference: string;
  types: Zaaktype[];
  fase: Fase;
  /** Whole local calendar days since the case was flagged. */
  leeftijdDagen: number;
  thread?: CaseThread;
}

export interface VerlopenVraag {
  caseId: string;
  reference: string;
  organisatie: Partner;
  deadline: string;
  dagenVerlopen: number;
  thread?: CaseThread;
}

export interface AchterstalligeActie {
  caseId: string;
  reference: string;
  /** yyyy-mm-dd */
  datum: string;
  dagenTeLaat: number;
  thread?: CaseThread;
}

export type OpvolgingSoort = 'actie' | 'monitoring' | 'plandatum';

export interface Opvolging {
  caseId: string;
  reference: string;
  soort: OpvolgingSoort;
  /** yyyy-mm-dd */
  datum: string;
  thread?: CaseThread;
}

export interface GeslotenZaak {
  caseId: string;
  reference: string;
  /** yyyy-mm-dd, local */
  gesloten: string;
  thread?: CaseThread;
}

/** A case on the verdiepingsoverleg's list, with the date (local, yyyy-mm-dd) that put it there. */
export interface TeBesprekenZaak {
  caseId: string;
  reference: string;
  datum: string;
  thread?: CaseThread;
}

/**
 * What the weekly verdiepingsoverleg should discuss, of open cases: each list holds at most
 * MAX_REGELS (oldest first), `aantallen` says how many there are in all.
 */
export interface TeBespreken {
  /** Days after which a case without a duiding is listed. */
  duidingDagen: number;
  aantallen: { zonderDuiding: number; onveilig: number; nietPassend: number; doelen: number };
  /** No duiding yet, `duidingDagen` or more whole days after its flagging (datum: the flagging). */
  zonderDuiding: (TeBesprekenZaak & { dagen: number })[];
  /** The latest duiding marks a betrokkene onveilig, now or after the besluit (datum: that duiding). */
  onveilig: TeBesprekenZaak[];
  /** The latest monitoring check found the course niet passend (datum: that check). */
  nietPassend: TeBesprekenZaak[];
  /** A goal of the besluit due today through the next six days (datum: the goal's date; one line per goal). */
  doelen: TeBesprekenZaak[];
}

export interface WeekDigest {
  /** Today, local (yyyy-mm-dd). */
  vandaag: string;
  aantalOpen: number;
  /** Open cases per type (types without open cases left out). */
  perType: Partial<Record<Zaaktype, number>>;
  /** Open cases per phase (phases without cases left out): how many, and the oldest MAX_REGELS. */
  perFase: { fase: Fase; aantal: number; zaken: DigestZaak[] }[];
  /** How many items each list below has in all; the lists hold at most MAX_REGELS. */
  aantallen: { verlopenVragen: number; achterstalligeActies: number; dezeWeek: number; geslotenVorigeWeek: number };
  verlopenVragen: VerlopenVraag[];
  achterstalligeActies: AchterstalligeActie[];
  /** Follow-ups from today through the next six days. */
  dezeWeek: Opvolging[];
  /** Closed in the seven days before today. */
  geslotenVorigeWeek: GeslotenZaak[];
  /** Cases per pattern in duidingen recorded over the last four weeks, most frequent first. */
  patronen: { patroon: Patroon | 'anders'; aantal: number }[];
  /** Besluiten recorded over the last four weeks: cases per strafrechtelijke afdoening and per intervention, most frequent first. */
  besluiten: { afdoeningen: { afdoening: Strafafdoening; aantal: number }[]; interventies: { soort: Interventiesoort; aantal: number }[] };
  /** Cases in which a partner organisation gave its own duiding with its answer, over the last four weeks. */
  partnerduidingen: { organisatie: Partner; aantal: number }[];
  /** Monitoring checks over the last four weeks that reported a hermelding or recidive. */
  hermeldingen: number;
  teBespreken: TeBespreken;
  periode: { vorigeWeekVan: string; vorigeWeekTot: string; dezeWeekTot: string; patronenVanaf: string };
}

/** Whole calendar days from one yyyy-mm-dd date to another (negative when `tot` is earlier). */
function dagenTussen(van: string, tot: string): number {
  return Math.round((Date.parse(tot) - Date.parse(van)) / 86_400_000);
}

/** ISO dates and times in order, without a locale (long lists are sorted by them). */
function volgorde(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PATROON_VOLGORDE: readonly (Patroon | 'anders')[] = ['combinatieproblematiek', 'oude_bekenden', 'partnerrelatie', 'geweld_ouder_kind', 'afwachten', 'vele_professionals', 'anders'];

/** The tallies over the last four weeks, each the catalogue's values in its order. */
const TELLINGEN = {
  patroon: PATROON_VOLGORDE,
  afdoening: Object.keys(STRAFAFDOENINGEN) as Strafafdoening[],
  interventie: Object.keys(INTERVENTIES) as Interventiesoort[],
  partnerduiding: Object.keys(PARTNERS) as Partner[],
} as const;
type Telling = keyof typeof TELLINGEN;
const TELLING_NAMEN = Object.keys(TELLINGEN) as Telling[];

/** The values with a count, most frequent first, then in the catalogue's order. */
function gerangschikt<T extends string>(telling: Record<string, number>, volgorde: readonly T[]): { waarde: T; aantal: number }[] {
  return volgorde.flatMap((waarde) => (telling[waarde] ? [{ waarde, aantal: telling[waarde] }] : [])).sort((a, b) => b.aantal - a.aantal || volgorde.indexOf(a.waarde) - volgorde.indexOf(b.waarde));
}

/** The digest's lists, each read as one page of follow-up points. */
type Sectie =
  | 'verlopenVragen'
  | 'achterstalligeActies'
  | 'actiesDezeWeek'
  | 'monitoringDezeWeek'
  | 'plandatumDezeWeek'
  | 'geslotenVorigeWeek'
  | 'hermeldingen'
  | 'zonderDuiding'
  | 'onveilig'
  | 'nietPassend'
  | 'doelenDezeWeek';

/** What the digest is computed from: the store's counts, the oldest open cases per phase, and pages and counts of follow-up points. */
export interface DigestBron {
  counts: OpenCaseCounts;
  /** Per phase, the oldest open cases (at most MAX_REGELS), oldest first. */
  perFase: Partial<Record<Fase, Zaakregel[]>>;
  secties: Record<Sectie, PuntPagina>;
  /** Over the last four weeks: cases per pattern named in a duiding, per afdoening and intervention of a besluit, per partner that gave its duiding. */
  tellingen: Record<Telling, Record<string, number>>;
  /** The days after which a case without a duiding is te bespreken, as the sections were read. */
  duidingDagen: number;
}

/** The local days a digest reads, as dates (yyyy-mm-dd) and as the instants (toISOString) they begin. */
interface Perioden {
  vandaag: string;
  gisteren: string;
  weekEinde: string;
  naWeek: string;
  vorigeWeekVan: string;
  patronenVanaf: string;
  /** The instant the day `k` days before today begins (after today when `k` is negative; its first midnight where it has two). */
  beginVan: (k: number) => string;
}

/** From the team's calendar (see lokaleDagen): the day starts are worked out once a day, not per digest. */
function perioden(now: Date, timeZone: string): Perioden {
  const dag = lokaleDagen(now, timeZone);
  const beginVan = (k: number) => new Date(dag(k).eerste).toISOString();
  return {
    vandaag: dag(0).datum,
    gisteren: dag(1).datum,
    weekEinde: dag(-(WEEK_DAGEN - 1)).datum,
    naWeek: dag(-WEEK_DAGEN).datum,
    vorigeWeekVan: dag(WEEK_DAGEN).datum,
    patronenVanaf: dag(PATRONEN_DAGEN).datum,
    beginVan,
  };
}

/**
 * The pages the digest reads at `now`. Dates (yyyy-mm-dd) and instants (toISOString) compare as
 * strings. A postponed decision is due at the same local hour on every day, so ordering this
 * week's plandatums by instant orders them by local day.
 */
function digestVragen(now: Date, timeZone: string, duidingDagen: number): { secties: Record<Sectie, PuntVraag>; tellingen: Record<Telling, Omit<PuntVraag, 'limit'>> } {
  const p = perioden(now, timeZone);
  const tot = new Date(now.getTime() + 1).toISOString();
  const limit = MAX_REGELS;
  return {
    secties: {
      verlopenVragen: { soort: 'vraag', tot: now.toISOString(), limit },
      achterstalligeActies: { soort: 'actie', tot: p.vandaag, limit },
      actiesDezeWeek: { soort: 'actie', van: p.vandaag, tot: p.naWeek, limit },
      monitoringDezeWeek: { soort: 'monitoring', van: p.vandaag, tot: p.naWeek, limit },
      plandatumDezeWeek: { soort: 'plandatum', van: p.beginVan(0), tot: p.beginVan(-WEEK_DAGEN), limit },
      geslotenVorigeWeek: { soort: 'gesloten', van: p.beginVan(WEEK_DAGEN), tot: p.beginVan(0), limit },
      hermeldingen: { soort: 'hermelding', van: p.beginVan(PATRONEN_DAGEN), tot, limit: 0 },
      // Flagged on a local day at least duidingDagen before today.
      zonderDuiding: { soort: 'zonderduiding', tot: p.beginVan(duidingDagen - 1), limit },
      onveilig: { soort: 'onveilig', limit },
      nietPassend: { soort: 'nietpassend', limit },
      doelenDezeWeek: { soort: 'doel', van: p.vandaag, tot: p.naWeek, limit },
    },
    tellingen: Object.fromEntries(TELLING_NAMEN.map((soort) => [soort, { soort, van: p.beginVan(PATRONEN_DAGEN), tot }])) as Record<Telling, Omit<PuntVraag, 'limit'>>,
  };
}

/** The digest's source read from the store: counts, capped lists and pages of follow-up points, all as bounded queries. */
export async function leesDigestBron(
  store: Pick<Store, 'countOpenCases' | 'listOpenCases' | 'listFollowUps' | 'countFollowUps'>,
  teamId: string,
  now: Date,
  timeZone: string,
  duidingDagen = STANDAARD_DUIDING_DAGEN,
): Promise<DigestBron> {
  const vragen = digestVragen(now, timeZone, duidingDagen);
  const namen = Object.keys(vragen.secties) as Sectie[];
  const [counts, paginas, tellingen] = await Promise.all([
    store.countOpenCases(teamId),
    Promise.all(namen.map((n) => store.listFollowUps(teamId, vragen.secties[n]))),
    Promise.all(TELLING_NAMEN.map((t) => store.countFollowUps(teamId, vragen.tellingen[t], TELLINGEN[t]))),
  ]);
  const fasen = FASE_VOLGORDE.filter((f) => counts.perFase[f]);
  const lijsten = await Promise.all(fasen.map((fase) => store.listOpenCases(teamId, { fase, limit: MAX_REGELS, oldestFirst: true })));
  return { counts, perFase: Object.fromEntries(fasen.map((f, i) => [f, lijsten[i]!.zaken])), secties: Object.fromEntries(namen.map((n, i) => [n, paginas[i]!])) as Record<Sectie, PuntPagina>, tellingen: Object.fromEntries(TELLING_NAMEN.map((t, i) => [t, tellingen[i]!])) as DigestBron['tellingen'], duidingDagen };
}

/** The same source from a list of cases in memory. */
export function digestBron(zaken: readonly Verdiepingszaak[], now: Date, timeZone: string, duidingDagen = STANDAARD_DUIDING_DAGEN): DigestBron {
  const open = zaken.filter((z) => z.fase !== 'gesloten');
  const counts: DigestBron['counts'] = { open: open.length, perFase: {}, perType: {} };
  for (const z of open) {
    counts.perFase[z.fase] = (counts.perFase[z.fase] ?? 0) + 1;
    for (const t of z.types) counts.perType[t] = (counts.perType[t] ?? 0) + 1;
  }
  const oudsteEerst = [...open].sort((a, b) => a.flaggedAt.localeCompare(b.flaggedAt));
  const perFase = Object.fromEntries(FASE_VOLGORDE.map((f) => [f, oudsteEerst.filter((z) => z.fase === f).slice(0, MAX_REGELS)]));
  const punten = zaken.flatMap(opvolgpunten);
  const vragen = digestVragen(now, timeZone, duidingDagen);
  const secties = Object.fromEntries(Object.entries(vragen.secties).map(([n, v]) => [n, puntPagina(punten, v)])) as Record<Sectie, PuntPagina>;
  const tellingen = Object.fromEntries(TELLING_NAMEN.map((t) => [t, puntTelling(punten, vragen.tellingen[t], TELLINGEN[t])])) as DigestBron['tellingen'];
  return { counts, perFase, secties, tellingen, duidingDagen };
}

/** The digest of a team's cases (open and closed) at `now`. */
export function weekDigest(zaken: readonly Verdiepingszaak[], now: Date, timeZone: string, duidingDagen = STANDAARD_DUIDING_DAGEN): WeekDigest {
  return weekDigestUit(digestBron(zaken, now, timeZone, duidingDagen), now, timeZone);
}

/** The digest at `now` from its source; the time-zone work is per line shown, never per case. */
export function weekDigestUit(bron: DigestBron, now: Date, timeZone: string): WeekDigest {
  const { vandaag, gisteren, weekEinde, vorigeWeekVan, patronenVanaf } = perioden(now, timeZone);
  const leeftijd = dagTeller(now, timeZone);
  const ref = (z: { caseId: string; reference: string; thread?: CaseThread }) => ({ caseId: z.caseId, reference: z.reference, ...(z.thread ? { thread: z.thread } : {}) });
  const { secties } = bron;

  const perFase = FASE_VOLGORDE.filter((fase) => bron.counts.perFase[fase]).map((fase) => ({
    fase,
    aantal: bron.counts.perFase[fase]!,
    zaken: (bron.perFase[fase] ?? []).slice(0, MAX_REGELS).map((z): DigestZaak => ({ ...ref({ caseId: z.id, reference: z.reference, ...(z.thread ? { thread: z.thread } : {}) }), types: [...z.types], fase, leeftijdDagen: leeftijd(z.flaggedAt) })),
  }));

  const verlopenVragen: VerlopenVraag[] = secties.verlopenVragen.punten.map((p) => ({ ...ref(p), organisatie: p.wat as Partner, deadline: p.op, dagenVerlopen: leeftijd(p.op) }));
  const achterstalligeActies: AchterstalligeActie[] = secties.achterstalligeActies.punten.map((p) => ({ ...ref(p), datum: p.op, dagenTeLaat: dagenTussen(p.op, vandaag) }));
  const dezeWeek: Opvolging[] = [
    ...secties.actiesDezeWeek.punten.map((p): Opvolging => ({ ...ref(p), soort: 'actie', datum: p.op })),
    ...secties.monitoringDezeWeek.punten.map((p): Opvolging => ({ ...ref(p), soort: 'monitoring', datum: p.op })),
    ...secties.plandatumDezeWeek.punten.map((p): Opvolging => ({ ...ref(p), soort: 'plandatum', datum: lokaleDag(p.op, timeZone) })),
  ].sort((a, b) => volgorde(a.datum, b.datum) || a.reference.localeCompare(b.reference) || a.soort.localeCompare(b.soort));
  // The first closed by time; shown by local day, then reference.
  const geslotenVorigeWeek: GeslotenZaak[] = secties.geslotenVorigeWeek.punten
    .map((p) => ({ ...ref(p), gesloten: lokaleDag(p.op, timeZone) }))
    .sort((a, b) => volgorde(a.gesloten, b.gesloten) || a.reference.localeCompare(b.reference));

  const patronen = gerangschikt(bron.tellingen.patroon, PATROON_VOLGORDE).map(({ waarde, aantal }) => ({ patroon: waarde, aantal }));
  const besluiten = {
    afdoeningen: gerangschikt(bron.tellingen.afdoening, TELLINGEN.afdoening).map(({ waarde, aantal }) => ({ afdoening: waarde, aantal })),
    interventies: gerangschikt(bron.tellingen.interventie, TELLINGEN.interventie).map(({ waarde, aantal }) => ({ soort: waarde, aantal })),
  };
  const partnerduidingen = gerangschikt(bron.tellingen.partnerduiding, TELLINGEN.partnerduiding).map(({ waarde, aantal }) => ({ organisatie: waarde, aantal }));
  const hermeldingen = secties.hermeldingen.total;
  const lokaal = (p: Opvolgpunt): TeBesprekenZaak => ({ ...ref(p), datum: p.soort === 'doel' ? p.op : lokaleDag(p.op, timeZone) });
  const teBespreken: TeBespreken = {
    duidingDagen: bron.duidingDagen,
    aantallen: { zonderDuiding: secties.zonderDuiding.total, onveilig: secties.onveilig.total, nietPassend: secties.nietPassend.total, doelen: secties.doelenDezeWeek.total },
    zonderDuiding: secties.zonderDuiding.punten.map((p) => ({ ...lokaal(p), dagen: leeftijd(p.op) })),
    onveilig: secties.onveilig.punten.map(lokaal),
    nietPassend: secties.nietPassend.punten.map(lokaal),
    doelen: secties.doelenDezeWeek.punten.map(lokaal),
  };

  const kort = <T>(lijst: T[]) => lijst.slice(0, MAX_REGELS);
  return {
    vandaag,
    aantalOpen: bron.counts.open,
    perType: bron.counts.perType,
    perFase,
    aantallen: {
      verlopenVragen: secties.verlopenVragen.total,
      achterstalligeActies: secties.achterstalligeActies.total,
      dezeWeek: secties.actiesDezeWeek.total + secties.monitoringDezeWeek.total + secties.plandatumDezeWeek.total,
      geslotenVorigeWeek: secties.geslotenVorigeWeek.total,
    },
    verlopenVragen: kort(verlopenVragen),
    achterstalligeActies: kort(achterstalligeActies),
    dezeWeek: kort(dezeWeek),
    geslotenVorigeWeek: kort(geslotenVorigeWeek),
    patronen,
    besluiten,
    partnerduidingen,
    hermeldingen,
    teBespreken,
    periode: { vorigeWeekVan, vorigeWeekTot: gisteren, dezeWeekTot: weekEinde, patronenVanaf },
  };
}

// ---------------------------------------------------------------------------------------------
// Schedule: a cron per team, read with croner in the team's time zone
// ---------------------------------------------------------------------------------------------

const DAGEN: Readonly<Record<string, number>> = {
  zondag: 0,
  zo: 0,
  maandag: 1,
  ma: 1,
  dinsdag: 2,
  di: 2,
  woensdag: 3,
  wo: 3,
  donderdag: 4,
  do: 4,
  vrijdag: 5,
  vr: 5,
  zaterdag: 6,
  za: 6,
};
const DAGNAMEN = ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'];

export const SCHEMA_HINT = 'Noem een dag en een tijd, bijvoorbeeld: weekoverzicht maandag 08:30.';

/** A cron pattern read in the time zone; throws a DomainError with a Dutch message when croner refuses it. */
export function digestCron(pattern: string, timeZone: string): Cron {
  try {
    return new Cron(pattern, { timezone: timeZone, paused: true });
  } catch {
    throw new DomainError(`"${pattern}" is geen geldig schema. ${SCHEMA_HINT}`);
  }
}

/** The first digest moment strictly after `after`, or undefined when the pattern has none. */
export function volgendeDigest(pattern: string, timeZone: string, after: Date): Date | undefined {
  return digestCron(pattern, timeZone).nextRun(after) ?? undefined;
}

/** A team's next digest moment after `now`: its own schedule, or the default when it has none (or one croner cannot read). */
export function volgendeTeamDigest(teamCron: string | undefined, standaard: string, timeZone: string, now: Date): Date | undefined {
  if (teamCron) {
    try {
      return volgendeDigest(teamCron, timeZone, now);
    } catch {
      /* fall back to the default */
    }
  }
  return volgendeDigest(standaard, timeZone, now);
}

/** Whether `moment` is one of the pattern's occurrences (a job planned under an older schedule is not). */
export function isDigestMoment(pattern: string, timeZone: string, moment: Date): boolean {
  try {
    return volgendeDigest(pattern, timeZone, new Date(moment.getTime() - 1))?.getTime() === moment.getTime();
  } catch {
    return false;
  }
}

/** The team-level job of one digest occurrence: the same team and moment always give the same id. */
export function digestJob(teamId: string, due: Date, createdAt: string): ScheduledJob {
  const dueAt = due.toISOString();
  return { teamId, id: `digest:${teamId}:${dueAt}`, caseId: '', kind: 'digest', ref: dueAt, dueAt, status: 'gepland', attempts: 0, createdAt, version: 1 };
}

/**
 * Reads "maandag 08:30" (a Dutch day name or its two-letter short form, and a time) or a
 * five-field cron line into a cron pattern, checked by croner.
 */
export function leesSchema(tekst: string, timeZone: string): { cron: string } | { fout: string } {
  const t = tekst.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!t) return { fout: SCHEMA_HINT };
  const dagTijd = /^([a-z]+) (?:om )?(\d{1,2})(?:[:.](\d{2}))?(?: uur)?$/.exec(t);
  let cron: string;
  if (dagTijd) {
    const dagNr = DAGEN[dagTijd[1]!];
    const uur = Number(dagTijd[2]);
    const minuut = Number(dagTijd[3] ?? '0');
    if (dagNr === undefined) return { fout: `"${dagTijd[1]}" is geen dag. ${SCHEMA_HINT}` };
    if (uur > 23 || minuut > 59) return { fout: `${dagTijd[2]}:${dagTijd[3] ?? '00'} is geen tijd. ${SCHEMA_HINT}` };
    cron = `${minuut} ${uur} * * ${dagNr}`;
  } else if (t.split(' ').length === 5) {
    cron = t;
  } else {
    return { fout: SCHEMA_HINT };
  }
  try {
    const [eerste, tweede] = digestCron(cron, timeZone).nextRuns(2, new Date());
    if (!eerste) return { fout: `Dit schema valt nooit. ${SCHEMA_HINT}` };
    if (tweede && tweede.getTime() - eerste.getTime() < 20 * 3_600_000) return { fout: `Het overzicht komt hoogstens één keer per dag. ${SCHEMA_HINT}` };
  } catch (err) {
    return { fout: err instanceof DomainError ? err.userMessage : SCHEMA_HINT };
  }
  return { cron };
}

/** "maandag om 08:30" for a weekly pattern made by leesSchema, else the cron line itself. */
export function beschrijfSchema(cron: string): string {
  const m = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6])$/.exec(cron.trim());
  if (!m) return `volgens het schema ${cron}`;
  return `elke ${DAGNAMEN[Number(m[3])]} om ${m[2]!.padStart(2, '0')}:${m[1]!.padStart(2, '0')}`;
}
