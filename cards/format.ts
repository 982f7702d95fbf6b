import { LRUCache } from 'lru-cache';
import { minuutSleutel } from '../src/domain/zaak';
import { plainText } from './text';

/** One Dutch date-time formatter per time zone, built once (Intl formatters are costly to build, cheap to use). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('nl', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(date: Date, timeZone: string): Record<'weekday' | 'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const out = { weekday: '', day: '', month: '', year: '', hour: '', minute: '' };
  for (const p of formatter(timeZone).formatToParts(date)) if (p.type in out) out[p.type as keyof typeof out] = p.value;
  return out;
}

/** Moments and dates already written, by zone and minute (or date): a view writes the same recorded moments again on every refresh. */
const geschreven = new LRUCache<string, string>({ max: 10_000 });

/** "za 28 nov 2026, 17:20" in the team's time zone. */
export function formatMoment(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  // The text shows the minute: instants within one UTC minute read the same, so they share one entry.
  const sleutel = minuutSleutel(ms, timeZone) ?? `${timeZone} ${iso}`;
  let tekst = geschreven.get(sleutel);
  if (tekst === undefined) {
    const p = parts(new Date(ms), timeZone);
    tekst = `${p.weekday} ${p.day} ${p.month} ${p.year.padStart(4, '0')}, ${p.hour}:${p.minute}`;
    geschreven.set(sleutel, tekst);
  }
  return tekst;
}

/** "di 27 okt 2026" for a yyyy-mm-dd date; anything else comes back as it is. */
export function formatDatum(isoDate: string): string {
  const sleutel = `datum ${isoDate}`;
  let tekst = geschreven.get(sleutel);
  if (tekst === undefined) {
    const date = new Date(`${isoDate}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== isoDate) return isoDate;
    const p = parts(date, 'UTC');
    tekst = `${p.weekday} ${p.day} ${p.month} ${p.year.padStart(4, '0')}`;
    geschreven.set(sleutel, tekst);
  }
  return tekst;
}

export function formatDays(days: number): string {
  return days === 1 ? '1 dag' : `${days} dagen`;
}

export function labels<T extends Record<string, string>>(catalogue: T, keys: readonly (keyof T)[]): string {
  return keys.map((k) => catalogue[k]).join(', ');
}

/** The case reference, as a Markdown link to its thread when there is one. */
export function zaakLink(reference: string, url: string): string {
  const ref = plainText(reference);
  return url ? `[${ref}](${url})` : ref;
}
