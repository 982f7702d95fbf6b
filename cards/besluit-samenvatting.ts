import { interventieNaam, PARTNERS, partnerKort, STRAFAFDOENINGEN, VRIJHEIDSBENEMING, TIJDSTRATEGIEEN } from '../src/domain/catalogue';
import { besluitKeten, openEigenaren } from '../src/domain/besluit';
import { metHoofdletter } from '../src/domain/woorden';
import type { Besluit, Interventie, Lid, Verdiepingszaak } from '../src/domain/zaak';
import template from './besluit-samenvatting.json';
import { formatDatum, formatMoment } from './format';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';

export interface BesluitSamenvattingData {
  titel: string;
  door: string;
  op: string;
  /** `<at>Name</at>` of each action owner, once each (their mention entities go with the card). */
  eigenaren: string;
  vrijheidsbeneming: string;
  strafrechtelijk: string;
  interventies: { tekst: string }[];
  zorg: string;
  waaromMix: string;
  tijdstrategie: string;
  plandatum: string;
  monitoring: string;
  doelen: { tekst: string }[];
  acties: { datum: string; tekst: string }[];
  /** false: only the title, where the form was (the full summary is posted in the thread). */
  volledig: boolean;
}

/** "di 27 okt 2026" for a yyyy-mm-dd date. */
export const formatDag = formatDatum;

type KetenVelden = Pick<Besluit, 'vrijheidsbeneming' | 'strafrechtelijk' | 'interventies' | 'afdoening' | 'afdoeningAnders' | 'plandatum'>;

/** The strafrechtelijke afdoening with its voorwaarden, or what "anders" is. */
export function strafTekst(besluit: KetenVelden): string {
  const { afdoening, toelichting } = besluitKeten(besluit).strafrechtelijk;
  if (!toelichting) return STRAFAFDOENINGEN[afdoening];
  return afdoening === 'anders' ? plainText(toelichting) : `${STRAFAFDOENINGEN[afdoening]}: ${plainText(toelichting)}`;
}

/** "Contactverbod (OM)"; an "anders" by its description. */
export function interventieTekst(i: Interventie): string {
  if (i.soort === 'anders' && i.toelichting) return `${plainText(i.toelichting)} (${partnerKort(i.organisatie)})`;
  return `${interventieNaam(i.soort, i.organisatie)}${i.toelichting ? `: ${plainText(i.toelichting)}` : ''}`;
}

/**
 * The besluit in one line: vrijheidsbeneming (when there is one), the strafrechtelijke afdoening
 * and the number of interventions. `metTekst` false: catalogue labels only, no typed text.
 */
export function afdoeningTekst(besluit: KetenVelden, metTekst = true): string {
  const k = besluitKeten(besluit);
  const straf = k.strafrechtelijk.afdoening === 'nog_te_bepalen' ? 'afdoening nog te bepalen' : metTekst ? strafTekst(besluit) : STRAFAFDOENINGEN[k.strafrechtelijk.afdoening];
  const n = k.interventies.length;
  const delen = [
    ...(k.vrijheidsbeneming && k.vrijheidsbeneming !== 'nvt' ? [VRIJHEIDSBENEMING[k.vrijheidsbeneming]] : []),
    straf,
    ...(n > 0 ? [`${n} ${n === 1 ? 'interventie' : 'interventies'}`] : []),
  ].join(', ');
  return metHoofdletter(delen);
}

export function doelTekst(d: Besluit['doelen'][number]): string {
  const wie = d.voorWie ? ` — voor ${plainText(d.voorWie)}` : '';
  const wanneer = d.wanneer ? `, uiterlijk ${formatDag(d.wanneer)}` : '';
  return `${plainText(d.wat)}${wie}${wanneer}${d.algemeenBevestigd ? ' (bewust algemeen gehouden)' : ''}`;
}

/**
 * The besluit as shown to the people on the case: each owner of an open action is @mentioned once
 * (returned as `mentions`, for withMentions), the actions list their owners by name.
 */
export function besluitSamenvattingCard(zaak: Verdiepingszaak, besluit: Besluit, timeZone: string, volledig = true): { card: AdaptiveCard; mentions: Lid[] } {
  const mentions = !volledig ? [] : openEigenaren(besluit);
  const keten = besluitKeten(besluit);
  const card = render<BesluitSamenvattingData>(template, {
    titel: keten.uitgesteld ? `Besluit ${zaak.reference} uitgesteld` : besluit.versie === 1 ? `Besluit ${zaak.reference} vastgelegd` : `Besluit ${zaak.reference} herzien (versie ${besluit.versie})`,
    door: plainText(besluit.door.name),
    op: formatMoment(besluit.op, timeZone),
    eigenaren: mentions.map((l) => `<at>${l.name}</at>`).join(', '),
    vrijheidsbeneming: keten.vrijheidsbeneming ? VRIJHEIDSBENEMING[keten.vrijheidsbeneming] : '',
    strafrechtelijk: strafTekst(besluit),
    interventies: keten.interventies.map((i) => ({ tekst: interventieTekst(i) })),
    zorg: plainText(besluit.zorg),
    waaromMix: plainText(besluit.waaromMix),
    tijdstrategie: `${TIJDSTRATEGIEEN[besluit.tijdstrategie.keuze]}${besluit.tijdstrategie.reden ? `: ${plainText(besluit.tijdstrategie.reden)}` : ''}`,
    plandatum: besluit.plandatum ? `${formatMoment(besluit.plandatum.op, timeZone)} — ${plainText(besluit.plandatum.reden)}` : '',
    monitoring: besluit.monitoring.map(formatDag).join(', '),
    doelen: besluit.doelen.map((d) => ({ tekst: doelTekst(d) })),
    acties: besluit.acties.map((a) => ({ datum: formatDag(a.datum), tekst: `${plainText(a.wat)} (${a.organisatie ? `${PARTNERS[a.organisatie]}, verantwoordelijk: ` : ''}${plainText(a.eigenaar.name)})${a.status === 'open' ? '' : ` — ${a.status}`}` })),
    volledig,
  });
  return { card, mentions };
}
