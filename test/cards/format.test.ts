import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatDatum, formatMoment } from '../../cards/format';

// The cached Intl formatters must write exactly what luxon wrote per call before.
const luxonMoment = (iso: string, tz: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(tz).setLocale('nl').toFormat('ccc d LLL yyyy, HH:mm');
const luxonDag = (isoDate: string) => DateTime.fromISO(isoDate).setLocale('nl').toFormat('ccc d LLL yyyy');
const zones = ['Europe/Amsterdam', 'America/Havana', 'Asia/Kolkata', 'Pacific/Apia', 'UTC'];
const instant = fc.date({ min: new Date('1970-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });

describe('date formatting', () => {
  it('formatMoment writes what luxon wrote, in any zone, at any minute (midnight and clock changes included)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instant, (tz, d) => {
        expect(formatMoment(d.toISOString(), tz)).toBe(luxonMoment(d.toISOString(), tz));
      }),
      { numRuns: 2000 },
    );
    expect(formatMoment('2026-11-28T16:20:00.000Z', 'Europe/Amsterdam')).toBe('za 28 nov 2026, 17:20');
    expect(formatMoment('2026-03-29T00:59:00.000Z', 'Europe/Amsterdam')).toBe('zo 29 mrt 2026, 01:59');
    expect(formatMoment('2026-03-29T01:00:00.000Z', 'Europe/Amsterdam')).toBe('zo 29 mrt 2026, 03:00');
  });

  it('formatMoment writes each instant of one minute as luxon did, also where an offset once had seconds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones, 'Africa/Monrovia'), instant, fc.integer({ min: 0, max: 59_999 }), (tz, d, ms) => {
        const eerste = new Date(Math.floor(d.getTime() / 60_000) * 60_000 + ms).toISOString();
        const tweede = new Date(Math.floor(d.getTime() / 60_000) * 60_000 + 59_999 - ms).toISOString();
        expect([formatMoment(eerste, tz), formatMoment(tweede, tz)]).toEqual([luxonMoment(eerste, tz), luxonMoment(tweede, tz)]);
      }),
      { numRuns: 2000 },
    );
    // Liberia was 44 min 30 s behind UTC until 1972: one UTC minute spans two minutes on its clock.
    expect(formatMoment('1971-06-01T12:00:10.000Z', 'Africa/Monrovia')).toBe('di 1 jun 1971, 11:15');
    expect(formatMoment('1971-06-01T12:00:40.000Z', 'Africa/Monrovia')).toBe('di 1 jun 1971, 11:16');
  });

  it('formatDatum writes what luxon wrote for any calendar date', () => {
    fc.assert(
      fc.property(instant, (d) => {
        const isoDate = d.toISOString().slice(0, 10);
        expect(formatDatum(isoDate)).toBe(luxonDag(isoDate));
      }),
      { numRuns: 2000 },
    );
    expect(formatDatum('2026-10-27')).toBe('di 27 okt 2026');
  });

  it('leaves a string that is no calendar date as it is', () => {
    expect(formatDatum('2026-02-30')).toBe('2026-02-30');
    expect(formatDatum('morgen')).toBe('morgen');
  });
});
