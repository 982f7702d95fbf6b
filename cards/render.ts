import * as ACData from 'adaptivecards-templating';
import { LRUCache } from 'lru-cache';
import { bevroren } from '../src/bevroren';
import { ruimVerlopenOp } from '../src/geheugen';
import { stripControls } from '../src/domain/privacy';
import { WOORDEN } from '../src/domain/woorden';
import { Verb } from '../src/verbs';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

/** Every string in the data without control or bidi characters, so none reaches a card (also not an input's value). */
function withoutControls(value: unknown): unknown {
  if (typeof value === 'string') return stripControls(value);
  if (Array.isArray(value)) return value.map(withoutControls);
  if (value && Object.getPrototypeOf(value) === Object.prototype) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutControls(v)]));
  return value;
}

/**
 * The data's top level goes to the template as a Map, the verbs and the glossary too: the
 * expression library finds a Map's key at once, where it compares an object's every key in lower
 * case (it matches names case-insensitively either way).
 */
const CONSTANTEN: readonly [string, ReadonlyMap<string, string>][] = [
  ['verbs', new Map(Object.entries(Verb))],
  ['woorden', new Map(Object.entries(WOORDEN))],
];

// Each template's `${…}` expressions are parsed once, on its first render; a Template expands any number of times.
const parsed = new WeakMap<object, { id: number; template: ACData.Template }>();
let templates = 0;

/**
 * Expanded cards by template and data, least recently used dropped first, for a few minutes and a
 * few MB (counted as JSON): the same card asked for again (another viewer, a refresh, `help`) is
 * not expanded again. The cards are frozen and shared: a caller builds a new object to change one.
 */
const klaar = new LRUCache<string, { card: AdaptiveCard; bytes: number }>({ ttl: 5 * 60_000, maxSize: 8 * 1024 * 1024, sizeCalculation: (v, sleutel) => sleutel.length + v.bytes });
ruimVerlopenOp(klaar);

/** Forgets every expanded card: after a purge, no card of an erased case stays in this process. */
export function vergeetKaarten(): void {
  klaar.clear();
}

/** The size of each card render made, measured when it was made: it is frozen, so it cannot change. */
const groottes = new WeakMap<object, number>();

/**
 * Expands a card template with its typed data; the verbs are always in scope as `verbs`, the
 * glossary as `woorden`. The card is frozen. `eenmalig`: a card for one answer only (a notice that
 * names a new version), expanded without being kept or measured for the memo.
 */
export function render<T extends object>(template: object, data: T, opties: { eenmalig?: boolean } = {}): AdaptiveCard {
  let prepared = parsed.get(template);
  if (!prepared) {
    prepared = { id: ++templates, template: new ACData.Template(template) };
    parsed.set(template, prepared);
  }
  if (opties.eenmalig) return expand(prepared.template, data);
  const sleutel = `${prepared.id}:${JSON.stringify(data)}`;
  const bewaard = klaar.get(sleutel);
  if (bewaard !== undefined) return bewaard.card;
  const card = expand(prepared.template, data);
  const bytes = kaartBytes(card);
  groottes.set(card, bytes);
  klaar.set(sleutel, { card, bytes });
  return card;
}

function expand(template: ACData.Template, data: object): AdaptiveCard {
  const velden = Object.entries(data).map(([k, v]): [string, unknown] => [k, withoutControls(v)]);
  return bevroren(template.expand({ $root: new Map([...velden, ...CONSTANTEN]) }) as AdaptiveCard);
}

/** The size of a card, or of a part of one, as Teams counts it: its JSON in UTF-8 bytes (a card from render is not measured again). */
export function kaartBytes(card: object): number {
  return groottes.get(card) ?? Buffer.byteLength(JSON.stringify(card), 'utf8');
}
