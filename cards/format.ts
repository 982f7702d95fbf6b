import { DateTime } from 'luxon';

/** "za 28 nov 2026, 17:20" in the team's time zone. */
export function formatMoment(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone).setLocale('nl').toFormat('ccc d LLL yyyy, HH:mm');
}

export function formatDays(days: number): string {
  return days === 1 ? '1 dag' : `${days} dagen`;
}

export function labels<T extends Record<string, string>>(catalogue: T, keys: readonly (keyof T)[]): string {
  return keys.map((k) => catalogue[k]).join(', ');
}
