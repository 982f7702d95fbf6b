import { FASEN, ZAAKTYPES } from '../src/domain/catalogue';
import { dagTeller, type Zaakregel } from '../src/domain/zaak';
import template from './case-list.json';
import { formatDays, labels, zaakLink } from './format';
import { render } from './render';

/** Cases listed at most: each line costs about 400 bytes (its deep link most of it), and the card must stay well under Teams' 28 KB. */
export const MAX_IN_LIJST = 25;

export interface CaseListData {
  title: string;
  /** Set when the team has more open cases than the card lists. */
  notitie: string;
  /** `zaak`: the reference, as a link to the case thread when there is one. */
  cases: { zaak: string; types: string; fase: string; age: string }[];
}

/**
 * The team's open cases, newest first as given, at most MAX_IN_LIJST; `threadUrl` builds the deep
 * link to each case thread; `total` is how many open cases the team has (when more than given).
 */
export function caseListCard(zaken: readonly Zaakregel[], now: Date, timeZone: string, threadUrl: (zaak: Zaakregel) => string, total = zaken.length) {
  const leeftijd = dagTeller(now, timeZone);
  return render<CaseListData>(template, {
    title: `Open verdiepingszaken (${total})`,
    notitie: total > MAX_IN_LIJST ? `Hieronder de ${MAX_IN_LIJST} nieuwste. Vraag een andere zaak op met "zaak" en het zaaknummer.` : '',
    cases: zaken.slice(0, MAX_IN_LIJST).map((z) => ({
      zaak: zaakLink(z.reference, threadUrl(z)),
      types: labels(ZAAKTYPES, z.types),
      fase: FASEN[z.fase],
      age: `${formatDays(leeftijd(z.flaggedAt))} oud`,
    })),
  });
}
