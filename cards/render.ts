import * as ACData from 'adaptivecards-templating';
import { Verb } from '../src/verbs';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

/** Expands a card template with its typed data; the verbs are always in scope as `verbs`. */
export function render<T extends object>(template: object, data: T): AdaptiveCard {
  const card = new ACData.Template(template).expand({ $root: { ...data, verbs: Verb } }) as AdaptiveCard;
  return card;
}
