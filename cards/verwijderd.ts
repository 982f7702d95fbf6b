import template from './verwijderd.json';
import { render } from './render';

export const VERWIJDERD_TEKST = 'Verwijderd na de bewaartermijn.';

/** What every message the bot posted for a purged case is replaced with: one line, nothing of the case. */
export function verwijderdCard() {
  return render<{ tekst: string }>(template, { tekst: VERWIJDERD_TEKST });
}
