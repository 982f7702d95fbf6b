import { describe, expect, it } from 'vitest';
import { reeks, reeksTabel, spreiding, type Meting } from '../scripts/bench-reeks';

const help = (ratio: number, mainCpuRatio?: number): Meting => ({ figure: 'help', unit: 'ms p50', ratio, cpuRatio: ratio, ...(mainCpuRatio === undefined ? {} : { mainCpuRatio }) });
const koud = (ratio: number): Meting => ({ figure: 'cold start (spawn to listening)', unit: 'ms', ratio });

describe('a series of bench runs', () => {
  it('gives the median, least and greatest of a ratio, whatever order the runs come in', () => {
    expect(spreiding([2.4, 1.9, 2.1])).toEqual({ mediaan: 2.1, min: 1.9, max: 2.4 });
    expect(spreiding([1.2, 3, 1, 1.3])).toEqual({ mediaan: 1.25, min: 1, max: 3 });
    expect(spreiding([1.07])).toEqual({ mediaan: 1.07, min: 1.07, max: 1.07 });
    expect(() => spreiding([])).toThrow('no values');
  });

  it('sums up each figure over the runs that have it, in the order the figures first appear', () => {
    const regels = reeks([[koud(1.1), help(1.2, 1.1)], [help(0.9)], [help(1.0, 1.3), koud(1.4)]]);
    expect(regels.map((r) => [r.figure, r.runs])).toEqual([['cold start (spawn to listening)', 2], ['help', 3]]);
    expect(regels[0]).toEqual({ figure: 'cold start (spawn to listening)', unit: 'ms', runs: 2, ratio: { mediaan: 1.25, min: 1.1, max: 1.4 } });
    // The main thread's ratio only over the two runs that measured it.
    expect(regels[1]).toMatchObject({ ratio: { mediaan: 1, min: 0.9, max: 1.2 }, cpuRatio: { mediaan: 1 }, mainCpuRatio: { mediaan: 1.2, min: 1.1, max: 1.3 } });
  });

  it('prints a Markdown table with a row per figure and an empty cell for a ratio no run measured', () => {
    const tabel = reeksTabel(reeks([[koud(1.1), help(1.2, 1.1)], [koud(1.3), help(1.0, 0.9)]])).split('\n');
    expect(tabel).toHaveLength(4);
    expect(tabel[0]).toBe('| figure | runs | ratio | CPU ratio | main thread ratio | unit |');
    expect(tabel[2]).toBe('| cold start (spawn to listening) | 2 | 1.2× (1.1–1.3) |  |  | ms |');
    expect(tabel[3]).toBe('| help | 2 | 1.1× (1–1.2) | 1.1× (1–1.2) | 1× (0.9–1.1) | ms p50 |');
  });
});
