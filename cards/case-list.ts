import { FASEN, ZAAKTYPES } from '../src/domain/catalogue';
import { ageInDays, type Verdiepingszaak } from '../src/domain/zaak';
import template from './case-list.json';
import { formatDays, labels } from './format';
import { render } from './render';

export interface CaseListData {
  title: string;
  cases: { reference: string; types: string; fase: string; age: string; threadUrl: string }[];
}

/** The team's open cases; `threadUrl` builds the deep link to each case thread. */
export function caseListCard(zaken: Verdiepingszaak[], now: Date, threadUrl: (zaak: Verdiepingszaak) => string) {
  return render<CaseListData>(template, {
    title: `Open verdiepingszaken (${zaken.length})`,
    cases: zaken.map((z) => ({
      reference: z.reference,
      types: labels(ZAAKTYPES, z.types),
      fase: FASEN[z.fase],
      age: formatDays(ageInDays(z.flaggedAt, now)),
      threadUrl: threadUrl(z),
    })),
  });
}
