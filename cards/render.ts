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
const parsed = new WeakMap<object, ACData.Template>();

/** Expands a card template with its typed data; the verbs are always in scope as `verbs`, the glossary as `woorden`. */
export function render<T extends object>(template: object, data: T): AdaptiveCard {
  let prepared = parsed.get(template);
  if (!prepared) {
    prepared = new ACData.Template(template);
    parsed.set(template, prepared);
  }
  return prepared.expand({ $root: { ...(withoutControls(data) as T), verbs: Verb, woorden: WOORDEN } }) as AdaptiveCard;
}
