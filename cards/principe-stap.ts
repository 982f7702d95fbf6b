import { choices, PATRONEN } from '../src/domain/catalogue';
import type { FieldErrors } from '../src/domain/markering';
import {
  INPUT_PREFIX,
  NVT_REDEN_FOUT,
  REDEN_MAX,
  STAPPEN,
  betrokkeneLabel,
  gevraagdeVelden,
  stapFormulier,
  type PrincipeInvoer,
  type PrincipeVersie,
  type Wijziging,
  type Veld,
} from '../src/domain/principes';
import { isOpen, type Verdiepingszaak } from '../src/domain/zaak';
import { afdoeningTekst } from './besluit-samenvatting';
import { kort } from './duiding-samenvatting';
import { formatMoment, labels } from './format';
import template from './principe-stap.json';
import { render } from './render';
import { plainText } from './text';

type Choice = { title: string; value: string };

/** Versions shown in the history, newest first; the card must stay small. */
const HISTORIE_MAX = 10;
/** The latest versions show what they changed, each at most WIJZIGINGEN_MAX lines: the card stays under 28 KB. */
const HISTORIE_DETAIL = 3;
const WIJZIGINGEN_MAX = 5;

function wijzigingRegels(wijzigingen: readonly Wijziging[]): { tekst: string }[] {
  const regels = wijzigingen.slice(0, WIJZIGINGEN_MAX).map((w) => ({ tekst: `${plainText(w.veld)}: ${plainText(w.oud)} → ${plainText(w.nieuw)}` }));
  const meer = wijzigingen.length - WIJZIGINGEN_MAX;
  return meer > 0 ? [...regels, { tekst: `en nog ${meer} ${meer === 1 ? 'wijziging' : 'wijzigingen'}` }] : regels;
}

export interface PrincipeStapVeld {
  id: string;
  soort: Veld['soort'];
  label: string;
  value: string;
  error: string;
  max: number;
  meerdereRegels: boolean;
  placeholder: string;
  choices: Choice[];
}

export interface PrincipeStapData {
  caseId: string;
  reference: string;
  stap: number;
  aantal: number;
  titel: string;
  status: string;
  /** The step's version the form shows; a save on an older version is a conflict. */
  basisVersie: number;
  gesloten: boolean;
  melding: string;
  vragen: { tekst: string }[];
  toelichting: string;
  stapFout: string;
  groepen: { titel: string; velden: PrincipeStapVeld[] }[];
  nvt: 'true' | 'false';
  reden: string;
  redenMax: number;
  redenFout: string;
  historie: { titel: string; tekst: string; wijzigingen: { tekst: string }[] }[];
  /** On a repeat case (step 6): what was concluded and decided on the earlier case. */
  eerder: { titel: string; feiten: { titel: string; tekst: string }[] };
  heeftEerder: boolean;
}

/** The current answers of a step as form input (what the form is prefilled with). */
export function huidigeInvoer(zaak: Verdiepingszaak, stap: number): PrincipeInvoer {
  const stand = zaak.principes[stap];
  // Step 1 starts from the signaal typed when the case was flagged.
  const start: Record<string, string> = !stand && stap === 1 ? { zorgen: zaak.signaal } : {};
  return { nvt: stand?.status === 'nvt', reden: stand?.reden ?? '', antwoorden: { ...start, ...(stand?.antwoorden ?? {}) } };
}

export interface StapFormOpties {
  errors?: FieldErrors;
  /** A notice at the top (a refusal or conflict). */
  melding?: string;
  /** The step's version the form is based on; the current one unless a conflict says otherwise. */
  basisVersie?: number;
  /** The earlier case this one repeats, for step 6 (only for those who may see this case's content). */
  eerder?: Verdiepingszaak;
}

/** The earlier case's latest duiding and besluit, short, as facts. */
function eerderFeiten(eerder: Verdiepingszaak): { titel: string; tekst: string }[] {
  const duiding = eerder.duidingen.at(-1);
  const b = eerder.besluit;
  return [
    ...(duiding
      ? [
          { titel: 'Hypothesen', tekst: plainText(kort(duiding.hypothesen.join('; '))) },
          ...(duiding.patronen.length ? [{ titel: 'Patronen', tekst: labels(PATRONEN, duiding.patronen) }] : []),
        ]
      : [{ titel: 'Duiding', tekst: 'Geen duiding vastgelegd' }]),
    ...(b
      ? [
          { titel: 'Besluit', tekst: afdoeningTekst(b) },
          { titel: 'Zorg', tekst: plainText(kort(b.zorg, 200)) },
          ...(b.doelen.length ? [{ titel: 'Doelen', tekst: plainText(kort(b.doelen.map((d) => d.wat).join('; '))) }] : []),
        ]
      : [{ titel: 'Besluit', tekst: 'Geen besluit vastgelegd' }]),
  ];
}

/** The form of one leidende principe: its questions as guidance, its fields, n.v.t. with a reason, the history. */
export function principeStapCard(zaak: Verdiepingszaak, stap: number, invoer: PrincipeInvoer, historie: PrincipeVersie[], timeZone: string, opties: StapFormOpties = {}) {
  const formulier = stapFormulier(stap);
  if (!formulier) throw new Error(`unknown principe ${stap}`);
  const errors = opties.errors ?? {};
  const stand = zaak.principes[stap];

  const groepen: PrincipeStapData['groepen'] = [];
  const velden = gevraagdeVelden(formulier, zaak);
  // "Algemeen" only sets the general fields apart from fields per person.
  const perPersoon = velden.some((v) => v.betrokkene !== undefined);
  for (const gevraagd of velden) {
    const titel = gevraagd.betrokkene === undefined ? (perPersoon ? 'Algemeen' : '') : betrokkeneLabel(zaak, gevraagd.betrokkene);
    let groep = groepen.at(-1);
    if (!groep || groep.titel !== titel) groepen.push((groep = { titel, velden: [] }));
    const { veld, key } = gevraagd;
    groep.velden.push({
      id: `${INPUT_PREFIX}${key}`,
      soort: veld.soort,
      label: veld.label,
      value: invoer.antwoorden[key] ?? '',
      error: errors[key] ?? '',
      max: veld.soort === 'tekst' ? veld.max : 0,
      meerdereRegels: veld.soort === 'tekst' && veld.meerdereRegels,
      placeholder: veld.soort === 'tekst' ? (veld.placeholder ?? '') : '',
      choices: veld.soort === 'keuze' || veld.soort === 'meerkeuze' ? choices(veld.opties) : [],
    });
  }

  const status = !stand ? 'open' : stand.status === 'nvt' ? `niet van toepassing (versie ${stand.versie})` : `ingevuld (versie ${stand.versie})`;
  return render<PrincipeStapData>(template, {
    caseId: zaak.id,
    reference: zaak.reference,
    stap,
    aantal: STAPPEN.length,
    titel: formulier.principe.titel,
    status: `stap ${status}`,
    basisVersie: opties.basisVersie ?? stand?.versie ?? 0,
    gesloten: !isOpen(zaak),
    melding: opties.melding ? plainText(opties.melding) : '',
    vragen: formulier.principe.vragen.map((tekst) => ({ tekst })),
    toelichting: formulier.toelichting ?? '',
    stapFout: errors.stap ?? '',
    groepen,
    nvt: invoer.nvt ? 'true' : 'false',
    reden: invoer.reden,
    redenMax: REDEN_MAX,
    redenFout: errors[NVT_REDEN_FOUT] ?? '',
    historie: [
      ...[...historie].reverse().slice(0, HISTORIE_MAX).map((v, i) => ({
        titel: `Versie ${v.versie}`,
        tekst: `${v.status === 'nvt' ? 'niet van toepassing' : 'ingevuld'} door ${plainText(v.door.name)}, ${formatMoment(v.op, timeZone)}`,
        wijzigingen: i < HISTORIE_DETAIL ? wijzigingRegels(v.wijzigingen) : [],
      })),
      ...(historie.length > HISTORIE_MAX ? [{ titel: 'Eerder', tekst: `nog ${historie.length - HISTORIE_MAX} oudere versies`, wijzigingen: [] }] : []),
    ],
    eerder: opties.eerder ? { titel: `Eerdere zaak ${opties.eerder.reference}: wat we toen dachten en besloten`, feiten: eerderFeiten(opties.eerder) } : { titel: '', feiten: [] },
    heeftEerder: !!opties.eerder,
  });
}
