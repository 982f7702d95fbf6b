import { DateTime } from 'luxon';

/** Office hours: the working days (1 = maandag … 7 = zondag) and the start and end in minutes after midnight. */
export interface Werktijden {
  dagen: number[];
  van: number;
  tot: number;
}

const DAGEN = ['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'] as const;
export const STANDAARD_WERKTIJDEN = 'ma-vr 08:30-17:30';

function minuten(hhmm: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * Reads "ma-vr 08:30-17:30" or "ma,di,do 09:00-16:00" (days as Dutch two-letter abbreviations,
 * ranges or lists, then a time range); undefined when it cannot.
 */
export function leesWerktijden(tekst: string): Werktijden | undefined {
  const m = /^\s*([a-z,\s-]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/i.exec(tekst);
  if (!m) return undefined;
  const dagen = new Set<number>();
  for (const deel of m[1]!.toLowerCase().split(',').map((d) => d.trim())) {
    const [a, b] = deel.split('-').map((d) => DAGEN.indexOf(d.trim() as (typeof DAGEN)[number]) + 1);
    if (!a || (deel.includes('-') && !b)) return undefined;
    const tot = b || a;
    if (tot < a) return undefined;
    for (let d = a; d <= tot; d++) dagen.add(d);
  }
  const van = minuten(m[2]!);
  const tot = minuten(m[3]!);
  if (van === undefined || tot === undefined || tot <= van || dagen.size === 0) return undefined;
  return { dagen: [...dagen].sort(), van, tot };
}

/** The moment itself when it falls within office hours, else the start of the next working morning (in the time zone). */
export function binnenWerktijden(moment: Date, w: Werktijden, timeZone: string): Date {
  const t = DateTime.fromJSDate(moment, { zone: timeZone });
  const minuut = t.hour * 60 + t.minute;
  if (w.dagen.includes(t.weekday) && minuut >= w.van && minuut <= w.tot) return moment;
  let dag = minuut < w.van ? t.startOf('day') : t.startOf('day').plus({ days: 1 });
  while (!w.dagen.includes(dag.weekday)) dag = dag.plus({ days: 1 });
  return dag.plus({ minutes: w.van }).toJSDate();
}
