/**
 * A series of bench runs summed up per figure: the median and range of each ratio over the runs.
 * One run's ratio moves with the machine; the median of several fresh runs moves less.
 */

/** What the summary reads of one figure of one run (a JSON line of `npm run bench`). */
export interface Meting {
  figure: string;
  unit: string;
  ratio: number;
  cpuRatio?: number;
  mainCpuRatio?: number;
}

export interface Spreiding {
  mediaan: number;
  min: number;
  max: number;
}

export interface Reeksregel {
  figure: string;
  unit: string;
  /** The runs that had this figure. */
  runs: number;
  ratio: Spreiding;
  cpuRatio?: Spreiding;
  mainCpuRatio?: Spreiding;
}

/** To two decimals, as every figure is printed. */
export const round = (x: number) => Math.round(x * 100) / 100;

/** Median (the mean of the middle two for an even count), least and greatest of at least one value. */
export function spreiding(waarden: readonly number[]): Spreiding {
  if (waarden.length === 0) throw new Error('no values to sum up');
  const s = [...waarden].sort((a, b) => a - b);
  const midden = s.length >> 1;
  const mediaan = s.length % 2 ? s[midden]! : (s[midden - 1]! + s[midden]!) / 2;
  return { mediaan: round(mediaan), min: s[0]!, max: s.at(-1)! };
}

/** Each figure in the order it first appears, over the runs that have it. */
export function reeks(runs: readonly (readonly Meting[])[]): Reeksregel[] {
  const perFiguur = new Map<string, Meting[]>();
  for (const run of runs) for (const m of run) perFiguur.set(m.figure, [...(perFiguur.get(m.figure) ?? []), m]);
  return [...perFiguur.values()].map((ms) => {
    const optioneel = (k: 'cpuRatio' | 'mainCpuRatio') => {
      const waarden = ms.flatMap((m) => (m[k] === undefined ? [] : [m[k]]));
      return waarden.length ? { [k]: spreiding(waarden) } : {};
    };
    return { figure: ms[0]!.figure, unit: ms[0]!.unit, runs: ms.length, ratio: spreiding(ms.map((m) => m.ratio)), ...optioneel('cpuRatio'), ...optioneel('mainCpuRatio') };
  });
}

const cel = (s: Spreiding | undefined) => (s ? `${s.mediaan}× (${s.min}–${s.max})` : '');

/** The summary as a Markdown table: median (least–greatest) per ratio. */
export function reeksTabel(regels: readonly Reeksregel[]): string {
  return [
    '| figure | runs | ratio | CPU ratio | main thread ratio | unit |',
    '|---|---|---|---|---|---|',
    ...regels.map((r) => `| ${r.figure} | ${r.runs} | ${cel(r.ratio)} | ${cel(r.cpuRatio)} | ${cel(r.mainCpuRatio)} | ${r.unit} |`),
  ].join('\n');
}
