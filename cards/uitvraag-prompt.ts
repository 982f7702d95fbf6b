import { PARTNERS, choices } from '../src/domain/catalogue';
import type { FieldErrors } from '../src/domain/markering';
import { AFWIJZINGEN, ANTWOORD_MAX, BEKENDHEID, BRON_MAX, REDEN_MAX, reactieBasis } from '../src/domain/uitvraag';
import type { Lid, Uitvraag, Verdiepingszaak } from '../src/domain/zaak';
import { formatMoment } from './format';
import { render } from './render';
import { plainText } from './text';
import template from './uitvraag-prompt.json';

/**
 * gedeeld: what everyone in the thread sees; formulier: the invitee's answer form (also to
 * correct); eigen: the invitee's view of their answer, with "Corrigeren" while allowed.
 */
export type PromptWeergave = 'gedeeld' | 'formulier' | 'eigen';

export interface PromptInvoer {
  antwoord: string;
  bron: string;
  bekend: string;
  afwijzingSoort: string;
  afwijzingReden: string;
}

const FOUTVELDEN = ['antwoord', 'bron', 'bekend', 'afwijzing_soort', 'afwijzing_reden'] as const;

export interface UitvraagPromptData {
  caseId: string;
  uitvraagId: string;
  inviteeTeamsId: string;
  reference: string;
  genodigde: string;
  organisatie: string;
  status: string;
  statusKleur: 'Warning' | 'Good' | 'Default' | 'Accent';
  melding: string;
  meldingKleur: 'Good' | 'Attention';
  vraag: string;
  waarom: string;
  gevraagd: string;
  deadline: string;
  heeftAntwoord: boolean;
  antwoord: { titel: string; tekst: string; bron: string; bekend: string; door: string };
  heeftAfwijzing: boolean;
  afwijzing: { titel: string; reden: string; door: string };
  weergave: PromptWeergave;
  formTitel: string;
  basis: string;
  corrigeert: boolean;
  kanCorrigeren: boolean;
  values: PromptInvoer;
  errors: Record<(typeof FOUTVELDEN)[number], string>;
  bekendOpties: { title: string; value: string }[];
  afwijzingOpties: { title: string; value: string }[];
  antwoordMax: number;
  bronMax: number;
  redenMax: number;
}

export interface PromptOpties {
  weergave?: PromptWeergave;
  /** A notice for the acting user only. */
  melding?: { tekst: string; soort: 'goed' | 'let_op' };
  /** What the form shows (what was typed, or the answer being corrected). */
  invoer?: PromptInvoer;
  errors?: FieldErrors;
  /** The form corrects an earlier response (offers Annuleren). */
  corrigeert?: boolean;
  /** The eigen view offers Corrigeren. */
  kanCorrigeren?: boolean;
}

/** The invitee as mentioned: the name must read the same in the text and in the mention entity. */
export function mentionLid(invitee: Lid): Lid {
  return { ...invitee, name: invitee.name.replace(/[<>]/g, '').trim() || 'Teamlid' };
}

/** The current response as form input: what a correction starts from. */
export function huidigeReactie(uitvraag: Uitvraag): PromptInvoer {
  if (uitvraag.status === 'afgewezen' && uitvraag.afwijzing) {
    return { antwoord: '', bron: '', bekend: '', afwijzingSoort: uitvraag.afwijzing.soort, afwijzingReden: uitvraag.afwijzing.reden };
  }
  const a = uitvraag.antwoord;
  return { antwoord: a?.tekst ?? '', bron: a?.bron ?? '', bekend: a?.bekend ?? '', afwijzingSoort: '', afwijzingReden: '' };
}

const LEEG: PromptInvoer = { antwoord: '', bron: '', bekend: '', afwijzingSoort: '', afwijzingReden: '' };

function status(zaak: Verdiepingszaak, uitvraag: Uitvraag): Pick<UitvraagPromptData, 'status' | 'statusKleur'> {
  const gesloten = zaak.fase === 'gesloten' ? ' · zaak gesloten' : '';
  if (uitvraag.status === 'beantwoord') return { status: `Beantwoord${gesloten}`, statusKleur: 'Good' };
  if (uitvraag.status === 'afgewezen') return { status: `Geen antwoord${gesloten}`, statusKleur: 'Default' };
  return { status: `Open${gesloten}`, statusKleur: 'Warning' };
}

/**
 * The prompt card in the case thread: the question, why it matters, who is asked, the deadline
 * and the status for everyone; the answer form only for the invitee (refresh.userIds).
 * The text carries `<at>name</at>`: add the mention entity with withMentions(card, [mentionLid(invitee)]).
 */
export function uitvraagPromptCard(zaak: Verdiepingszaak, uitvraag: Uitvraag, timeZone: string, opties: PromptOpties = {}) {
  const weergave = opties.weergave ?? 'gedeeld';
  const errors = opties.errors ?? {};
  const a = uitvraag.status === 'beantwoord' ? uitvraag.antwoord : undefined;
  const w = uitvraag.status === 'afgewezen' ? uitvraag.afwijzing : undefined;
  const formulier = weergave === 'formulier';
  return render<UitvraagPromptData>(template, {
    caseId: zaak.id,
    uitvraagId: uitvraag.id,
    inviteeTeamsId: uitvraag.invitee.teamsId,
    reference: zaak.reference,
    genodigde: mentionLid(uitvraag.invitee).name,
    organisatie: PARTNERS[uitvraag.organisatie],
    ...status(zaak, uitvraag),
    melding: opties.melding ? plainText(opties.melding.tekst) : formulier && Object.keys(errors).length > 0 ? 'Controleer de gemarkeerde velden.' : '',
    meldingKleur: opties.melding?.soort === 'goed' ? 'Good' : 'Attention',
    vraag: plainText(uitvraag.vraag),
    waarom: plainText(uitvraag.waarom),
    gevraagd: `${plainText(uitvraag.gevraagdDoor.name)}, ${formatMoment(uitvraag.gevraagdOp, timeZone)}`,
    deadline: formatMoment(uitvraag.deadline, timeZone),
    heeftAntwoord: !!a,
    antwoord: a
      ? {
          titel: a.versie > 1 ? `Antwoord (gecorrigeerd, versie ${a.versie})` : 'Antwoord',
          tekst: plainText(a.tekst),
          bron: plainText(a.bron),
          bekend: BEKENDHEID[a.bekend],
          door: `${plainText(a.door.name)}, ${formatMoment(a.op, timeZone)}`,
        }
      : { titel: '', tekst: '', bron: '', bekend: '', door: '' },
    heeftAfwijzing: !!w,
    afwijzing: w
      ? { titel: `Geen antwoord: ${AFWIJZINGEN[w.soort].toLowerCase()}`, reden: plainText(w.reden), door: `${plainText(w.door.name)}, ${formatMoment(w.op, timeZone)}` }
      : { titel: '', reden: '', door: '' },
    weergave,
    formTitel: opties.corrigeert ? 'Je reactie corrigeren' : 'Jouw antwoord',
    basis: reactieBasis(uitvraag),
    corrigeert: formulier && !!opties.corrigeert,
    kanCorrigeren: weergave === 'eigen' && !!opties.kanCorrigeren,
    values: formulier ? (opties.invoer ?? LEEG) : LEEG,
    errors: Object.fromEntries(FOUTVELDEN.map((v) => [v, errors[v] ?? ''])) as UitvraagPromptData['errors'],
    bekendOpties: choices(BEKENDHEID),
    afwijzingOpties: choices(AFWIJZINGEN),
    antwoordMax: ANTWOORD_MAX,
    bronMax: BRON_MAX,
    redenMax: REDEN_MAX,
  });
}
