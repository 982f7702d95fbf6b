import template from './bericht.json';
import { render } from './render';

/**
 * The bot's own text answer as a card: when Teams was too busy to take an answer during the turn,
 * the dispatcher delivers it later, and it only sends cards. The text is the bot's own markdown.
 */
export function berichtCard(tekst: string) {
  return render<{ tekst: string }>(template, { tekst });
}
