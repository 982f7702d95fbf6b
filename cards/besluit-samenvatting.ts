import { AFDOENINGEN, PARTNERS } from '../src/domain/catalogue';
import { eigenaren, TIJDSTRATEGIEEN } from '../src/domain/besluit';
import type { Besluit, Lid, Verdiepingszaak } from '../src/domain/zaak';
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
  afdoening: string;
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

export function afdoeningTekst(besluit: Pick<Besluit, 'afdoening' | 'afdoeningAnders'>): string {
  return besluit.afdoening === 'anders' && besluit.afdoeningAnders ? plainText(besluit.afdoeningAnders) : AFDOENINGEN[besluit.afdoening];
}

export function doelTekst(d: Besluit['doelen'][number]): string {
  const wie = d.voorWie ? ` — voor ${plainText(d.voorWie)}` : '';
  const wanneer = d.wanneer ? `, uiterlijk ${formatDag(d.wanneer)}` : '';
  return `${plainText(d.wat)}${wie}${wanneer}${d.algemeenBevestigd ? ' (bewust algemeen gehouden)' : ''}`;
}

/**
 * The besluit as posted in the case thread: each action owner is @mentioned once (returned as
 * `mentions`, for withMentions), the actions list their owners by name.
 */
export function besluitSamenvattingCard(zaak: Verdiepingszaak, besluit: Besluit, timeZone: string, volledig = true): { card: AdaptiveCard; mentions: Lid[] } {
  const mentions = !volledig ? [] : eigenaren({ acties: besluit.acties.filter((a) => a.status === 'open') });
  const card = render<BesluitSamenvattingData>(template, {
    titel: besluit.afdoening === 'uitstel' ? `Besluit ${zaak.reference} uitgesteld` : besluit.versie === 1 ? `Besluit ${zaak.reference} vastgelegd` : `Besluit ${zaak.reference} herzien (versie ${besluit.versie})`,
    door: plainText(besluit.door.name),
    op: formatMoment(besluit.op, timeZone),
    eigenaren: mentions.map((l) => `<at>${l.name}</at>`).join(', '),
    afdoening: afdoeningTekst(besluit),
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
