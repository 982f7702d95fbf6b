import { DateTime } from 'luxon';
import type { CaseThread, Verdiepingszaak } from '../src/domain/zaak';
import { formatDag } from './besluit-samenvatting';
import { formatDays } from './format';
import template from './mijn-acties.json';
import { render } from './render';
import { plainText } from './text';

/** Actions listed at most: the card must stay well under Teams' 28 KB. */
export const MAX_ACTIES_IN_LIJST = 30;
const WAT_MAX = 300;

export interface MijnActiesData {
  titel: string;
  notitie: string;
  acties: { zaak: string; wat: string; datum: string; wanneer: string; kleur: 'Default' | 'Attention' | 'Warning' }[];
}

export interface MijnActie {
  zaak: Pick<Verdiepingszaak, 'reference' | 'thread'>;
  wat: string;
  /** yyyy-mm-dd */
  datum: string;
}

/** The asker's open actions across the team's cases, earliest date first; `vandaag` is today's local date. */
export function mijnActiesCard(naam: string, acties: readonly MijnActie[], vandaag: string, threadUrl: (thread: CaseThread | undefined) => string) {
  const sorted = [...acties].sort((a, b) => a.datum.localeCompare(b.datum) || a.zaak.reference.localeCompare(b.zaak.reference));
  const dagen = (datum: string) => Math.round(DateTime.fromISO(datum).diff(DateTime.fromISO(vandaag), 'days').days);
  return render<MijnActiesData>(template, {
    titel: `Open acties van ${plainText(naam)} (${acties.length})`,
    notitie: acties.length > MAX_ACTIES_IN_LIJST ? `Hieronder de ${MAX_ACTIES_IN_LIJST} met de vroegste datum.` : '',
    acties: sorted.slice(0, MAX_ACTIES_IN_LIJST).map((a) => {
      const n = dagen(a.datum);
      const url = threadUrl(a.zaak.thread);
      const ref = plainText(a.zaak.reference);
      const wat = a.wat.trim().length > WAT_MAX ? `${a.wat.trim().slice(0, WAT_MAX - 1)}…` : a.wat.trim();
      return {
        zaak: url ? `[${ref}](${url})` : ref,
        wat: plainText(wat),
        datum: formatDag(a.datum),
        wanneer: n < 0 ? `${formatDays(-n)} te laat` : n === 0 ? 'vandaag' : `over ${formatDays(n)}`,
        kleur: n < 0 ? 'Attention' : n === 0 ? 'Warning' : 'Default',
      };
    }),
  });
}
