import { Cron } from 'croner';
import { DateTime } from 'luxon';
import type { Fase, Partner, Patroon, Zaaktype } from './catalogue';
import type { ScheduledJob } from './jobs';
import { ageInDays, DomainError, type CaseThread, type Verdiepingszaak } from './zaak';

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
  /** Open cases per phase (phases without cases left out), oldest case first. */
  perFase: { fase: Fase; zaken: DigestZaak[] }[];
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

/** Whole calendar days from one local date to another (negative when `tot` is earlier). */
function dagenTussen(van: DateTime, tot: DateTime): number {
  return Math.round(tot.startOf('day').diff(van.startOf('day'), 'days').days);
}

const PATROON_VOLGORDE: readonly (Patroon | 'anders')[] = ['combinatieproblematiek', 'oude_bekenden', 'partnerrelatie', 'geweld_ouder_kind', 'afwachten', 'vele_professionals', 'anders'];

/** The digest of a team's cases (open and closed) at `now`. */
export function weekDigest(zaken: readonly Verdiepingszaak[], now: Date, timeZone: string): WeekDigest {
  const vandaag = dag(now, timeZone);
  const vandaagIso = vandaag.toISODate()!;
  const weekEinde = vandaag.plus({ days: WEEK_DAGEN - 1 }).toISODate()!;
  const vorigeWeekVan = vandaag.minus({ days: WEEK_DAGEN });
  const patronenVanaf = vandaag.minus({ days: PATRONEN_DAGEN });
  const inWeek = (d: string) => d >= vandaagIso && d <= weekEinde;
  const sinds = (op: string, van: DateTime) => DateTime.fromISO(op, { zone: 'utc' }) >= van && Date.parse(op) <= now.getTime();

  const open = zaken.filter((z) => z.fase !== 'gesloten');
  const ref = (z: Verdiepingszaak) => ({ caseId: z.id, reference: z.reference, ...(z.thread ? { thread: z.thread } : {}) });

  const perFase = FASE_VOLGORDE.map((fase) => ({
    fase,
    zaken: open
      .filter((z) => z.fase === fase)
      .sort((a, b) => a.flaggedAt.localeCompare(b.flaggedAt))
      .map((z): DigestZaak => ({ ...ref(z), types: [...z.types], fase, leeftijdDagen: ageInDays(z.flaggedAt, now, timeZone) })),
  })).filter((g) => g.zaken.length > 0);

  const verlopenVragen: VerlopenVraag[] = open
    .flatMap((z) =>
      z.uitvragen
        .filter((u) => u.status === 'open' && Date.parse(u.deadline) < now.getTime())
        .map((u) => ({ ...ref(z), organisatie: u.organisatie, deadline: u.deadline, dagenVerlopen: ageInDays(u.deadline, now, timeZone) })),
    )
    .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.reference.localeCompare(b.reference));

  const achterstalligeActies: AchterstalligeActie[] = open
    .flatMap((z) =>
      (z.besluit?.acties ?? [])
        .filter((a) => a.status === 'open' && a.datum < vandaagIso)
        .map((a) => ({ ...ref(z), datum: a.datum, dagenTeLaat: dagenTussen(DateTime.fromISO(a.datum, { zone: timeZone }), vandaag) })),
    )
    .sort((a, b) => a.datum.localeCompare(b.datum) || a.reference.localeCompare(b.reference));

  const dezeWeek: Opvolging[] = open
    .flatMap((z) => {
      const b = z.besluit;
      if (!b) return [];
      const items: Opvolging[] = [];
      for (const a of b.acties) if (a.status === 'open' && inWeek(a.datum)) items.push({ ...ref(z), soort: 'actie', datum: a.datum });
      for (const d of b.monitoring) if (inWeek(d) && !z.monitoring.some((m) => m.datum === d)) items.push({ ...ref(z), soort: 'monitoring', datum: d });
      if (b.afdoening === 'uitstel' && b.plandatum) {
        const d = dag(b.plandatum.op, timeZone).toISODate()!;
        if (inWeek(d)) items.push({ ...ref(z), soort: 'plandatum', datum: d });
      }
      return items;
    })
    .sort((a, b) => a.datum.localeCompare(b.datum) || a.reference.localeCompare(b.reference) || a.soort.localeCompare(b.soort));

  const geslotenVorigeWeek: GeslotenZaak[] = zaken
    .filter((z) => z.fase === 'gesloten')
    .map((z) => ({ z, op: dag(z.afsluiting?.op ?? z.updatedAt, timeZone) }))
    .filter(({ op }) => op >= vorigeWeekVan && op < vandaag)
    .sort((a, b) => a.op.toMillis() - b.op.toMillis() || a.z.reference.localeCompare(b.z.reference))
    .map(({ z, op }) => ({ ...ref(z), gesloten: op.toISODate()! }));

  const tally = new Map<Patroon | 'anders', number>();
  for (const z of zaken) {
    const gezien = new Set<Patroon | 'anders'>();
    for (const d of z.duidingen) {
      if (!sinds(d.op, patronenVanaf)) continue;
      for (const p of d.patronen) gezien.add(p);
      if (d.patroonAnders?.trim()) gezien.add('anders');
    }
    for (const p of gezien) tally.set(p, (tally.get(p) ?? 0) + 1);
  }
  const patronen = [...tally.entries()]
    .map(([patroon, aantal]) => ({ patroon, aantal }))
    .sort((a, b) => b.aantal - a.aantal || PATROON_VOLGORDE.indexOf(a.patroon) - PATROON_VOLGORDE.indexOf(b.patroon));

  const hermeldingen = zaken.reduce((n, z) => n + z.monitoring.filter((m) => m.hermelding === 'ja' && sinds(m.op, patronenVanaf)).length, 0);

  return {
    vandaag: vandaagIso,
    aantalOpen: open.length,
    perFase,
    verlopenVragen,
    achterstalligeActies,
    dezeWeek,
    geslotenVorigeWeek,
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
