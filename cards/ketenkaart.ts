import { naamMetOrganisatie } from '../src/domain/woorden';
import { AFWIJZINGEN, laatsteReactie } from '../src/domain/uitvraag';
import { FASEN, INSTRUMENTEN, LEEFTIJDEN, PARTNERS, PATRONEN, PRINCIPES, STOPREDENEN, VRIJHEIDSBENEMING, ZAAKTYPES, TIJDSTRATEGIEEN } from '../src/domain/catalogue';
import { besluitKeten } from '../src/domain/besluit';
import { VEILIGHEID } from '../src/domain/duiding';
import type { JobKind, JobStatus, ScheduledJob } from '../src/domain/jobs';
import { betrokkeneLabel, elders, gevraagdeVelden, rollenLabel, stapFormulier } from '../src/domain/principes';
import type { Opvolgkaartsoort, Uitvraag, Verdiepingszaak, ZaakEvent } from '../src/domain/zaak';
import { afdoeningTekst, doelTekst, formatDag, interventieTekst, strafTekst } from './besluit-samenvatting';
import template from './ketenkaart.json';
import { formatMoment, labels } from './format';
import { kaartBytes, render, type AdaptiveCard } from './render';
import { plainText } from './text';

export interface KetenkaartItem {
  kop: string;
  tekst: string;
}

export interface KetenkaartSectie {
  id: string;
  titel: string;
  aantal: string;
  zichtbaar: boolean;
  items: KetenkaartItem[];
}

export interface KetenkaartData {
  titel: string;
  ondertitel: string;
  secties: KetenkaartSectie[];
}

/** Teams' practical card limit; each message stays below the budget, which leaves room for the envelope. */
export const KAART_MAX_BYTES = 28 * 1024;
export const KAART_BUDGET_BYTES = 26 * 1024;
const ITEM_MAX = 1500;

const JOB_SOORT: Record<JobKind, string> = {
  'uitvraag.herinnering': 'Herinnering aan een vraag',
  'uitvraag.verlopen': 'Vraag verlopen',
  'uitvraag.kaart': 'Vraagkaart in het zaakgesprek',
  'actie.vervaldatum': 'Actie: vervaldatum',
  monitoring: 'Monitoring',
  plandatum: 'Plandatum (uitgesteld besluit)',
  digest: 'Overzicht',
  wissing: 'Berichten verwijderen na de bewaartermijn',
  antwoord: 'Antwoord dat Teams later aannam',
  melding: 'Melding in het zaakgesprek',
  zaakgesprek: 'Zaakgesprek openen',
};

const OPVOLGKAART: Record<Opvolgkaartsoort, string> = {
  herinnering: 'Herinnering aan een vraag',
  verlopen: 'Melding dat een vraag niet voor de deadline is beantwoord',
  actie: 'Vraag over een actie op datum',
  monitoring: 'Monitoringvraag',
  plandatum: 'Melding dat de plandatum is bereikt',
};

const JOB_STATUS: Record<JobStatus, string> = {
  gepland: 'gepland',
  geclaimd: 'bezig',
  verzonden: 'verstuurd',
  mislukt: 'mislukt',
  vervallen: 'vervallen',
};

const ACTIE_STATUS = { open: 'open', gereed: 'gereed', vervallen: 'vervallen' } as const;

const VERBORGEN = 'alleen zichtbaar voor de partner, de casusregisseur en de officieren';

function kort(tekst: string, max = ITEM_MAX): string {
  return tekst.length <= max ? tekst : `${tekst.slice(0, max - 1)}…`;
}

/** User text for a card: shortened, then escaped. */
function t(tekst: string | undefined, max = ITEM_MAX): string {
  return plainText(kort((tekst ?? '').trim(), max));
}

function item(kop: string, tekst: string): KetenkaartItem {
  return { kop, tekst: tekst || '—' };
}

function sectie(id: string, titel: string, items: KetenkaartItem[], aantal = '', zichtbaar = false): KetenkaartSectie {
  return { id: `ketenkaart-${id}`, titel, aantal, zichtbaar, items: items.length ? items : [item('', 'Nog niets vastgelegd.')] };
}

/** The response a question stands on, as the ketenkaart writes it; undefined while there is none. */
function reactieTekst(u: Uitvraag): string | undefined {
  const laatste = laatsteReactie(u);
  if (laatste === 'antwoord' && u.antwoord) return `Antwoord: ${t(u.antwoord.tekst, 800)}${u.antwoord.bron ? ` (bron: ${t(u.antwoord.bron, 200)})` : ''}${u.antwoord.duiding ? `\n\nDuiding vanuit ${PARTNERS[u.organisatie]}: ${t(u.antwoord.duiding, 600)}` : ''}`;
  if (laatste === 'afwijzing' && u.afwijzing) return `Niet beantwoord (${AFWIJZINGEN[u.afwijzing.soort].toLocaleLowerCase('nl')}): ${t(u.afwijzing.reden, 400)}`;
  return undefined;
}

function tel(n: number, een: string, meer: string): string {
  return `${n} ${n === 1 ? een : meer}`;
}

function gebeurtenis(e: ZaakEvent): string {
  switch (e.type) {
    case 'zaak.gemarkeerd':
      return 'Gemarkeerd voor verdieping';
    case 'zaak.thread_geopend':
      return 'Zaakgesprek geopend';
    case 'zaak.fase_gewijzigd':
      return `Fase ${FASEN[e.data.van]} → ${FASEN[e.data.naar]}`;
    case 'zaak.verdiepingskaart_geplaatst':
      return 'Verdiepingskaart geplaatst';
    case 'zaak.casusregie_overgedragen':
      return `Casusregisseur nu: ${plainText(e.data.naar.name)}`;
    case 'principe.vastgelegd':
      return `Stap ${e.data.stap} ${e.data.status === 'nvt' ? 'niet van toepassing' : 'vastgelegd'}`;
    case 'uitvraag.verstuurd':
      return `Vraag aan ${plainText(naamMetOrganisatie(e.data.invitee.name, PARTNERS[e.data.organisatie]))}`;
    case 'uitvraag.kaart_geplaatst':
      return 'Vraag geplaatst in het zaakgesprek';
    case 'uitvraag.beantwoord':
      return 'Vraag beantwoord';
    case 'uitvraag.afgewezen':
      return 'Vraag niet beantwoord';
    case 'uitvraag.ingetrokken':
      return 'Vraag ingetrokken';
    case 'duiding.vastgelegd':
      return 'Duiding vastgelegd';
    case 'besluit.vastgelegd':
      return `Besluit vastgelegd: ${afdoeningTekst(e.data, false)}`;
    case 'actie.bijgewerkt':
      return `Actie ${ACTIE_STATUS[e.data.status]}${e.data.datum ? `, nieuwe datum ${formatDag(e.data.datum)}` : ''}`;
    case 'monitoring.vastgelegd':
      return 'Monitoring vastgelegd';
    case 'zaak.gesloten':
      return 'Zaak gesloten';
    case 'zaak.heropend':
      return 'Zaak heropend';
    case 'toegang.gevraagd':
      return `Toegang gevraagd door ${plainText(e.data.lid.name)}`;
    case 'toegang.verleend':
      return `Toegang verleend aan ${plainText(e.data.lid.name)}`;
    case 'toegang.geweigerd':
      return `Toegang geweigerd aan ${plainText(e.data.lid.name)}`;
    case 'toegang.ingetrokken':
      return `Toegang ingetrokken van ${plainText(e.data.lid.name)}`;
    case 'zaak.bericht_geplaatst':
      return 'Bericht geplaatst in het zaakgesprek';
    case 'opvolging.kaart_geplaatst':
      return `${OPVOLGKAART[e.data.soort]} geplaatst`;
    case 'leerregel.aangemaakt':
      return 'Leerregel aangemaakt';
  }
}

/**
 * The whole case record as sections: signal, betrokkenen (roles), principles, partners, duiding,
 * besluit, actions, follow-ups, closing, timeline. A partner's response the viewer may not read
 * (`zichtbaar`) shows only that there is one.
 */
export function ketenkaartSecties(zaak: Verdiepingszaak, events: readonly ZaakEvent[], jobs: readonly ScheduledJob[], timeZone: string, zichtbaar: (u: Uitvraag) => boolean): KetenkaartSectie[] {
  const m = (iso: string) => formatMoment(iso, timeZone);
  const secties: KetenkaartSectie[] = [];

  secties.push(
    sectie(
      'overzicht',
      'Overzicht en signaal',
      [
        item('Fase', FASEN[zaak.fase]),
        item('Zaaktype', labels(ZAAKTYPES, zaak.types)),
        item('Gemarkeerd', `${m(zaak.flaggedAt)} door ${plainText(zaak.flaggedBy.name)}`),
        item('Casusregisseur', plainText(zaak.lead.name)),
        ...(zaak.deadline ? [item('Deadline', m(zaak.deadline))] : []),
        item('Signaal / buikpijn', t(zaak.signaal)),
      ],
      '',
      true,
    ),
  );

  secties.push(
    sectie(
      'betrokkenen',
      'Betrokkenen',
      zaak.betrokkenen.map((b, i) => item(`Betrokkene ${i + 1}`, `${rollenLabel(b)}, ${LEEFTIJDEN[b.leeftijd]}`)),
      tel(zaak.betrokkenen.length, 'persoon', 'personen'),
    ),
  );

  const principes = PRINCIPES.map((p) => {
    const stand = zaak.principes[p.nummer];
    const kop = `Stap ${p.nummer}: ${p.titel}`;
    const via = elders(zaak, p.nummer);
    if (!stand) return item(kop, via ? `${via.wat} (${plainText(via.door.name)}, ${m(via.op)}).` : 'Nog niet bekeken.');
    const door = `${plainText(stand.door.name)}, ${m(stand.op)}, versie ${stand.versie}`;
    if (stand.status === 'nvt') return item(kop, `Niet van toepassing: ${t(stand.reden, 500)} (${door})`);
    const formulier = stapFormulier(p.nummer);
    const velden = formulier ? gevraagdeVelden(formulier, zaak) : [];
    const regels = Object.entries(stand.antwoorden)
      .filter(([, v]) => v.trim())
      .map(([key, waarde]) => {
        const gevraagd = velden.find((v) => v.key === key);
        const label = gevraagd ? `${gevraagd.veld.label}${gevraagd.betrokkene !== undefined ? ` (${betrokkeneLabel(zaak, gevraagd.betrokkene)})` : ''}` : key;
        const opties = gevraagd && 'opties' in gevraagd.veld ? gevraagd.veld.opties : undefined;
        const tekst = opties ? waarde.split(',').map((w) => opties[w.trim()] ?? w).join(', ') : waarde;
        return `${plainText(label)}: ${t(tekst, 600)}`;
      });
    return item(kop, `${regels.join('\n\n') || 'Ingevuld.'}\n\n${door}`);
  });
  secties.push(sectie('principes', 'Leidende principes', principes, `${Object.keys(zaak.principes).length} van ${PRINCIPES.length} bekeken`));

  secties.push(
    sectie(
      'partners',
      'Partners: gerichte contextinformatie',
      zaak.uitvragen.map((u) => {
        const kop = `${plainText(naamMetOrganisatie(u.invitee.name, PARTNERS[u.organisatie]))}, gevraagd ${m(u.gevraagdOp)}`;
        const vraag = `Vraag: ${t(u.vraag, 600)}\n\nWaarom: ${t(u.waarom, 400)}`;
        if (u.status === 'ingetrokken') {
          if (!zichtbaar(u) || !u.intrekking) return item(kop, `${vraag}\n\nIngetrokken; de reden is ${VERBORGEN}.`);
          const reactie = reactieTekst(u);
          return item(kop, `${vraag}\n\nIngetrokken door ${plainText(u.intrekking.door.name)}, ${m(u.intrekking.op)}: ${t(u.intrekking.reden, 400)}${reactie ? `\n\nDaarvoor gegeven: ${reactie}` : ''}`);
        }
        if (u.status !== 'open' && !zichtbaar(u)) return item(kop, `${vraag}\n\n${u.status === 'beantwoord' ? 'Beantwoord' : 'Niet beantwoord'} (${VERBORGEN}).`);
        return item(kop, `${vraag}\n\n${reactieTekst(u) ?? `Nog geen antwoord (deadline ${m(u.deadline)}).`}`);
      }),
      tel(zaak.uitvragen.length, 'vraag', 'vragen'),
    ),
  );

  secties.push(
    sectie(
      'duiding',
      'Duiding',
      [...zaak.duidingen].reverse().map((d) => {
        const regels = [
          `Hypothesen: ${d.hypothesen.map((h) => t(h, 500)).join(' | ')}`,
          `Patronen: ${[labels(PATRONEN, d.patronen), d.patroonAnders ? t(d.patroonAnders, 200) : ''].filter(Boolean).join(', ') || 'geen benoemd'}`,
          ...d.perspectieven.map((p) => `${PARTNERS[p.organisatie]}: ${t(p.tekst, 500)}`),
          ...(d.tegenstrijdigheden ? [`Tegenstrijdigheden: ${t(d.tegenstrijdigheden, 500)}`] : []),
          ...(d.instrumenten.length ? [`Instrumenten: ${d.instrumenten.map((i) => `${INSTRUMENTEN[i.instrument]}: ${t(i.uitkomst, 200)}`).join('; ')}`] : []),
          `Veiligheid: ${d.veiligheid.map((v) => `${betrokkeneLabel(zaak, v.betrokkene)} ${VEILIGHEID[v.nu].toLowerCase()} → ${VEILIGHEID[v.straks].toLowerCase()}`).join('; ')}`,
        ];
        return item(`Versie ${d.versie}, ${plainText(d.door.name)}, ${m(d.op)}`, regels.join('\n\n'));
      }),
      tel(zaak.duidingen.length, 'versie', 'versies'),
    ),
  );

  const b = zaak.besluit;
  const keten = b && besluitKeten(b);
  secties.push(
    sectie(
      'besluit',
      'Besluit',
      b
        ? [
            item(`Versie ${b.versie}, ${plainText(b.door.name)}, ${m(b.op)}`, afdoeningTekst(b)),
            ...(keten?.vrijheidsbeneming ? [item('Vrijheidsbeneming', VRIJHEIDSBENEMING[keten.vrijheidsbeneming])] : []),
            item('Strafrechtelijke afdoening', strafTekst(b)),
            ...(keten?.interventies ?? []).map((x, i) => item(`Interventie ${i + 1}`, interventieTekst(x))),
            item('Zorg', t(b.zorg)),
            item('Waarom deze mix van zorg en straf', t(b.waaromMix)),
            item('Spelen met tijd', `${TIJDSTRATEGIEEN[b.tijdstrategie.keuze]}${b.tijdstrategie.reden ? `: ${t(b.tijdstrategie.reden, 500)}` : ''}`),
            ...b.doelen.map((d, i) => item(`Doel ${i + 1}`, doelTekst(d))),
            ...(b.plandatum ? [item('Plandatum', `${m(b.plandatum.op)}: ${t(b.plandatum.reden, 500)}`)] : []),
            item('Monitoring', b.monitoring.map(formatDag).join(', ') || 'geen'),
          ]
        : [],
      b ? `versie ${b.versie}` : '',
    ),
  );

  secties.push(
    sectie(
      'acties',
      'Acties',
      (b?.acties ?? []).map((a) => item(`${formatDag(a.datum)} · ${a.organisatie ? `${PARTNERS[a.organisatie]} (verantwoordelijk: ${plainText(a.eigenaar.name)})` : plainText(a.eigenaar.name)} · ${ACTIE_STATUS[a.status]}`, `${t(a.wat, 600)}${a.toelichting ? `\n\n${t(a.toelichting, 400)}` : ''}`)),
      b ? `${b.acties.filter((a) => a.status === 'open').length} open van ${b.acties.length}` : '',
    ),
  );

  const opvolging = [
    ...zaak.monitoring.map((c) =>
      item(
        `Monitoring ${formatDag(c.datum)}, ${plainText(c.door.name)}`,
        `Hermelding: ${c.hermelding}${c.hermeldingWat ? ` (${t(c.hermeldingWat, 300)})` : ''}. Koers ${c.koersPassend ? 'passend' : 'niet meer passend'}.${c.toelichting ? ` ${t(c.toelichting, 500)}` : ''}`,
      ),
    ),
    ...[...jobs].sort((x, y) => x.dueAt.localeCompare(y.dueAt)).map((j) => item('', `${m(j.dueAt)} · ${JOB_SOORT[j.kind]} · ${JOB_STATUS[j.status]}`)),
  ];
  secties.push(sectie('opvolging', 'Opvolging', opvolging, tel(zaak.monitoring.length + jobs.length, 'moment', 'momenten')));

  if (zaak.afsluiting || zaak.heropeningen.length) {
    const a = zaak.afsluiting;
    secties.push(
      sectie('afsluiting', 'Afsluiting en leeropbrengst', [
        ...(a
          ? [
              item(`Gesloten ${m(a.op)} door ${plainText(a.door.name)}`, `${a.stopreden ? `Gestopt omdat: ${STOPREDENEN[a.stopreden]}. ` : ''}Uitkomst: ${t(a.uitkomst)}`),
              item('Leeropbrengst', t(a.leeropbrengst)),
              ...(a.vergelijking ? [item('Lijkt op / verschilt van', t(a.vergelijking))] : []),
            ]
          : []),
        ...zaak.heropeningen.map((h) => item(`Heropend ${m(h.op)} door ${plainText(h.door.name)}`, t(h.reden, 500))),
      ]),
    );
  }

  secties.push(
    sectie(
      'tijdlijn',
      'Tijdlijn',
      events.map((e) => item('', `${m(e.at)} · ${plainText(e.actor.name)} · ${gebeurtenis(e)}`)),
      tel(events.length, 'gebeurtenis', 'gebeurtenissen'),
    ),
  );
  return secties;
}

function kaart(titel: string, ondertitel: string, secties: KetenkaartSectie[]): AdaptiveCard {
  return render<KetenkaartData>(template, { titel, ondertitel, secties });
}

type Maat = (secties: KetenkaartSectie[]) => number;

/**
 * Packs sections into parts that each fit the budget: a section that fits whole goes whole, a
 * section too big for one card is continued on the next. `maat` gives the card size of a part.
 */
function pak(secties: readonly KetenkaartSectie[], budget: number, maat: Maat): KetenkaartSectie[][] {
  const delen: KetenkaartSectie[][] = [];
  let huidig: KetenkaartSectie[] = [];
  const sluit = () => {
    if (huidig.length) delen.push(huidig);
    huidig = [];
  };
  for (const s of secties) {
    if (maat([...huidig, s]) <= budget) {
      huidig.push(s);
      continue;
    }
    sluit();
    if (maat([s]) <= budget) {
      huidig.push(s);
      continue;
    }
    let stuk: KetenkaartSectie = { ...s, items: [] };
    for (const it of s.items) {
      const langer = { ...stuk, items: [...stuk.items, it] };
      if (stuk.items.length === 0 || maat([...huidig, langer]) <= budget) {
        stuk = langer;
        continue;
      }
      huidig.push(stuk);
      sluit();
      stuk = { ...s, titel: `${s.titel} (vervolg)`, items: [it] };
    }
    huidig.push(stuk);
  }
  sluit();
  return delen;
}

/**
 * The size of a part, computed from one render of the whole card: each section's and each item's
 * share is read from the rendered card (body = title, subtitle, then one container per section
 * whose second element holds the items). Undefined when the card does not have that shape.
 */
function snelleMaat(titel: string, ondertitel: string, secties: readonly KetenkaartSectie[]): Maat | undefined {
  const body = kaart(titel, ondertitel, [...secties]).body as { items?: { items?: object[] }[] }[];
  const elementen = body.slice(body.length - secties.length);
  if (elementen.length !== secties.length || elementen.some((el, i) => el.items?.[1]?.items?.length !== secties[i]!.items.length)) return undefined;
  const basis = kaartBytes(kaart(titel, ondertitel, []));
  const itemMaat = new Map<KetenkaartItem, number>();
  const schilMaat = new Map<string, number>();
  elementen.forEach((el, i) => {
    const sectie = secties[i]!;
    const items = el.items![1]!.items!;
    let som = 0;
    sectie.items.forEach((it, k) => {
      const m = kaartBytes(items[k]!) + 1;
      itemMaat.set(it, m);
      som += m;
    });
    // The empty shell, with room for " (vervolg)" in its title (which appears twice).
    schilMaat.set(sectie.id, kaartBytes(el) + 1 - som + 64);
  });
  return (deel) => deel.reduce((n, s) => n + (schilMaat.get(s.id) ?? 0) + s.items.reduce((m, it) => m + (itemMaat.get(it) ?? 0), 0), basis);
}

/** Splits the sections over as few cards as fit the budget, each card at most `budget` bytes. */
export function verdeel(titel: string, ondertitel: string, secties: readonly KetenkaartSectie[], budget = KAART_BUDGET_BYTES): AdaptiveCard[] {
  const langsteTitel = `${titel} (deel 99 van 99)`;
  const exact: Maat = (s) => kaartBytes(kaart(langsteTitel, ondertitel, s));
  const maak = (delen: KetenkaartSectie[][]) => delen.map((d, i) => kaart(delen.length > 1 ? `${titel} (deel ${i + 1} van ${delen.length})` : titel, ondertitel, d));
  const snel = snelleMaat(langsteTitel, ondertitel, secties);
  if (snel) {
    const kaarten = maak(pak(secties, budget, snel));
    if (kaarten.every((k) => kaartBytes(k) <= budget)) return kaarten;
  }
  return maak(pak(secties, budget, exact));
}

/** The ketenkaart of a case: the whole record in collapsible sections, as one or more cards. */
export function ketenkaartCards(zaak: Verdiepingszaak, events: readonly ZaakEvent[], jobs: readonly ScheduledJob[], timeZone: string, now: Date, zichtbaar: (u: Uitvraag) => boolean): AdaptiveCard[] {
  const ondertitel = `${FASEN[zaak.fase]} · casusregisseur ${plainText(zaak.lead.name)} · opgevraagd ${formatMoment(now.toISOString(), timeZone)}. Tik op een kop om die te openen.`;
  return verdeel(`Ketenkaart ${zaak.reference}`, ondertitel, ketenkaartSecties(zaak, events, jobs, timeZone, zichtbaar));
}
