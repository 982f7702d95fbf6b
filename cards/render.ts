import * as ACData from 'adaptivecards-templating';
import { Verb } from '../src/verbs';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

// Each template's `${…}` expressions are parsed once, on its first render; a Template expands any number of times.
const parsed = new WeakMap<object, ACData.Template>();

/** Expands a card template with its typed data; the verbs are always in scope as `verbs`. */
export function render<T extends object>(template: object, data: T): AdaptiveCard {
  let prepared = parsed.get(template);
  if (!prepared) {
    prepared = new ACData.Template(template);
    parsed.set(template, prepared);
  }
  return prepared.expand({ $root: { ...data, verbs: Verb } }) as AdaptiveCard;
}
