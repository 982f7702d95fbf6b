import { naamMetOrganisatie } from '../src/domain/woorden';
import { PARTNERS, choices } from '../src/domain/catalogue';
import type { FieldErrors } from '../src/domain/markering';
import { keuzelijst, type Keuzelijst } from '../src/domain/teamlid';
import { VRAAG_MAX, WAAROM_MAX, type UitnodigingInvoer } from '../src/domain/uitvraag';
import type { Lid, Uitvraag, Verdiepingszaak } from '../src/domain/zaak';
import { formatMoment } from './format';
import { render } from './render';
import { plainText } from './text';
import template from './uitvraag-nieuw.json';

const VELDEN = ['lid', 'organisatie', 'vraag', 'waarom', 'deadline'] as const;

export interface UitvraagNieuwData extends Keuzelijst {
  caseId: string;
  reference: string;
  lead: string;
  /** formulier: the form; verstuurd / geannuleerd: a one-line summary in its place. */
  stand: 'formulier' | 'verstuurd' | 'geannuleerd';
  melding: string;
  meldingKleur: 'Good' | 'Attention';
  organisaties: { title: string; value: string }[];
  values: UitnodigingInvoer;
  errors: Record<(typeof VELDEN)[number], string>;
  vraagMax: number;
  waaromMax: number;
  tijdzone: string;
  samenvatting: string;
  opnieuw: boolean;
}

function base(zaak: Verdiepingszaak, timeZone: string): Omit<UitvraagNieuwData, 'stand' | 'melding' | 'meldingKleur' | 'leden' | 'ledenNotitie' | 'zoeken' | 'values' | 'errors' | 'samenvatting' | 'opnieuw'> {
  return {
    caseId: zaak.id,
    reference: zaak.reference,
    lead: plainText(zaak.lead.name),
    organisaties: choices(PARTNERS),
    vraagMax: VRAAG_MAX,
    waaromMax: WAAROM_MAX,
    tijdzone: timeZone === 'Europe/Amsterdam' ? 'Nederlandse tijd' : timeZone,
  };
}

const geenWaarden: UitnodigingInvoer = { lid: '', lidNaam: '', organisatie: '', vraag: '', waarom: '', deadlineDatum: '', deadlineTijd: '' };
const geenFouten = Object.fromEntries(VELDEN.map((v) => [v, ''])) as UitvraagNieuwData['errors'];

/** The invitation form: a team member (by Teams user id), the organisation, the need-to-know question and why, a deadline. */
export function uitvraagNieuwCard(zaak: Verdiepingszaak, leden: readonly Lid[], invoer: UitnodigingInvoer, timeZone: string, opties: { errors?: FieldErrors; melding?: string } = {}) {
  const errors = opties.errors ?? {};
  return render<UitvraagNieuwData>(template, {
    ...base(zaak, timeZone),
    stand: 'formulier',
    melding: opties.melding ? plainText(opties.melding) : Object.keys(errors).length > 0 ? 'Controleer de gemarkeerde velden.' : '',
    meldingKleur: 'Attention',
    ...keuzelijst(leden),
    values: invoer,
    errors: { ...geenFouten, ...Object.fromEntries(VELDEN.map((v) => [v, errors[v] ?? ''])) },
    samenvatting: '',
    opnieuw: false,
  });
}

/** What the form turns into for everyone once the invitation went out (or was cancelled). */
export function uitvraagNieuwAfgerond(zaak: Verdiepingszaak, timeZone: string, uitkomst: { verstuurd: Uitvraag } | { geannuleerd: true }) {
  const verstuurd = 'verstuurd' in uitkomst ? uitkomst.verstuurd : undefined;
  return render<UitvraagNieuwData>(template, {
    ...base(zaak, timeZone),
    stand: verstuurd ? 'verstuurd' : 'geannuleerd',
    melding: '',
    meldingKleur: 'Good',
    ...keuzelijst([]),
    values: geenWaarden,
    errors: geenFouten,
    samenvatting: verstuurd
      ? `${plainText(naamMetOrganisatie(verstuurd.invitee.name, PARTNERS[verstuurd.organisatie]))} is uitgenodigd; deadline ${formatMoment(verstuurd.deadline, timeZone)}. De vraag staat hieronder in het zaakgesprek.`
      : 'Uitnodiging geannuleerd.',
    opnieuw: zaak.fase !== 'gesloten',
  });
}
