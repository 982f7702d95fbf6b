import * as ACData from 'adaptivecards-templating';
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

// Each template's `${…}` expressions are parsed once, on its first render; a Template expands any number of times.
const parsed = new WeakMap<object, { id: number; template: ACData.Template }>();
let templates = 0;

/**
 * Expanded cards by template and data, least recently used first, for a few minutes and a few MB:
 * the same card asked for again (another viewer, a refresh, `help`) is not expanded again. Kept
 * as JSON, so every caller gets its own copy.
 */
const KLAAR_MS = 5 * 60_000;
const KLAAR_MAX_BYTES = 8 * 1024 * 1024;
const klaar = new Map<string, { json: string; tot: number }>();
let klaarBytes = 0;

/** Expands a card template with its typed data; the verbs are always in scope as `verbs`, the glossary as `woorden`. */
export function render<T extends object>(template: object, data: T): AdaptiveCard {
  let prepared = parsed.get(template);
  if (!prepared) {
    prepared = { id: ++templates, template: new ACData.Template(template) };
    parsed.set(template, prepared);
  }
  const sleutel = `${prepared.id}:${JSON.stringify(data)}`;
  const nu = performance.now();
  const bewaard = klaar.get(sleutel);
  if (bewaard) {
    vergeet(sleutel);
    if (bewaard.tot > nu) {
      bewaar(sleutel, bewaard);
      return JSON.parse(bewaard.json) as AdaptiveCard;
    }
  }
  const card = prepared.template.expand({ $root: { ...(withoutControls(data) as T), verbs: Verb, woorden: WOORDEN } }) as AdaptiveCard;
  bewaar(sleutel, { json: JSON.stringify(card), tot: nu + KLAAR_MS });
  return card;
}

function bewaar(sleutel: string, kaart: { json: string; tot: number }): void {
  klaar.set(sleutel, kaart);
  klaarBytes += sleutel.length + kaart.json.length;
  if (klaarBytes <= KLAAR_MAX_BYTES) return;
  for (const oudste of klaar.keys()) {
    if (klaarBytes <= KLAAR_MAX_BYTES) break;
    vergeet(oudste);
  }
}

function vergeet(sleutel: string): void {
  const kaart = klaar.get(sleutel);
  if (!kaart) return;
  klaar.delete(sleutel);
  klaarBytes -= sleutel.length + kaart.json.length;
}
