import { DateTime } from 'luxon';
import type { CaseThread, Verdiepingszaak } from '../src/domain/zaak';
import { formatDag } from './besluit-samenvatting';
import { formatDays, formatMoment, zaakLink } from './format';
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
  vragenTitel: string;
  vragen: { zaak: string; vraag: string; deadline: string; kleur: 'Default' | 'Attention' }[];
}

/** An open partner question waiting for the asker's answer. */
export interface MijnVraag {
  zaak: Pick<Verdiepingszaak, 'reference' | 'thread'>;
  vraag: string;
  /** ISO moment */
  deadline: string;
}

export interface MijnVragen {
  lijst: readonly MijnVraag[];
  nu: Date;
  timeZone: string;
}

export interface MijnActie {
  zaak: Pick<Verdiepingszaak, 'reference' | 'thread'>;
  wat: string;
  /** yyyy-mm-dd */
  datum: string;
}

function kort(tekst: string): string {
  const t = tekst.trim();
  return t.length > WAT_MAX ? `${t.slice(0, WAT_MAX - 1)}…` : t;
}

/**
 * The asker's open actions across the team's cases, earliest date first, and the partner questions
 * waiting for their answer, earliest deadline first; `vandaag` is today's local date. `totaal`: how
 * many there are, when the lists given hold only the first.
 */
export function mijnActiesCard(naam: string, acties: readonly MijnActie[], vandaag: string, threadUrl: (thread: CaseThread | undefined) => string, vragen?: MijnVragen, totaal?: { acties: number; vragen: number }) {
  const aantal = { acties: Math.max(totaal?.acties ?? 0, acties.length), vragen: Math.max(totaal?.vragen ?? 0, vragen?.lijst.length ?? 0) };
  const link = (zaak: MijnActie['zaak']) => zaakLink(zaak.reference, threadUrl(zaak.thread));
  const openVragen = [...(vragen?.lijst ?? [])].sort((a, b) => a.deadline.localeCompare(b.deadline));
  const sorted = [...acties].sort((a, b) => a.datum.localeCompare(b.datum) || a.zaak.reference.localeCompare(b.zaak.reference));
  const dagen = (datum: string) => Math.round(DateTime.fromISO(datum).diff(DateTime.fromISO(vandaag), 'days').days);
  return render<MijnActiesData>(template, {
    titel: `Open acties van ${plainText(naam)} (${aantal.acties})`,
    notitie: aantal.acties > MAX_ACTIES_IN_LIJST ? `Hieronder de ${MAX_ACTIES_IN_LIJST} met de vroegste datum.` : '',
    acties: sorted.slice(0, MAX_ACTIES_IN_LIJST).map((a) => {
      const n = dagen(a.datum);
      return {
        zaak: link(a.zaak),
        wat: plainText(kort(a.wat)),
        datum: formatDag(a.datum),
        wanneer: n < 0 ? `${formatDays(-n)} te laat` : n === 0 ? 'vandaag' : `over ${formatDays(n)}`,
        kleur: n < 0 ? 'Attention' : n === 0 ? 'Warning' : 'Default',
      };
    }),
    vragenTitel: aantal.vragen > 0 ? `Vragen die op jouw antwoord wachten (${aantal.vragen})` : '',
    vragen: openVragen.slice(0, MAX_ACTIES_IN_LIJST).map((v) => {
      const verlopen = vragen !== undefined && Date.parse(v.deadline) <= vragen.nu.getTime();
      return {
        zaak: link(v.zaak),
        vraag: plainText(kort(v.vraag)),
        deadline: `${verlopen ? 'deadline verstreken' : 'deadline'} ${formatMoment(v.deadline, vragen?.timeZone ?? 'UTC')}`,
        kleur: verlopen ? 'Attention' : 'Default',
      };
    }),
  });
}
