import { FASEN, interventieNaam, PARTNERS, PATRONEN, STRAFAFDOENINGEN, ZAAKTYPES } from '../src/domain/catalogue';
import { vasteUitvoerder } from '../src/domain/besluit';
import type { OpvolgingSoort, WeekDigest } from '../src/domain/digest';
import type { CaseThread } from '../src/domain/zaak';
import { formatDag } from './besluit-samenvatting';
import template from './digest.json';
import { formatDays, formatMoment, labels, zaakLink } from './format';
import { kaartBytes, render, type AdaptiveCard } from './render';
import { plainText } from './text';

export interface DigestRegel {
  tekst: string;
}

export interface DigestSectie {
  kop: string;
  regels: DigestRegel[];
}

export interface DigestData {
  titel: string;
  ondertitel: string;
  secties: DigestSectie[];
}

/** Each message stays under this (Teams' practical limit for a card is 28 KB). */
export const DIGEST_BUDGET_BYTES = 26 * 1024;

const SOORT: Record<OpvolgingSoort, string> = { actie: 'Actie op datum', monitoring: 'Monitoring', plandatum: 'Plandatum (uitgesteld besluit)' };

export interface DigestOpties {
  /** The team's name, or undefined. */
  team?: string;
  timeZone: string;
  /** Deep link to a case thread ('' when there is none). */
  threadUrl: (thread: CaseThread | undefined) => string;
  /** "Weekoverzicht" for the scheduled digest, "Overzicht" on demand. */
  soort?: 'week' | 'opvraag';
}

function tel(n: number, een: string, meer: string): string {
  return `${n} ${n === 1 ? een : meer}`;
}

/** "Jeugd 5 · LVB 2": open cases per type, in the catalogue's order. */
function perType(d: WeekDigest): string {
  return (Object.keys(ZAAKTYPES) as (keyof typeof ZAAKTYPES)[]).flatMap((t) => (d.perType[t] ? [`${ZAAKTYPES[t]} ${d.perType[t]}`] : [])).join(' · ');
}

type Regels = (regels: DigestRegel[], leeg: string, aantal?: number) => DigestRegel[];

/** The verdiepingsoverleg's part: only the lists that hold cases, or one line when none do. References and dates only. */
function teBesprekenSecties(d: WeekDigest, link: (r: { reference: string; thread?: CaseThread }) => string, of: Regels): DigestSectie[] {
  const t = d.teBespreken;
  const n = t.aantallen;
  const kop = 'Te bespreken in het verdiepingsoverleg';
  const deel = (aantal: number, wat: string, regels: DigestRegel[]): DigestSectie[] => (aantal > 0 ? [{ kop: `${kop}: ${wat} (${aantal})`, regels: of(regels, '', aantal) }] : []);
  const delen = [
    ...deel(n.zonderDuiding, `nog geen duiding na ${formatDays(t.duidingDagen)}`, t.zonderDuiding.map((z) => ({ tekst: `${link(z)} · gemarkeerd ${formatDag(z.datum)} (${formatDays(z.dagen)} geleden)` }))),
    ...deel(n.onveilig, 'veiligheid onveilig', t.onveilig.map((z) => ({ tekst: `${link(z)} · in de duiding van ${formatDag(z.datum)}` }))),
    ...deel(n.nietPassend, 'koers niet passend', t.nietPassend.map((z) => ({ tekst: `${link(z)} · bij de monitoring van ${formatDag(z.datum)}` }))),
    ...deel(n.doelen, `doelen tot en met ${formatDag(d.periode.dezeWeekTot)}`, t.doelen.map((z) => ({ tekst: `${formatDag(z.datum)} · ${link(z)} · doel van het besluit` }))),
  ];
  return delen.length ? delen : [{ kop, regels: [{ tekst: `Niets: geen zaak zonder duiding na ${formatDays(t.duidingDagen)}, niets onveilig of niet passend, geen doelen deze week.` }] }];
}

/** The digest's sections: open cases per phase, then what needs attention, then what closed. */
export function digestSecties(d: WeekDigest, opties: DigestOpties): DigestSectie[] {
  const link = (r: { reference: string; thread?: CaseThread }) => zaakLink(r.reference, opties.threadUrl(r.thread));
  const of = (regels: DigestRegel[], leeg: string, aantal = regels.length, waar = '') =>
    !regels.length ? [{ tekst: leeg }] : aantal > regels.length ? [...regels, { tekst: `en ${aantal - regels.length} meer${waar}` }] : regels;
  const secties: DigestSectie[] = d.perFase.map((g) => ({
    kop: `${FASEN[g.fase]} (${g.aantal})`,
    regels: of(
      g.zaken.map((z) => ({ tekst: `${link(z)} · ${labels(ZAAKTYPES, z.types)} · ${formatDays(z.leeftijdDagen)} oud` })),
      '',
      g.aantal,
      ': `zaken`',
    ),
  }));
  if (d.aantalOpen > 0) secties.push(...teBesprekenSecties(d, link, of));
  if (d.aantalOpen > 0) {
    secties.push(
      {
        kop: `Vragen na de deadline nog open (${d.aantallen.verlopenVragen})`,
        regels: of(
          d.verlopenVragen.map((v) => ({ tekst: `${link(v)} · ${PARTNERS[v.organisatie]} · deadline ${formatMoment(v.deadline, opties.timeZone)}${v.dagenVerlopen > 0 ? ` (${formatDays(v.dagenVerlopen)} geleden)` : ''}` })),
          'Geen: alle vragen zijn beantwoord of lopen nog.',
          d.aantallen.verlopenVragen,
        ),
      },
      {
        kop: `Acties na de geplande datum nog open (${d.aantallen.achterstalligeActies})`,
        regels: of(
          d.achterstalligeActies.map((a) => ({ tekst: `${link(a)} · actie van ${formatDag(a.datum)} · ${formatDays(a.dagenTeLaat)} te laat` })),
          'Geen.',
          d.aantallen.achterstalligeActies,
        ),
      },
      {
        kop: `Opvolging tot en met ${formatDag(d.periode.dezeWeekTot)} (${d.aantallen.dezeWeek})`,
        regels: of(
          d.dezeWeek.map((o) => ({ tekst: `${formatDag(o.datum)} · ${link(o)} · ${SOORT[o.soort]}` })),
          'Niets gepland.',
          d.aantallen.dezeWeek,
        ),
      },
    );
  }
  if (d.aantalOpen > 0 || d.geslotenVorigeWeek.length > 0) {
    secties.push({
      kop: `Gesloten van ${formatDag(d.periode.vorigeWeekVan)} tot en met ${formatDag(d.periode.vorigeWeekTot)} (${d.aantallen.geslotenVorigeWeek})`,
      regels: of(
        d.geslotenVorigeWeek.map((g) => ({ tekst: `${link(g)} · gesloten ${formatDag(g.gesloten)} · leeropbrengst in het zaakgesprek` })),
        'Geen zaken gesloten.',
        d.aantallen.geslotenVorigeWeek,
      ),
    });
  }
  if (d.aantalOpen > 0) {
    secties.push(
      {
        kop: `Patronen sinds ${formatDag(d.periode.patronenVanaf)}`,
        regels: of(
          d.patronen.map((p) => ({ tekst: `${p.patroon === 'anders' ? 'Ander patroon' : PATRONEN[p.patroon]}: ${tel(p.aantal, 'zaak', 'zaken')}` })),
          'Geen duiding vastgelegd.',
        ),
      },
      {
        kop: `Besluiten sinds ${formatDag(d.periode.patronenVanaf)}`,
        regels: of(
          [
            ...d.besluiten.afdoeningen.map((a) => ({ tekst: `${STRAFAFDOENINGEN[a.afdoening]}: ${tel(a.aantal, 'zaak', 'zaken')}` })),
            ...d.besluiten.interventies.map((i) => ({ tekst: `${i.soort === 'anders' ? 'Andere interventie' : interventieNaam(i.soort, vasteUitvoerder(i.soort))}: ${tel(i.aantal, 'zaak', 'zaken')}` })),
          ],
          'Geen besluit vastgelegd.',
        ),
      },
      {
        kop: `Partners die meeduidden sinds ${formatDag(d.periode.patronenVanaf)}`,
        regels: of(
          d.partnerduidingen.map((p) => ({ tekst: `${PARTNERS[p.organisatie]}: ${tel(p.aantal, 'zaak', 'zaken')}` })),
          'Geen partner gaf bij een antwoord een eigen duiding.',
        ),
      },
      { kop: `Hermeldingen sinds ${formatDag(d.periode.patronenVanaf)}`, regels: [{ tekst: d.hermeldingen === 0 ? 'Geen hermelding of recidive gemeld.' : `${tel(d.hermeldingen, 'hermelding of recidive', 'hermeldingen of recidive')} gemeld bij de monitoring.` }] },
    );
  }
  return secties;
}

function kaart(titel: string, ondertitel: string, secties: DigestSectie[]): AdaptiveCard {
  return render<DigestData>(template, { titel, ondertitel, secties });
}

/** What a section and each of its lines cost in the rendered card, measured once. */
function maten(titel: string, ondertitel: string, secties: readonly DigestSectie[]): { basis: number; schil: number[]; regel: number[][] } {
  const basis = kaartBytes(kaart(titel, ondertitel, []));
  const body = kaart(titel, ondertitel, [...secties]).body as { items: [unknown, { items: object[] }] }[];
  const elementen = body.slice(body.length - secties.length);
  const regel = elementen.map((el) => el.items[1].items.map((r) => kaartBytes(r) + 1));
  const schil = elementen.map((el, i) => kaartBytes(el) + 1 - regel[i]!.reduce((a, b) => a + b, 0) + 32);
  return { basis, schil, regel };
}

/** Packs the sections over as few parts as fit the budget, splitting a long section by its lines. */
function verdeel(titel: string, ondertitel: string, secties: readonly DigestSectie[], budget: number): DigestSectie[][] {
  const { basis, schil, regel } = maten(titel, ondertitel, secties);
  const delen: DigestSectie[][] = [];
  let huidig: DigestSectie[] = [];
  let grootte = basis;
  const sluit = () => {
    if (huidig.length) delen.push(huidig);
    huidig = [];
    grootte = basis;
  };
  secties.forEach((s, i) => {
    const heel = schil[i]! + regel[i]!.reduce((a, b) => a + b, 0);
    if (grootte + heel <= budget) {
      huidig.push(s);
      grootte += heel;
      return;
    }
    if (huidig.length && basis + heel <= budget) {
      sluit();
      huidig.push(s);
      grootte += heel;
      return;
    }
    let stuk: DigestSectie = { kop: s.kop, regels: [] };
    grootte += schil[i]!;
    s.regels.forEach((r, k) => {
      const m = regel[i]![k]!;
      if (stuk.regels.length > 0 && grootte + m > budget) {
        huidig.push(stuk);
        sluit();
        stuk = { kop: `${s.kop} (vervolg)`, regels: [] };
        grootte += schil[i]!;
      }
      stuk.regels.push(r);
      grootte += m;
    });
    huidig.push(stuk);
  });
  sluit();
  return delen;
}

/**
 * The digest as one or more cards, each under Teams' size limit ("deel 1 van 2" when split).
 * A team without open cases gets one short card that says so.
 */
export function digestCards(d: WeekDigest, opties: DigestOpties, budget = DIGEST_BUDGET_BYTES): AdaptiveCard[] {
  const wat = opties.soort === 'opvraag' ? 'Overzicht' : 'Weekoverzicht';
  const titel = `${wat} verdiepingszaken${opties.team ? ` · ${plainText(opties.team)}` : ''}`;
  const ondertitel =
    d.aantalOpen === 0
      ? `Geen open verdiepingszaken (${formatDag(d.vandaag)}).`
      : `${tel(d.aantalOpen, 'open verdiepingszaak', 'open verdiepingszaken')} op ${formatDag(d.vandaag)} (${perType(d)}). Zaaknummers, rollen, typen en aantallen; geen persoonsgegevens.`;
  const secties = digestSecties(d, opties);
  const heel = kaart(titel, ondertitel, secties);
  if (kaartBytes(heel) <= budget) return [heel];
  for (let marge = 0; marge < 4; marge++) {
    const delen = verdeel(`${titel} (deel 99 van 99)`, ondertitel, secties, budget - marge * 1024);
    const kaarten = delen.map((deel, i) => kaart(`${titel} (deel ${i + 1} van ${delen.length})`, i === 0 ? ondertitel : `Vervolg van het ${wat.toLowerCase()}.`, deel));
    if (kaarten.every((k) => kaartBytes(k) <= budget)) return kaarten;
  }
  throw new Error('digest does not fit the card budget');
}
