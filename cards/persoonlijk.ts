import { Verb } from '../src/verbs';
import template from './persoonlijk.json';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';

/** What a personal view shows; the handler re-runs the query for whoever asks. */
export type PersoonlijkSoort = 'ketenkaart' | 'mijn-acties' | 'inzage';

export interface PersoonlijkData {
  soort: PersoonlijkSoort;
  reference?: string;
  /** Which part of a ketenkaart split over several cards (1-based). */
  deel?: number;
}

interface PersoonlijkCardData {
  titel: string;
  naam: string;
  userId: string;
  data: PersoonlijkData;
}

/**
 * The short status card a typed command answers with in the channel: it names only what was asked
 * for; the content comes as the asker's own view (refresh.userIds) or when someone presses Bekijken.
 */
export function persoonlijkCard(titel: string, naam: string, userId: string, data: PersoonlijkData): AdaptiveCard {
  return render<PersoonlijkCardData>(template, { titel: plainText(titel), naam: plainText(naam), userId, data });
}

/** Makes a content card the asker's own view: it refreshes (and is re-checked) for them only. */
export function alsPersoonlijk(card: AdaptiveCard, userId: string, data: PersoonlijkData): AdaptiveCard {
  return { ...card, refresh: { action: { type: 'Action.Execute', title: 'Vernieuwen', verb: Verb.persoonlijkBekijken, data }, userIds: [userId] } };
}
