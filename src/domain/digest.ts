import { Cron } from 'croner';
import { DateTime } from 'luxon';
import type { Fase, Partner, Patroon, Zaaktype } from './catalogue';
import type { FollowUpFacts, OpenCaseCounts, Store } from '../store/store';
import type { ScheduledJob } from './jobs';
import { dagTeller, DomainError, type CaseThread, type Verdiepingszaak } from './zaak';

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
  /** Monitoring checks over the last four weeks that reported a hermelding or recidive. */
  hermeldingen: number;
  periode: { vorigeWeekVan: string; vorigeWeekTot: string; dezeWeekTot: string; patronenVanaf: string };
}

function dag(instant: string | Date, timeZone: string): DateTime {
  const dt = typeof instant === 'string' ? DateTime.fromISO(instant, { zone: 'utc' }) : DateTime.fromJSDate(instant);
  return dt.setZone(timeZone).startOf('day');
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

type FaseZaak = Pick<Verdiepingszaak, 'id' | 'reference' | 'thread' | 'types' | 'flaggedAt'>;

/** What the digest is computed from: the store's counts, the oldest open cases per phase, and the follow-up facts. */
export interface DigestBron {
  counts: OpenCaseCounts;
  /** Per phase, the oldest open cases (at most MAX_REGELS), oldest first. */
  perFase: Partial<Record<Fase, FaseZaak[]>>;
  /** Open cases and the cases closed in the last four weeks. */
  feiten: FollowUpFacts[];
}

/** Cases closed since this instant still count (closed last week, patterns and hermeldingen of the last four weeks). */
function feitenSinds(now: Date, timeZone: string): Date {
  return dag(now, timeZone).minus({ days: Math.max(WEEK_DAGEN, PATRONEN_DAGEN) }).toJSDate();
}

/** The digest's source read from the store: counts and capped lists as queries, the follow-up facts as a projection. */
export async function leesDigestBron(store: Pick<Store, 'countOpenCases' | 'listOpenCases' | 'listFollowUpFacts'>, teamId: string, now: Date, timeZone: string): Promise<DigestBron> {
  const [counts, feiten] = await Promise.all([
    store.countOpenCases(teamId),
    store.listFollowUpFacts(teamId, feitenSinds(now, timeZone).toISOString()),
  ]);
  const fasen = FASE_VOLGORDE.filter((f) => counts.perFase[f]);
  const lijsten = await Promise.all(fasen.map((fase) => store.listOpenCases(teamId, { fase, limit: MAX_REGELS, oldestFirst: true })));
  return { counts, perFase: Object.fromEntries(fasen.map((f, i) => [f, lijsten[i]!.zaken])), feiten };
}

/** The same source from a list of cases in memory. */
export function digestBron(zaken: readonly Verdiepingszaak[], now: Date, timeZone: string): DigestBron {
  const open = zaken.filter((z) => z.fase !== 'gesloten');
  const sinds = feitenSinds(now, timeZone).getTime();
  const counts: DigestBron['counts'] = { open: open.length, perFase: {}, perType: {} };
  for (const z of open) {
    counts.perFase[z.fase] = (counts.perFase[z.fase] ?? 0) + 1;
    for (const t of z.types) counts.perType[t] = (counts.perType[t] ?? 0) + 1;
  }
  const oudsteEerst = [...open].sort((a, b) => a.flaggedAt.localeCompare(b.flaggedAt));
  const perFase = Object.fromEntries(FASE_VOLGORDE.map((f) => [f, oudsteEerst.filter((z) => z.fase === f).slice(0, MAX_REGELS)]));
  return { counts, perFase, feiten: zaken.filter((z) => z.fase !== 'gesloten' || Date.parse(z.afsluiting?.op ?? z.updatedAt) >= sinds) };
}

/** The digest of a team's cases (open and closed) at `now`. */
export function weekDigest(zaken: readonly Verdiepingszaak[], now: Date, timeZone: string): WeekDigest {
  return weekDigestUit(digestBron(zaken, now, timeZone), now, timeZone);
}

/** The digest at `now` from its source; the work per case is comparing dates, no time-zone maths. */
export function weekDigestUit(bron: DigestBron, now: Date, timeZone: string): WeekDigest {
  const zaken = bron.feiten;
  const vandaag = dag(now, timeZone);
  const vandaagIso = vandaag.toISODate()!;
  const weekEinde = vandaag.plus({ days: WEEK_DAGEN - 1 }).toISODate()!;
  const vorigeWeekVan = vandaag.minus({ days: WEEK_DAGEN });
  const patronenVanaf = vandaag.minus({ days: PATRONEN_DAGEN });
  const inWeek = (d: string) => d >= vandaagIso && d <= weekEinde;
  // Local-day boundaries once, as instants; each item only compares its own instant with them.
  const leeftijd = dagTeller(now, timeZone);
  const [vandaagMs, volgendeWeekMs, vorigeWeekMs, patronenMs] = [vandaag, vandaag.plus({ days: WEEK_DAGEN }), vorigeWeekVan, patronenVanaf].map((d) => d.toMillis()) as [number, number, number, number];
  const sinds = (op: string) => Date.parse(op) >= patronenMs && Date.parse(op) <= now.getTime();

  const open = zaken.filter((z) => z.fase !== 'gesloten');
  const ref = (z: Pick<Verdiepingszaak, 'id' | 'reference' | 'thread'>) => ({ caseId: z.id, reference: z.reference, ...(z.thread ? { thread: z.thread } : {}) });

  const perFase = FASE_VOLGORDE.filter((fase) => bron.counts.perFase[fase]).map((fase) => ({
    fase,
    aantal: bron.counts.perFase[fase]!,
    zaken: (bron.perFase[fase] ?? []).slice(0, MAX_REGELS).map((z): DigestZaak => ({ ...ref(z), types: [...z.types], fase, leeftijdDagen: leeftijd(z.flaggedAt) })),
  }));

  const verlopenVragen: VerlopenVraag[] = open
    .flatMap((z) =>
      z.uitvragen
        .filter((u) => u.status === 'open' && Date.parse(u.deadline) < now.getTime())
        .map((u) => ({ ...ref(z), organisatie: u.organisatie, deadline: u.deadline, dagenVerlopen: leeftijd(u.deadline) })),
    )
    .sort((a, b) => volgorde(a.deadline, b.deadline) || a.reference.localeCompare(b.reference));

  const achterstalligeActies: AchterstalligeActie[] = open
    .flatMap((z) =>
      (z.besluit?.acties ?? [])
        .filter((a) => a.status === 'open' && a.datum < vandaagIso)
        .map((a) => ({ ...ref(z), datum: a.datum, dagenTeLaat: dagenTussen(a.datum, vandaagIso) })),
    )
    .sort((a, b) => volgorde(a.datum, b.datum) || a.reference.localeCompare(b.reference));

  const dezeWeek: Opvolging[] = open
    .flatMap((z) => {
      const b = z.besluit;
      if (!b) return [];
      const items: Opvolging[] = [];
      for (const a of b.acties) if (a.status === 'open' && inWeek(a.datum)) items.push({ ...ref(z), soort: 'actie', datum: a.datum });
      for (const d of b.monitoring) if (inWeek(d) && !z.monitoring.some((m) => m.datum === d)) items.push({ ...ref(z), soort: 'monitoring', datum: d });
      if (b.afdoening === 'uitstel' && b.plandatum) {
        const op = Date.parse(b.plandatum.op);
        if (op >= vandaagMs && op < volgendeWeekMs) items.push({ ...ref(z), soort: 'plandatum', datum: dag(b.plandatum.op, timeZone).toISODate()! });
      }
      return items;
    })
    .sort((a, b) => volgorde(a.datum, b.datum) || a.reference.localeCompare(b.reference) || a.soort.localeCompare(b.soort));

  const geslotenVorigeWeek: GeslotenZaak[] = zaken
    .filter((z) => z.fase === 'gesloten')
    .map((z) => ({ z, op: Date.parse(z.afsluiting?.op ?? z.updatedAt) }))
    .filter(({ op }) => op >= vorigeWeekMs && op < vandaagMs)
    .map(({ z, op }) => ({ z, dag: dag(new Date(op), timeZone) }))
    .sort((a, b) => a.dag.toMillis() - b.dag.toMillis() || a.z.reference.localeCompare(b.z.reference))
    .map(({ z, dag }) => ({ ...ref(z), gesloten: dag.toISODate()! }));

  const tally = new Map<Patroon | 'anders', number>();
  for (const z of zaken) {
    const gezien = new Set<Patroon | 'anders'>();
    for (const d of z.duidingen) {
      if (!sinds(d.op)) continue;
      for (const p of d.patronen) gezien.add(p);
      if (d.patroonAnders?.trim()) gezien.add('anders');
    }
    for (const p of gezien) tally.set(p, (tally.get(p) ?? 0) + 1);
  }
  const patronen = [...tally.entries()]
    .map(([patroon, aantal]) => ({ patroon, aantal }))
    .sort((a, b) => b.aantal - a.aantal || PATROON_VOLGORDE.indexOf(a.patroon) - PATROON_VOLGORDE.indexOf(b.patroon));

  const hermeldingen = zaken.reduce((n, z) => n + z.monitoring.filter((m) => m.hermelding === 'ja' && sinds(m.op)).length, 0);

  const kort = <T>(lijst: T[]) => lijst.slice(0, MAX_REGELS);
  return {
    vandaag: vandaagIso,
    aantalOpen: bron.counts.open,
    perType: bron.counts.perType,
    perFase,
    aantallen: { verlopenVragen: verlopenVragen.length, achterstalligeActies: achterstalligeActies.length, dezeWeek: dezeWeek.length, geslotenVorigeWeek: geslotenVorigeWeek.length },
    verlopenVragen: kort(verlopenVragen),
    achterstalligeActies: kort(achterstalligeActies),
    dezeWeek: kort(dezeWeek),
    geslotenVorigeWeek: kort(geslotenVorigeWeek),
    patronen,
    hermeldingen,
    periode: { vorigeWeekVan: vorigeWeekVan.toISODate()!, vorigeWeekTot: vandaag.minus({ days: 1 }).toISODate()!, dezeWeekTot: weekEinde, patronenVanaf: patronenVanaf.toISODate()! },
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
