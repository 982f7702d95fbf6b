import { DateTime } from 'luxon';
import { PATRONEN, PRINCIPES } from './catalogue';
import { hermeldingVan, interventieMix, type Leerregel } from './leerregel';

/** Below this many cases a rate says nothing: the card shows "te weinig zaken" instead. */
export const MIN_ZAKEN_VOOR_PERCENTAGE = 5;
export const STANDAARD_MAANDEN = 6;

export interface Periode {
  /** First month (yyyy-mm) included. */
  vanaf: string;
  /** Last month (yyyy-mm) included. */
  tot: string;
  label: string;
}

export const PERIODE_HINT = 'Noem een periode, bijvoorbeeld: leerbeeld 3 maanden, of leerbeeld 2026. Zonder periode: de laatste 6 maanden.';

/** `leerbeeld [periode]`: nothing (the last 6 months), `N maanden` (1–60), or a year. */
export function leesPeriode(tekst: string, now: Date, timeZone: string): Periode | { fout: string } {
  const t = tekst.trim().toLowerCase();
  const deze = DateTime.fromJSDate(now).setZone(timeZone).startOf('month');
  const laatste = (n: number, label: string): Periode => ({ vanaf: deze.minus({ months: n - 1 }).toFormat('yyyy-MM'), tot: deze.toFormat('yyyy-MM'), label });
  if (!t) return laatste(STANDAARD_MAANDEN, `de laatste ${STANDAARD_MAANDEN} maanden`);
  const maanden = /^(\d{1,2})\s*(maand|maanden|mnd)$/.exec(t);
  if (maanden) {
    const n = Number(maanden[1]);
    if (n < 1 || n > 60) return { fout: `Kies 1 tot 60 maanden. ${PERIODE_HINT}` };
    return laatste(n, n === 1 ? 'deze maand' : `de laatste ${n} maanden`);
  }
  const jaar = /^(20\d{2})$/.exec(t);
  if (jaar) return { vanaf: `${jaar[1]}-01`, tot: `${jaar[1]}-12`, label: jaar[1]! };
  return { fout: `Die periode ken ik niet. ${PERIODE_HINT}` };
}

export interface Telling {
  label: string;
  aantal: number;
}

export interface MixRegel {
  mix: string;
  aantal: number;
  metHermelding: number;
  /** Whole percent, or undefined below MIN_ZAKEN_VOOR_PERCENTAGE cases. */
  percentage?: number;
}

export interface Leerbeeld {
  periode: Periode;
  aantalZaken: number;
  patronen: Telling[];
  hermeldingPerMix: MixRegel[];
  dagenTotDuiding: Telling[];
  /** Median of days from flag to duiding, over cases that had one. */
  mediaanDagenTotDuiding?: number;
  overgeslagen: Telling[];
  doelen: { aantal: number; algemeen: number; percentage?: number };
}

const DUIDING_KLASSEN: { label: string; tot: number }[] = [
  { label: '0–1 dag', tot: 1 },
  { label: '2–7 dagen', tot: 7 },
  { label: '8–14 dagen', tot: 14 },
  { label: '15 dagen of meer', tot: Infinity },
];

const procent = (deel: number, geheel: number) => Math.round((100 * deel) / geheel);
const aflopend = (a: Telling, b: Telling) => b.aantal - a.aantal || a.label.localeCompare(b.label, 'nl');

function mediaan(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The team's picture over a period, from its learning records (closed cases and cases in monitoring). */
export function leerbeeld(regels: readonly Leerregel[], periode: Periode): Leerbeeld {
  const inPeriode = regels.filter((r) => r.maand >= periode.vanaf && r.maand <= periode.tot);
  const patroon = new Map<string, number>();
  for (const r of inPeriode) for (const p of r.patronen) patroon.set(PATRONEN[p], (patroon.get(PATRONEN[p]) ?? 0) + 1);

  const mixen = new Map<string, { aantal: number; metHermelding: number }>();
  for (const r of inPeriode) {
    const mix = interventieMix(r);
    if (!mix) continue;
    const m = mixen.get(mix) ?? { aantal: 0, metHermelding: 0 };
    m.aantal++;
    if (hermeldingVan(r) === 'ja') m.metHermelding++;
    mixen.set(mix, m);
  }

  const dagen = inPeriode.flatMap((r) => (r.dagenTotDuiding === undefined ? [] : [r.dagenTotDuiding]));
  const overgeslagen = new Map<number, number>();
  for (const r of inPeriode) for (const stap of new Set([...r.stappenNvt, ...r.stappenNietGeopend])) overgeslagen.set(stap, (overgeslagen.get(stap) ?? 0) + 1);

  const doelen = inPeriode.reduce((s, r) => ({ aantal: s.aantal + r.doelen.aantal, algemeen: s.algemeen + r.doelen.algemeen }), { aantal: 0, algemeen: 0 });
  const mediaanDagen = mediaan(dagen);
  return {
    periode,
    aantalZaken: inPeriode.length,
    patronen: [...patroon].map(([label, aantal]) => ({ label, aantal })).sort(aflopend),
    hermeldingPerMix: [...mixen]
      .map(([mix, m]) => ({ mix, ...m, ...(m.aantal >= MIN_ZAKEN_VOOR_PERCENTAGE ? { percentage: procent(m.metHermelding, m.aantal) } : {}) }))
      .sort((a, b) => b.aantal - a.aantal || a.mix.localeCompare(b.mix, 'nl')),
    dagenTotDuiding: DUIDING_KLASSEN.map((k, i) => ({ label: k.label, aantal: dagen.filter((d) => d <= k.tot && (i === 0 || d > DUIDING_KLASSEN[i - 1]!.tot)).length })),
    ...(mediaanDagen === undefined ? {} : { mediaanDagenTotDuiding: mediaanDagen }),
    overgeslagen: [...overgeslagen]
      .map(([stap, aantal]) => ({ label: `${stap}. ${PRINCIPES.find((p) => p.nummer === stap)!.titel}`, aantal }))
      .sort(aflopend)
      .slice(0, 5),
    doelen: { ...doelen, ...(doelen.aantal > 0 ? { percentage: procent(doelen.algemeen, doelen.aantal) } : {}) },
  };
}
