import type * as AdaptiveCards from 'adaptivecards';
import { createRequire } from 'node:module';

// The package's ES build has extensionless imports Node cannot load; its bundled UMD build works.
const AC = createRequire(`${process.cwd()}/`)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/**
 * What the Adaptive Cards object model (the `adaptivecards` package) finds wrong with a card read
 * as version 1.5: unknown element or action types, invalid enum values, inputs without a unique
 * id, choice sets without choices. An empty list means the card parses cleanly.
 */
export function cardProblems(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  const validation = parsed.validateProperties();
  for (const event of validation.validationEvents) problems.push(event.message);
  return problems;
}

/** Teams' practical limit for a card in a message (its JSON, in bytes). */
export const CARD_MAX_BYTES = 28 * 1024;

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
