import { Verb } from '../src/verbs';
import type { Actor, Lid, Verdiepingszaak } from '../src/domain/zaak';
import { formatMoment } from './format';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';
import template from './toegang-verzoek.json';
import { mentionLid } from './uitvraag-prompt';

export type VerzoekStand = { status: 'open' } | { status: 'verleend' | 'geweigerd' | 'ingetrokken'; door: Actor; op: string };

const STATUS = { verleend: ['Toegestaan', 'Good'], geweigerd: ['Geweigerd', 'Default'], ingetrokken: ['Ingetrokken', 'Default'] } as const;

interface VerzoekData {
  caseId: string;
  lidId: string;
  reference: string;
  naam: string;
  aanhef: string;
  open: boolean;
  /** Granted: the casusregisseur (or an officier) can take it back here. */
  intrekbaar: boolean;
  status: string;
  statusKleur: string;
  besluit: string;
}

/**
 * A team member's request for access, in the case thread: status only (who asks, which case).
 * While open it has Toestaan / Weigeren and refreshes for the casusregisseur; once granted, Toegang intrekken; the text @mentions
 * `casusregisseur` (the lead as a team member, when known) (add the entity with withMentions(card, [mentionLid(casusregisseur)])).
 */
export function toegangVerzoekCard(zaak: Verdiepingszaak, lid: Lid, stand: VerzoekStand, timeZone: string, casusregisseur?: Lid): AdaptiveCard {
  const open = stand.status === 'open';
  const lead = casusregisseur && mentionLid(casusregisseur);
  const card = render<VerzoekData>(template, {
    caseId: zaak.id,
    lidId: lid.id,
    reference: plainText(zaak.reference),
    naam: plainText(lid.name),
    aanhef: open && lead ? `<at>${lead.name}</at>: ` : '',
    open,
    intrekbaar: stand.status === 'verleend',
    status: open ? 'Open' : STATUS[stand.status][0],
    statusKleur: open ? 'Warning' : STATUS[stand.status][1],
    besluit: open ? '' : `${STATUS[stand.status][0]} door ${plainText(stand.door.name)}, ${formatMoment(stand.op, timeZone)}.`,
  });
  if (!open || !lead) return card;
  return { ...card, refresh: { action: { type: 'Action.Execute', title: 'Vernieuwen', verb: Verb.toegangBeslissen, data: { caseId: zaak.id, lidId: lid.id } }, userIds: [lead.teamsId] } };
}
