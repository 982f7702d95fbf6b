import template from './beperkt.json';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';

export interface BeperktData {
  caseId: string;
  reference: string;
  /** The casusregisseur's name. */
  lead: string;
}

function beperkt(data: BeperktData, titel: string): AdaptiveCard {
  return render(template, { caseId: data.caseId, reference: plainText(data.reference), lead: plainText(data.lead), titel });
}

/** The "Beperkt zichtbaar" block with its "Toegang vragen" button, to append to a view for a teamlid without access. */
export function beperktDeel(data: BeperktData): { body: unknown[]; actions: unknown[] } {
  const card = beperkt(data, '');
  return { body: card.body as unknown[], actions: card.actions as unknown[] };
}

/** Appends the "Beperkt zichtbaar" block and its button to a (status) card. */
export function metBeperkt(card: AdaptiveCard, data: BeperktData): AdaptiveCard {
  const deel = beperktDeel(data);
  return { ...card, body: [...((card.body as unknown[]) ?? []), ...deel.body], actions: [...((card.actions as unknown[]) ?? []), ...deel.actions] };
}

/** A card of its own: the case's number and the "Beperkt zichtbaar" block. */
export function beperktCard(data: BeperktData): AdaptiveCard {
  return beperkt(data, `Zaak ${plainText(data.reference)}`);
}
