import * as ACData from 'adaptivecards-templating';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { afsluitingFormCard, afsluitingSamenvattingCard, heropenenFormCard } from '../cards/afsluiting-form';
import { beperktCard, metBeperkt } from '../cards/beperkt';
import { besluitFormCard } from '../cards/besluit-form';
import { besluitSamenvattingCard } from '../cards/besluit-samenvatting';
import { caseCard } from '../cards/case-card';
import { berichtCard } from '../cards/bericht';
import { caseListCard, MAX_IN_LIJST } from '../cards/case-list';
import { casusregieCard } from '../cards/casusregie';
import { digestCards } from '../cards/digest';
import { duidingFormCard } from '../cards/duiding-form';
import { duidingSamenvattingCard } from '../cards/duiding-samenvatting';
import { duidingWaarschuwingCard } from '../cards/duiding-waarschuwing';
import { flagConfirmationCard } from '../cards/flag-confirmation';
import { verwijderdCard } from '../cards/verwijderd';
import { emptyMarkering, flagFormCard } from '../cards/flag-form';
import { helpCard, welcomeCard } from '../cards/help';
import { inzageCard } from '../cards/inzage';
import { ketenkaartCards } from '../cards/ketenkaart';
import { leerbeeldCard } from '../cards/leerbeeld';
import { mijnActiesCard } from '../cards/mijn-acties';
import { persoonlijkCard } from '../cards/persoonlijk';
import { actieCard, afsluitenVoorstelCard, at, duidingHeropendCard, herinneringCard, misluktCard, monitoringCard, plandatumCard, verlopenCard } from '../cards/opvolging';
import { huidigeInvoer, principeStapCard } from '../cards/principe-stap';
import { kaartBytes, type AdaptiveCard } from '../cards/render';
import { uitvraagNieuwAfgerond, uitvraagNieuwCard } from '../cards/uitvraag-nieuw';
import { toegangVerzoekCard } from '../cards/toegang-verzoek';
import { huidigeReactie, uitvraagPromptCard } from '../cards/uitvraag-prompt';
import { verdiepingskaartCard } from '../cards/verdiepingskaart';
import { zaakMeldingCard } from '../cards/zaak-melding';
import { WOORDEN } from '../src/domain/woorden';
import { Verb } from '../src/verbs';
import { TEKST_MAX as AFSLUITING_MAX } from '../src/domain/afsluiting';
import { BESLUIT_MAX, besluitVoorstel, MAX_ACTIES, MAX_DOELEN, MAX_MONITORING } from '../src/domain/besluit';
import type { Betrokkene } from '../src/domain/zaak';
import { DUIDING_MAX, duidingVoorstel, MAX_HYPOTHESEN, MAX_INSTRUMENTEN, MAX_PERSPECTIEVEN, overslaanWaarschuwing, stappenTekst } from '../src/domain/duiding';
import { weekDigest } from '../src/domain/digest';
import { leerbeeld, leesPeriode, type Periode } from '../src/domain/leerbeeld';
import type { Leerregel } from '../src/domain/leerregel';
import { lijktOp } from '../src/domain/lijkt-op';
import { AFDOENINGEN, INTERVENTIES, PATRONEN, type Afdoening, type Interventiesoort, type Patroon } from '../src/domain/catalogue';
import { newJob, type ScheduledJob } from '../src/domain/jobs';
import { herhaalMarkering, MAX_BETROKKENEN, SIGNAAL_MAX } from '../src/domain/markering';
import { SKN_MESSAGE } from '../src/domain/privacy';
import { TOELICHTING_MAX } from '../src/domain/opvolging';
import { principeHistorie, STAPPEN } from '../src/domain/principes';
import { ANTWOORD_MAX, BRON_MAX, VRAAG_MAX, WAAROM_MAX } from '../src/domain/uitvraag';
import { record, type Actor, type Lid, type NewZaakEvent, type Verdiepingszaak, type ZaakEvent } from '../src/domain/zaak';
import { CARD_MAX_BYTES, cardBytes, cardProblems, chartProblems, chartsIn, metFallbacks } from './support/card-schema';
import { woordProblemen, zichtbareTeksten } from './support/woorden';

/**
 * Every card template in cards/ is rendered through its typed builder with realistic data (the
 * example cases of domain.md) and with worst-case data (the limits the domain allows), and every
 * rendered card is checked the way a client would read it: the official Adaptive Cards object
 * model (`adaptivecards`) at version 1.5, no template expression left, under Teams' size limit.
 */

// Which template each render used, so a sample proves which template it covers.
const rendered = vi.hoisted(() => ({ templates: [] as object[], calls: [] as { template: object; data: object; json: string }[] }));
vi.mock('../cards/render', async (importOriginal) => {
  const original = await importOriginal<typeof import('../cards/render')>();
  return {
    ...original,
    render: (template: object, data: object) => {
      rendered.templates.push(template);
      const card = original.render(template, data);
      rendered.calls.push({ template, data, json: JSON.stringify(card) });
      return card;
    },
  };
});

const CARDS_DIR = join(__dirname, '..', 'cards');
const TEMPLATE_NAMES = readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();
const templateName = new Map(TEMPLATE_NAMES.map((name) => [JSON.stringify(JSON.parse(readFileSync(join(CARDS_DIR, `${name}.json`), 'utf8'))), name]));

/** Keys a template leaves behind when the templating engine did not consume them ($data, $when, ...). */
function templateKeys(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => templateKeys(n, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => [...(key.startsWith('$') && key !== '$schema' ? [`${path}.${key}`] : []), ...templateKeys(value, `${path}.${key}`)]);
}

function* textsOf(node: unknown): Generator<string> {
  if (Array.isArray(node)) for (const n of node) yield* textsOf(n);
  else if (node && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') yield n.text;
    if (n.type === 'TextRun' && typeof n.text === 'string') yield n.text;
    for (const value of Object.values(n)) yield* textsOf(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Sample data: the example cases of domain.md (no real names), and a worst case at the limits.
// ---------------------------------------------------------------------------------------------

const TZ = 'Europe/Amsterdam';
const NOW = new Date('2026-11-12T10:00:00Z');

const lid = (key: string, name: string): Lid => ({ id: `aad-${key}`, name, teamsId: `29:${key}` });
const OFFICIER = lid('officier', 'Officier van justitie ZSM');
const REGIE = lid('regie', 'Casusregisseur ZSM');
const RECLASSERING = lid('reclassering', 'Reclasseringswerker 3RO');
// A display name that carries the organisation: it must not be named twice.
const VT = lid('vt', 'Samira el Idrissi (Veilig Thuis)');
const HALT = lid('halt', 'Halt-medewerker');
const RVDK = lid('rvdk', 'Raadsonderzoeker RvdK');
const LEDEN: Lid[] = [OFFICIER, REGIE, RECLASSERING, VT, HALT, RVDK];

/** Realistic Dutch text of exactly `length` characters. */
function tekst(length: number, begin = 'Zorg'): string {
  const zin = ' over de veiligheid van de kinderen en de betrokkenen; het netwerk valt weg, de feiten spreken elkaar tegen en de buikpijn blijft.';
  let out = begin;
  while (out.length < length) out += zin;
  return out.slice(0, length);
}

interface Dossier {
  zaak: Verdiepingszaak;
  events: ZaakEvent[];
}

/** A case built the way the bot builds it: events recorded one by one, a minute apart. */
function dossier(caseId: string, start: string, steps: [Actor, NewZaakEvent][]): Dossier {
  let zaak: Verdiepingszaak | undefined;
  const events: ZaakEvent[] = [];
  let at = Date.parse(start);
  for (const [actor, change] of steps) {
    const result = record(zaak, { teamId: 'team-zsm-haarlem', caseId }, actor, new Date(at), [change]);
    zaak = result.zaak;
    events.push(...result.events);
    at += 60_000;
  }
  if (!zaak) throw new Error('no events');
  return { zaak, events };
}

const thread = (caseId: string): NewZaakEvent => ({
  type: 'zaak.thread_geopend',
  data: { channelId: '19:zsm@thread.tacv2', conversationId: `19:zsm@thread.tacv2;messageid=${caseId}`, rootMessageId: caseId },
});
const fase = (van: Verdiepingszaak['fase'], naar: Verdiepingszaak['fase']): NewZaakEvent => ({ type: 'zaak.fase_gewijzigd', data: { van, naar } });

/** Casus 1: LVB man (61), theft of three cans of cola; his supporting network fell away. */
function casus1(): Dossier {
  return dossier('zaak-casus-1', '2026-11-02T08:15:00Z', [
    [
      OFFICIER,
      {
        type: 'zaak.gemarkeerd',
        data: {
          reference: '13/123456-26',
          types: ['lvb'],
          signaal:
            'Man (61, LVB) stal drie blikjes cola. Winkelboete en winkelverbod liggen klaar, maar zijn netwerk is weggevallen: moeder overleden, zwager die de financiën deed kreeg een beroerte, buurvrouw die kookte brak haar been.',
          betrokkenen: [{ rol: 'verdachte', initialen: 'J.B.', leeftijd: '23-64' }],
          deadline: '2026-11-02T15:00:00Z',
        },
      },
    ],
    [OFFICIER, thread('zaak-casus-1')],
    [OFFICIER, { type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorgen: 'Hij redt zich niet meer alleen; de diefstal is een signaal.', tegenstrijdig: 'Winkel wil verbod, maar hij doet daar al dertig jaar boodschappen.' } } }],
    [OFFICIER, { type: 'principe.vastgelegd', data: { stap: 2, status: 'ingevuld', antwoorden: { perspectief_0: 'deels', spreker_0: 'Wijkagent', ontbreekt: 'De winkelier.' } } }],
    [OFFICIER, { type: 'principe.vastgelegd', data: { stap: 4, status: 'nvt', antwoorden: {}, reden: 'Geen geweld, geen gevaar voor anderen.' } }],
    [OFFICIER, { type: 'principe.vastgelegd', data: { stap: 5, status: 'ingevuld', antwoorden: { kwetsbaar: 'LVB, alleen, geen financieel overzicht.', draagt: 'Wijkagent kent hem; de winkelier is welwillend.' } } }],
    [OFFICIER, fase('gemarkeerd', 'duiding')],
    [
      OFFICIER,
      {
        type: 'duiding.vastgelegd',
        data: {
          patronen: ['combinatieproblematiek'],
          perspectieven: [{ organisatie: 'wijkteam', tekst: 'Wijkteam kent hem niet; geen indicatie.' }],
          tegenstrijdigheden: 'Een winkelverbod sluit hem af van de enige plek waar hij boodschappen doet.',
          hypothesen: ['Zonder dagelijkse steun volgt binnen een maand een nieuwe diefstal.'],
          instrumenten: [],
          veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }],
        },
      },
    ],
    [OFFICIER, fase('duiding', 'besluit')],
    [
      OFFICIER,
      {
        type: 'besluit.vastgelegd',
        data: {
          afdoening: 'sepot_met_hulp',
          zorg: 'Wijkagent bezoekt hem met een ouderenwerker; een WMO-ouderenmaatje; het wijkteam komt twee keer per week.',
          waaromMix: 'Straf helpt hier niet; zonder netwerk volgt de volgende diefstal.',
          tijdstrategie: { keuze: 'versnellen', reden: 'Het netwerk moet er deze week staan.' },
          doelen: [{ wat: 'Hij doet zijn boodschappen weer zelf, samen met een maatje', voorWie: 'de man (61)', wanneer: '2026-12-15' }],
          acties: [
            { id: 'a1', wat: 'Huisbezoek wijkagent met ouderenwerker', eigenaar: REGIE, datum: '2026-11-05', status: 'open' },
            { id: 'a2', wat: 'WMO-ouderenmaatje aanvragen', eigenaar: OFFICIER, datum: '2026-11-09', status: 'gereed' },
            { id: 'a3', wat: 'Afspraak met de winkel: toegang met zijn maatje', eigenaar: REGIE, datum: '2026-11-09', status: 'open' },
          ],
          monitoring: ['2026-12-14', '2027-02-01'],
        },
      },
    ],
    [OFFICIER, fase('besluit', 'monitoring')],
  ]);
}

/** Casus 2: boy (15), theft; out of school, a gezinsvoogd, placement out of home: intensify. */
function casus2(): Dossier {
  const vraag = (id: string, invitee: Lid, organisatie: 'halt' | 'rvdk' | 'veilig_thuis', v: string): NewZaakEvent => ({
    type: 'uitvraag.verstuurd',
    data: { id, invitee, organisatie, vraag: v, waarom: 'Nodig om te bepalen of een Halt-straf naast de hulp past.', deadline: '2026-11-10T14:00:00Z' },
  });
  return dossier('zaak-casus-2', '2026-11-10T09:00:00Z', [
    [
      OFFICIER,
      {
        type: 'zaak.gemarkeerd',
        data: {
          reference: 'PL0900-2026123456',
          types: ['jeugd'],
          signaal: 'Jongen (15) pakte een telefoon uit een winkel. Gaat niet naar school, grote problemen thuis, heeft een gezinsvoogd en wordt uit huis geplaatst.',
          betrokkenen: [
            { rol: 'verdachte', leeftijd: '12-17' },
            { rol: 'ouder', leeftijd: '23-64' },
          ],
        },
      },
    ],
    [OFFICIER, thread('zaak-casus-2')],
    [OFFICIER, fase('gemarkeerd', 'contextinformatie')],
    [OFFICIER, vraag('u1', HALT, 'halt', 'Is hij eerder bij Halt geweest, en kan een traject op maximale uren direct starten?')],
    [OFFICIER, vraag('u2', RVDK, 'rvdk', 'Wanneer is de uithuisplaatsing, en wie is de gezinsvoogd?')],
    [OFFICIER, vraag('u3', VT, 'veilig_thuis', 'Zijn er meldingen over het gezin?')],
    [HALT, { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Niet eerder bij Halt. Een traject op maximale uren kan morgen starten.', bron: 'Halt-registratie', bekend: 'nee' } }],
    [VT, { type: 'uitvraag.afgewezen', data: { uitvraagId: 'u3', soort: 'mag_niet_delen', reden: 'Lopend onderzoek; overleg met de gezinsvoogd.' } }],
  ]);
}

/** Casus 3: woman (58) abused her intellectually disabled stepdaughter (9); the hypothesis changed over time; closed, then reopened. */
function casus3(gesloten: boolean): Dossier {
  const steps: [Actor, NewZaakEvent][] = [
    [
      OFFICIER,
      {
        type: 'zaak.gemarkeerd',
        data: {
          reference: 'ZSM-2026-00123',
          types: ['huiselijk_geweld', 'lvb'],
          signaal: 'Vrouw (58) mishandelde haar stiefdochter (9, verstandelijk beperkt). Contactverbod; het kind is met vader in de opvang. Onduidelijk wie het gezag heeft (moeder in Gambia).',
          betrokkenen: [
            { rol: 'verdachte', leeftijd: '23-64' },
            { rol: 'kind', leeftijd: '0-11' },
            { rol: 'ouder', leeftijd: '23-64' },
          ],
        },
      },
    ],
    [OFFICIER, thread('zaak-casus-3')],
    [
      OFFICIER,
      {
        type: 'duiding.vastgelegd',
        data: {
          patronen: ['partnerrelatie', 'vele_professionals'],
          perspectieven: [{ organisatie: 'reclassering', tekst: 'Twee gesprekken met de vrouw: overbelast, ontkent niet.' }],
          tegenstrijdigheden: 'Vader wil het kind beschermen, maar wil haar naar Gambia brengen.',
          hypothesen: ['Het kind is veilig zodra het contactverbod staat en de voorlopige voogdij is geregeld.'],
          instrumenten: [{ instrument: 'arij', uitkomst: 'Hoog risico' }],
          veiligheid: [
            { betrokkene: 0, nu: 'veilig', straks: 'veilig' },
            { betrokkene: 1, nu: 'onveilig', straks: 'zorgelijk' },
            { betrokkene: 2, nu: 'onbekend', straks: 'onbekend' },
          ],
        },
      },
    ],
    [
      RVDK,
      {
        type: 'besluit.vastgelegd',
        data: {
          afdoening: 'anders',
          afdoeningAnders: 'Contactverbod; RvdK verzoekt voorlopige voogdij',
          zorg: 'Voorlopige voogdij; reclassering spreekt de vrouw twee keer.',
          waaromMix: 'De veiligheid van het kind gaat voor.',
          tijdstrategie: { keuze: 'intensiveren', reden: 'Het gezag moet morgen geregeld zijn.' },
          doelen: [{ wat: 'Het gezag over het kind is geregeld', voorWie: 'het kind (9)', wanneer: '2026-11-20', algemeenBevestigd: true }],
          acties: [{ id: 'a1', wat: 'Verzoek voorlopige voogdij', eigenaar: RVDK, datum: '2026-11-13', status: 'gereed' }],
          monitoring: ['2026-12-24'],
        },
      },
    ],
    [
      OFFICIER,
      {
        type: 'duiding.vastgelegd',
        data: {
          patronen: ['partnerrelatie', 'vele_professionals'],
          patroonAnders: 'Mogelijke mensenhandel',
          perspectieven: [{ organisatie: 'veilig_thuis', tekst: 'Vader wil het meisje in Gambia achterlaten en een ander kind meenemen.' }],
          tegenstrijdigheden: 'De zorg verschuift van de stiefmoeder naar de vader.',
          hypothesen: ['De vader brengt het kind naar het buitenland; een signaal aan het mensenhandelteam is nodig.'],
          instrumenten: [],
          veiligheid: [
            { betrokkene: 0, nu: 'veilig', straks: 'veilig' },
            { betrokkene: 1, nu: 'onveilig', straks: 'onveilig' },
            { betrokkene: 2, nu: 'veilig', straks: 'veilig' },
          ],
        },
      },
    ],
    [OFFICIER, { type: 'monitoring.vastgelegd', data: { datum: '2026-11-20', hermelding: 'nee', koersPassend: false, toelichting: 'Signaal naar het mensenhandelteam.' } }],
    [OFFICIER, fase('gemarkeerd', 'gesloten')],
    [OFFICIER, { type: 'zaak.gesloten', data: { stopreden: 'overgedragen', uitkomst: 'Voorlopige voogdij; signaal mensenhandel.', leeropbrengst: 'Blijf de hypothese toetsen: de zorg kan verschuiven.', vergelijking: 'Lijkt op eerdere HG-zaken; verschilt door het buitenland.' } }],
  ];
  if (!gesloten) steps.push([OFFICIER, fase('gesloten', 'duiding')], [OFFICIER, { type: 'zaak.heropend', data: { reden: 'Vader is met het kind vertrokken: nieuwe duiding nodig.' } }]);
  return dossier('zaak-casus-3', '2026-11-03T07:30:00Z', steps);
}

/** The worst case: eight betrokkenen, every free text at its maximum, every list full. */
function worstCase(): Dossier {
  const betrokkenen: Betrokkene[] = Array.from({ length: MAX_BETROKKENEN }, (_, i) => ({ rol: (['verdachte', 'slachtoffer', 'kind', 'ouder', 'ex_partner', 'getuige', 'anders', 'kind'] as const)[i]!, initialen: 'A.B.', leeftijd: '12-17' }));
  const steps: [Actor, NewZaakEvent][] = [
    [OFFICIER, { type: 'zaak.gemarkeerd', data: { reference: 'PL0900-2026999999', types: ['jeugd', 'huiselijk_geweld', 'zeden', 'verward_persoon', 'lvb'], signaal: tekst(SIGNAAL_MAX, 'Signaal'), betrokkenen, deadline: '2026-11-12T16:00:00Z' } }],
    [OFFICIER, thread('zaak-worst')],
  ];
  for (const stap of STAPPEN) {
    const antwoorden: Record<string, string> = {};
    for (const veld of stap.velden) {
      const keys = veld.perBetrokkene ? betrokkenen.map((_, i) => `${veld.key}_${i}`) : [veld.key];
      for (const key of keys) {
        if (veld.soort === 'tekst') antwoorden[key] = tekst(veld.max, 'Antwoord');
        else if (veld.soort === 'datum') antwoorden[key] = '2026-12-01';
        else antwoorden[key] = Object.keys(veld.opties).join(',');
      }
    }
    for (let versie = 0; versie < 12; versie++) steps.push([OFFICIER, { type: 'principe.vastgelegd', data: { stap: stap.principe.nummer, status: 'ingevuld', antwoorden } }]);
  }
  for (let i = 0; i < MAX_PERSPECTIEVEN; i++) {
    steps.push([OFFICIER, { type: 'uitvraag.verstuurd', data: { id: `u${i}`, invitee: LEDEN[i % LEDEN.length]!, organisatie: 'veilig_thuis', vraag: tekst(VRAAG_MAX, 'Vraag'), waarom: tekst(WAAROM_MAX, 'Waarom'), deadline: '2026-11-12T14:00:00Z' } }]);
    steps.push([LEDEN[i % LEDEN.length]!, { type: 'uitvraag.beantwoord', data: { uitvraagId: `u${i}`, tekst: tekst(ANTWOORD_MAX, 'Antwoord'), bron: tekst(BRON_MAX, 'Bron'), bekend: 'ja' } }]);
  }
  const duiding: NewZaakEvent = {
    type: 'duiding.vastgelegd',
    data: {
      patronen: ['combinatieproblematiek', 'oude_bekenden', 'partnerrelatie', 'geweld_ouder_kind', 'afwachten', 'vele_professionals'],
      patroonAnders: tekst(DUIDING_MAX.patroonAnders, 'Ander patroon'),
      perspectieven: Array.from({ length: MAX_PERSPECTIEVEN }, () => ({ organisatie: 'reclassering', tekst: tekst(DUIDING_MAX.perspectief, 'Perspectief') })),
      tegenstrijdigheden: tekst(DUIDING_MAX.tegenstrijdigheden, 'Tegenstrijdig'),
      hypothesen: Array.from({ length: MAX_HYPOTHESEN }, (_, i) => tekst(DUIDING_MAX.hypothese, `Hypothese ${i + 1}`)),
      instrumenten: Array.from({ length: MAX_INSTRUMENTEN }, () => ({ instrument: 'b_safer', uitkomst: tekst(DUIDING_MAX.uitkomst, 'Uitkomst') })),
      veiligheid: betrokkenen.map((_, i) => ({ betrokkene: i, nu: 'onveilig', straks: 'zorgelijk', toelichting: tekst(DUIDING_MAX.toelichting, 'Toelichting') })),
    },
  };
  steps.push([OFFICIER, duiding], [OFFICIER, duiding]);
  steps.push([
    OFFICIER,
    {
      type: 'besluit.vastgelegd',
      data: {
        vrijheidsbeneming: 'inverzekeringstelling',
        strafrechtelijk: { afdoening: 'anders', toelichting: tekst(BESLUIT_MAX.afdoeningToelichting, 'Afdoening') },
        interventies: [
          ...(Object.keys(INTERVENTIES) as Interventiesoort[]).filter((soort) => soort !== 'anders').map((soort) => ({ soort, organisatie: 'gi_wsg' as const, toelichting: tekst(BESLUIT_MAX.interventie, 'Toelichting') })),
          { soort: 'anders' as const, organisatie: 'verslavingszorg' as const, toelichting: tekst(BESLUIT_MAX.interventie, 'Interventie') },
        ],
        zorg: tekst(BESLUIT_MAX.zorg, 'Zorg'),
        waaromMix: tekst(BESLUIT_MAX.waaromMix, 'Waarom'),
        tijdstrategie: { keuze: 'vertragen', reden: tekst(BESLUIT_MAX.reden, 'Reden') },
        doelen: Array.from({ length: MAX_DOELEN }, (_, i) => ({ wat: tekst(BESLUIT_MAX.doel, `Doel ${i + 1}`), voorWie: tekst(BESLUIT_MAX.voorWie, 'Voor'), wanneer: '2027-01-15' })),
        acties: Array.from({ length: MAX_ACTIES }, (_, i) => ({ id: `a${i}`, wat: tekst(BESLUIT_MAX.actie, `Actie ${i + 1}`), eigenaar: LEDEN[i % LEDEN.length]!, datum: '2026-12-01', status: 'open' as const })),
        monitoring: ['2026-12-24', '2027-02-11', '2027-04-01', '2027-06-01'].slice(0, MAX_MONITORING),
        plandatum: { op: '2026-12-01T08:00:00Z', reden: tekst(BESLUIT_MAX.reden, 'Plandatum') },
      },
    },
  ]);
  return dossier('zaak-worst', '2026-11-01T07:00:00Z', steps);
}

const C1 = casus1();
const C2 = casus2();
const C3 = casus3(true);
const C3_HEROPEND = casus3(false);
const WORST = worstCase();

/** Team members with long names, more than the forms list. */
const VEEL_LEDEN: Lid[] = Array.from({ length: 150 }, (_, i) => lid(`lid-${i}`, `Medewerker ${i + 1} van de ketenpartner ${tekst(40, 'Organisatie')}`));

function jobs(zaak: Verdiepingszaak, n: number): ScheduledJob[] {
  return Array.from({ length: n }, (_, i) => newJob(zaak, i % 2 ? 'monitoring' : 'actie.vervaldatum', `ref-${i}`, new Date(NOW.getTime() + i * 86_400_000), NOW.toISOString()));
}

const threadUrl = (z: Pick<Verdiepingszaak, 'thread'>) => (z.thread ? `https://teams.microsoft.com/l/message/19%3Azsm%40thread.tacv2/${z.thread.rootMessageId}?tenantId=7a5e0000-0000-4000-8000-000000000001&parentMessageId=${z.thread.rootMessageId}` : '');

const threadUrlOf = (t: Verdiepingszaak['thread']) => (t ? threadUrl({ thread: t } as Verdiepingszaak) : '');

/** Many open cases in the team's list, each with every case type. */
function veleZaken(n: number): Verdiepingszaak[] {
  return Array.from({ length: n }, (_, i) => ({ ...WORST.zaak, id: `zaak-${i}`, reference: `PL0900-2026${String(100000 + i).padStart(6, '0')}`, thread: { channelId: '19:zsm@thread.tacv2', conversationId: 'c', rootMessageId: `17${String(i).padStart(11, '0')}` } }));
}

/** The step form for a case: current answers, full history. */
const stap = (d: Dossier, nummer: number, opties = {}) => principeStapCard(d.zaak, nummer, huidigeInvoer(d.zaak, nummer), principeHistorie(d.events, nummer, d.zaak), TZ, opties);

const promptFormulier = (d: Dossier, id: string, errors = {}) => {
  const u = d.zaak.uitvragen.find((x) => x.id === id)!;
  return uitvraagPromptCard(d.zaak, u, TZ, { weergave: 'formulier', invoer: huidigeReactie(u), errors });
};

interface Sample {
  name: string;
  cards: () => AdaptiveCard[];
}

const one = (card: AdaptiveCard) => [card];

/** Per template in cards/ (by file name): its samples. A template without samples fails the suite. */
const PERIODE = leesPeriode('', new Date('2026-11-28T10:00:00Z'), TZ) as Periode;

/** A learning record with the ith variation of patterns, days and skipped steps. */
function leerregelSample(i: number, afdoening: Afdoening, zorg = true): Leerregel {
  const patronen = (Object.keys(PATRONEN) as Patroon[]).filter((_, k) => (i + k) % 2 === 0);
  return {
    id: `r${i}`, teamId: 't', maand: '2026-10', gesloten: true, zaaktypes: ['jeugd'], betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }], patronen, instrumenten: [],
    afdoening, interventies: { zorg, acties: 1 }, tijdstrategie: 'geen', partners: { gevraagd: 2, beantwoord: 1, afgewezen: 1 }, dagenTotDuiding: i * 3,
    stappenNvt: [2], stappenNietGeopend: [7, 8, 9].slice(i % 3), doelen: { aantal: 2, algemeen: i % 2 }, checks: [i % 3 === 0 ? 'ja' : 'nee'], herhaling: false,
  };
}

const SAMPLES: Record<string, Sample[]> = {
  'afsluiting-form': [
    { name: 'Casus 1, empty', cards: () => one(afsluitingFormCard(C1.zaak, { stopreden: '', leeropbrengst: '', vergelijking: '', uitkomst: '' }, {})) },
    {
      name: 'Casus 1, a stale save refused',
      cards: () => one(afsluitingFormCard(C1.zaak, { stopreden: 'doel_bereikt', leeropbrengst: 'Eerst het netwerk in kaart.', vergelijking: '', uitkomst: 'Geen hermelding.' }, {}, { basisVersie: 9, melding: 'Intussen heeft Officier Bakker de zaak heropend om 14:05; bekijk de zaak en sla opnieuw op.' })),
    },
    {
      name: 'worst case, long values and every error',
      cards: () => one(afsluitingFormCard(WORST.zaak, { stopreden: 'anders', leeropbrengst: tekst(AFSLUITING_MAX), vergelijking: tekst(AFSLUITING_MAX), uitkomst: tekst(AFSLUITING_MAX) }, { stopreden: 'Kies waarom we stoppen met verdiepen.', leeropbrengst: 'Te lang.', vergelijking: 'Te lang.', uitkomst: 'Vul de uitkomst in.' })),
    },
  ],
  'afsluiting-heropenen': [
    { name: 'Casus 3, empty', cards: () => one(heropenenFormCard(C3.zaak, '', '')) },
    { name: 'Casus 3, with an error', cards: () => one(heropenenFormCard(C3.zaak, 'kort', 'Geef een reden (ten minste 10 tekens).')) },
  ],
  'afsluiting-samenvatting': [
    { name: 'Casus 3 closed', cards: () => one(afsluitingSamenvattingCard(C3.zaak, TZ)) },
    { name: 'Casus 3 reopened', cards: () => one(afsluitingSamenvattingCard(C3_HEROPEND.zaak, TZ)) },
  ],
  beperkt: [
    { name: 'Casus 1, own card', cards: () => one(beperktCard({ caseId: C1.zaak.id, reference: C1.zaak.reference, lead: C1.zaak.lead.name })) },
    { name: 'worst case, appended to a status card', cards: () => one(metBeperkt(verdiepingskaartCard(WORST.zaak, TZ), { caseId: WORST.zaak.id, reference: WORST.zaak.reference, lead: tekst(200, 'Naam') })) },
  ],
  'besluit-form': [
    { name: 'Casus 1, first besluit', cards: () => one(besluitFormCard({ ...C1.zaak, besluit: undefined }, besluitVoorstel({ ...C1.zaak, besluit: undefined }, NOW, TZ, [42, 91]), {}, LEDEN)) },
    { name: 'Casus 1, revision', cards: () => one(besluitFormCard(C1.zaak, besluitVoorstel(C1.zaak, NOW, TZ, [42, 91]), {}, LEDEN, [0])) },
    {
      name: 'Casus 1, a stale save refused',
      cards: () => one(besluitFormCard(C1.zaak, besluitVoorstel(C1.zaak, NOW, TZ, [42, 91]), {}, LEDEN, [], { basisVersie: 1, melding: 'Intussen heeft Officier Bakker een nieuw besluit vastgelegd (versie 1) om 14:05; bekijk dat en sla opnieuw op.' })),
    },
    {
      name: 'worst case, every row and error, many members',
      cards: () => {
        const invoer = besluitVoorstel(WORST.zaak, NOW, TZ, [42, 91]);
        const errors = Object.fromEntries([...['vrijheidsbeneming', 'strafrechtelijk', 'afdoeningToelichting', 'zorg', 'waaromMix', 'tijdstrategie', 'doelen', 'acties', 'plandatum'], 'interventies', ...invoer.doelen.map((_, i) => `doel_${i}`), ...invoer.acties.map((_, i) => `actie_${i}`)].map((k) => [k, `Controleer ${k}: dit veld is niet goed ingevuld.`]));
        return one(besluitFormCard(WORST.zaak, invoer, errors, VEEL_LEDEN.slice(0, 100), [0, 1, 2, 3, 4, 5]));
      },
    },
  ],
  'besluit-samenvatting': [
    { name: 'Casus 1', cards: () => one(besluitSamenvattingCard(C1.zaak, C1.zaak.besluit!, TZ).card) },
    { name: 'Casus 1, title only', cards: () => one(besluitSamenvattingCard(C1.zaak, C1.zaak.besluit!, TZ, false).card) },
    { name: 'Casus 3', cards: () => one(besluitSamenvattingCard(C3.zaak, C3.zaak.besluit!, TZ).card) },
    { name: 'worst case', cards: () => one(besluitSamenvattingCard(WORST.zaak, WORST.zaak.besluit!, TZ).card) },
  ],
  'case-card': [
    { name: 'Casus 1 in monitoring', cards: () => one(caseCard(C1.zaak, TZ)) },
    { name: 'Casus 2 with partner prompts', cards: () => one(caseCard(C2.zaak, TZ)) },
    { name: 'Casus 3 closed', cards: () => one(caseCard(C3.zaak, TZ)) },
    { name: 'worst case', cards: () => one(caseCard(WORST.zaak, TZ)) },
    { name: 'Casus 1, for someone on the case', cards: () => one(caseCard(C1.zaak, TZ, 'betrokken')) },
    { name: 'Casus 3 closed, for someone on the case', cards: () => one(caseCard(C3.zaak, TZ, 'betrokken')) },
    { name: 'worst case, for someone on the case', cards: () => one(caseCard(WORST.zaak, TZ, 'betrokken')) },
    { name: 'Casus 2, beperkt', cards: () => one(caseCard(C2.zaak, TZ, 'beperkt')) },
    { name: 'worst case, beperkt', cards: () => one(caseCard(WORST.zaak, TZ, 'beperkt')) },
  ],
  bericht: [{ name: 'a text answer Teams took later', cards: () => one(berichtCard('Er is geen verdiepingszaak met zaaknummer 13/123456-26 in dit team. Vraag de zaken op met **zaken**.')) }],
  'case-list': [
    { name: 'three cases', cards: () => one(caseListCard([C1.zaak, C2.zaak, C3_HEROPEND.zaak], NOW, 'Europe/Amsterdam', threadUrl)) },
    { name: 'no cases', cards: () => one(caseListCard([], NOW, 'Europe/Amsterdam', threadUrl)) },
    { name: 'many cases', cards: () => one(caseListCard(veleZaken(60), NOW, 'Europe/Amsterdam', threadUrl)) },
  ],
  casusregie: [
    { name: 'Casus 2', cards: () => one(casusregieCard(C2.zaak, LEDEN)) },
    { name: 'Casus 2, with an error', cards: () => one(casusregieCard(C2.zaak, LEDEN, { fout: 'Kies een ander teamlid.' })) },
    { name: 'many members, a typed name and an error', cards: () => one(casusregieCard(WORST.zaak, VEEL_LEDEN, { naam: tekst(100), fout: tekst(200) })) },
  ],
  digest: [
    { name: 'Casus 1, 2 and 3', cards: () => digestCards(weekDigest([C1.zaak, C2.zaak, C3.zaak, C3_HEROPEND.zaak], NOW, TZ), { team: 'ZSM Haarlem', timeZone: TZ, threadUrl: threadUrlOf }) },
    { name: 'no open cases', cards: () => digestCards(weekDigest([C3.zaak], NOW, TZ), { timeZone: TZ, threadUrl: threadUrlOf, soort: 'opvraag' }) },
    { name: 'a busy team, split over several messages', cards: () => digestCards(weekDigest(veleZaken(300), NOW, TZ), { team: tekst(200, 'Team'), timeZone: TZ, threadUrl: threadUrlOf }) },
  ],
  'duiding-form': [
    { name: 'Casus 2, prefilled from partner answers', cards: () => one(duidingFormCard(C2.zaak, duidingVoorstel(C2.zaak), {})) },
    { name: 'Casus 3, revision', cards: () => one(duidingFormCard(C3_HEROPEND.zaak, duidingVoorstel(C3_HEROPEND.zaak), {})) },
    {
      name: 'Casus 2, with three earlier cases that look like it',
      cards: () => one(duidingFormCard(C2.zaak, duidingVoorstel(C2.zaak), {}, { lijktOp: lijktOp(C2.zaak, [0, 1, 2, 3].map((i) => ({ ...leerregelSample(i, 'halt'), leeropbrengst: tekst(AFSLUITING_MAX) }))) })),
    },
    {
      name: 'Casus 3, a stale save refused',
      cards: () => one(duidingFormCard(C3_HEROPEND.zaak, duidingVoorstel(C3_HEROPEND.zaak), {}, { basisVersie: 2, melding: 'Intussen heeft Medewerker Veilig Thuis een nieuwe duiding vastgelegd (versie 2) om 14:05; bekijk die en sla opnieuw op.' })),
    },
    {
      name: 'worst case, every row and error',
      cards: () => {
        const invoer = duidingVoorstel(WORST.zaak);
        const errors = Object.fromEntries(
          [...['patronen', 'patroonAnders', 'tegenstrijdigheden', 'hypothesen'], ...invoer.perspectieven.map((_, i) => `perspectief_${i}`), ...invoer.hypothesen.map((_, i) => `hypothese_${i}`), ...invoer.instrumenten.map((_, i) => `instrument_${i}`), ...invoer.veiligheid.map((_, i) => `veiligheid_${i}`)].map((k) => [k, `Controleer ${k}.`]),
        );
        return one(duidingFormCard(WORST.zaak, invoer, errors));
      },
    },
  ],
  'duiding-samenvatting': [
    { name: 'Casus 3, version 1', cards: () => one(duidingSamenvattingCard(C3.zaak, C3.zaak.duidingen[0]!, TZ)) },
    { name: 'Casus 3, version 2 after the besluit', cards: () => one(duidingSamenvattingCard(C3_HEROPEND.zaak, C3_HEROPEND.zaak.duidingen[1]!, TZ)) },
    { name: 'Casus 1, title only', cards: () => one(duidingSamenvattingCard(C1.zaak, C1.zaak.duidingen[0]!, TZ, false)) },
    { name: 'worst case', cards: () => one(duidingSamenvattingCard(WORST.zaak, WORST.zaak.duidingen[1]!, TZ)) },
  ],
  'duiding-waarschuwing': [
    { name: 'steps 2 and 3 skipped', cards: () => one(duidingWaarschuwingCard({ caseId: C2.zaak.id, reference: C2.zaak.reference, tekst: overslaanWaarschuwing([2, 3]), stappen: stappenTekst([2, 3]).toLowerCase(), terug: false })) },
    { name: 'after Terug', cards: () => one(duidingWaarschuwingCard({ caseId: C2.zaak.id, reference: C2.zaak.reference, tekst: overslaanWaarschuwing([3]), stappen: stappenTekst([3]).toLowerCase(), terug: true })) },
  ],
  'flag-confirmation': [
    { name: 'thread opened', cards: () => one(flagConfirmationCard({ reference: C1.zaak.reference, message: 'De zaak heeft een eigen zaakgesprek in het kanaal gekregen. Daar gaan we verder.', threadUrl: threadUrl(C1.zaak) })) },
    { name: 'no thread', cards: () => one(flagConfirmationCard({ reference: C1.zaak.reference, message: 'De zaak is opgeslagen, maar het zaakgesprek kon niet worden aangemaakt.', threadUrl: '' })) },
  ],
  verwijderd: [{ name: 'after the retention period', cards: () => one(verwijderdCard()) }],
  'flag-form': [
    { name: 'empty, in the conversation', cards: () => one(flagFormCard(emptyMarkering(), {}, false)) },
    { name: 'from a message, in a dialog', cards: () => one(flagFormCard(emptyMarkering('Jongen (15) pakte een telefoon uit een winkel.'), {}, true)) },
    { name: 'a repeat of the worst case, after a hermelding', cards: () => one(flagFormCard(herhaalMarkering(WORST.zaak), {}, false)) },
    {
      name: 'with SKN fields (PSEUDONIEM_SLEUTEL set), eight rows, an SKN refused',
      cards: () => one(flagFormCard({ ...herhaalMarkering(WORST.zaak), betrokkenen: Array.from({ length: MAX_BETROKKENEN }, () => ({ rol: 'verdachte', initialen: 'J.A.B.', leeftijd: '12-17', skn: '12345678901234567890' })) }, { betrokkene_0: SKN_MESSAGE }, true, true)),
    },
    {
      name: 'worst case: 8 betrokkenen, a 2000-character signal, every error',
      cards: () => {
        const invoer = {
          zaaknummer: 'PL0900-2026999999',
          zaaktypes: 'jeugd,huiselijk_geweld,zeden,verward_persoon,lvb',
          signaal: tekst(SIGNAAL_MAX, 'Signaal'),
          deadlineDatum: '2026-11-12',
          deadlineTijd: '16:00',
          betrokkenen: Array.from({ length: MAX_BETROKKENEN }, () => ({ rol: 'kind', initialen: 'A.B.', leeftijd: '0-11' })),
        };
        const errors = Object.fromEntries([...['zaaknummer', 'zaaktypes', 'signaal', 'deadline', 'betrokkenen'], ...invoer.betrokkenen.map((_, i) => `betrokkene_${i}`)].map((k) => [k, `Controleer ${k}: dit veld is niet goed ingevuld.`]));
        return [flagFormCard(invoer, errors, false), flagFormCard(invoer, errors, true)];
      },
    },
  ],
  help: [
    { name: 'help', cards: () => one(helpCard('Verdiep')) },
    { name: 'welcome', cards: () => one(welcomeCard('Verdiep')) },
  ],
  inzage: [
    { name: 'none yet', cards: () => one(inzageCard(C1.zaak, [], TZ)) },
    {
      name: 'worst case, 50 long names and every kind',
      cards: () =>
        one(
          inzageCard(
            WORST.zaak,
            Array.from({ length: 60 }, (_, i) => ({ id: `i${i}`, teamId: 't', caseId: WORST.zaak.id, door: { id: `a${i}`, name: tekst(200, 'Naam') }, wat: ['ketenkaart', 'zaakkaart', `antwoord:${WORST.zaak.uitvragen[0]!.id}`, 'duiding', 'besluit', 'iets-nieuws'][i % 6]!, op: NOW.toISOString() })),
            TZ,
          ),
        ),
    },
  ],
  ketenkaart: [
    { name: 'Casus 1', cards: () => ketenkaartCards(C1.zaak, C1.events, jobs(C1.zaak, 3), TZ, NOW, () => true) },
    { name: 'Casus 3 reopened', cards: () => ketenkaartCards(C3_HEROPEND.zaak, C3_HEROPEND.events, [], TZ, NOW, () => true) },
    { name: 'worst case, split over several cards', cards: () => ketenkaartCards(WORST.zaak, WORST.events, jobs(WORST.zaak, 40), TZ, NOW, () => true) },
  ],
  leerbeeld: [
    { name: 'no records yet', cards: () => one(leerbeeldCard(leerbeeld([], PERIODE), 'ZSM Haarlem')) },
    { name: 'seven cases, two mixes', cards: () => one(leerbeeldCard(leerbeeld(Array.from({ length: 7 }, (_, i) => leerregelSample(i, i < 5 ? 'halt' : 'sepot_met_hulp')), PERIODE), 'ZSM Haarlem')) },
    {
      name: 'worst case, every pattern, step and mix',
      cards: () => one(leerbeeldCard(leerbeeld((Object.keys(AFDOENINGEN) as Afdoening[]).flatMap((a, j) => Array.from({ length: 12 }, (_, i) => leerregelSample(i + j, a, i % 2 === 0))), PERIODE), tekst(200, 'Team'))),
    },
  ],
  'mijn-acties': [
    { name: 'Casus 1, the lead\'s actions', cards: () => one(mijnActiesCard(OFFICIER.name, C1.zaak.besluit!.acties.map((a) => ({ zaak: C1.zaak, wat: a.wat, datum: a.datum })), '2026-11-09', threadUrlOf)) },
    { name: 'none', cards: () => one(mijnActiesCard(HALT.name, [], '2026-11-09', threadUrlOf)) },
    {
      name: 'worst case, many long open questions',
      cards: () => one(mijnActiesCard(HALT.name, [], '2026-11-09', threadUrlOf, { lijst: veleZaken(40).map((z) => ({ zaak: z, vraag: tekst(1000), deadline: '2026-11-10T09:00:00Z' })), nu: new Date('2026-11-09T09:00:00Z'), timeZone: 'Europe/Amsterdam' })),
    },
    { name: 'worst case, many long actions', cards: () => one(mijnActiesCard(tekst(200, 'Naam'), veleZaken(20).flatMap((z) => z.besluit!.acties.map((a) => ({ zaak: z, wat: a.wat, datum: a.datum }))), '2026-11-09', threadUrlOf)) },
  ],
  'opvolging-actie': [
    { name: 'Casus 1, due, in the channel', cards: () => one(actieCard(C1.zaak, C1.zaak.besluit!.acties[0]!, TZ)) },
    { name: 'Casus 1, due, the owner\'s view', cards: () => one(actieCard(C1.zaak, C1.zaak.besluit!.acties[0]!, TZ, { inhoud: true })) },
    { name: 'Casus 1, answered', cards: () => one(actieCard(C1.zaak, C1.zaak.besluit!.acties[1]!, TZ, { afgehandeld: { door: OFFICIER.name, op: NOW.toISOString() }, melding: { tekst: 'De actie staat op gereed.', soort: 'goed' } })) },
    {
      name: 'worst case, long text and every error',
      cards: () => one(actieCard(WORST.zaak, WORST.zaak.besluit!.acties[0]!, TZ, { inhoud: true, invoer: { datum: '2026-11-01', toelichting: tekst(TOELICHTING_MAX) }, errors: { datum: 'De nieuwe datum moet na vandaag liggen.', toelichting: 'Te lang.' } })),
    },
  ],
  'opvolging-melding': [
    { name: 'reminder to the invitee', cards: () => one(herinneringCard(C2.zaak, C2.zaak.uitvragen[1]!, TZ)) },
    { name: 'reminder, the invitee\'s view', cards: () => one(herinneringCard(C2.zaak, C2.zaak.uitvragen[1]!, TZ, true)) },
    { name: 'deadline passed, to the lead', cards: () => one(verlopenCard(C2.zaak, OFFICIER, C2.zaak.uitvragen[1]!, TZ)) },
    { name: 'reminder, the invitee\'s view after the question was withdrawn', cards: () => one(herinneringCard(C2.zaak, { ...C2.zaak.uitvragen[1]!, status: 'ingetrokken' }, TZ, true)) },
    { name: 'deadline passed, the lead\'s view after a late answer', cards: () => one(verlopenCard(C2.zaak, OFFICIER, { ...C2.zaak.uitvragen[1]!, status: 'beantwoord' }, TZ, true)) },
    { name: 'worst case deadline passed, lead unknown, the lead\'s view', cards: () => one(verlopenCard(WORST.zaak, undefined, WORST.zaak.uitvragen[0]!, TZ, true)) },
    { name: 'plandatum', cards: () => one(plandatumCard(WORST.zaak, OFFICIER, TZ)) },
    { name: 'plandatum, the lead\'s view', cards: () => one(plandatumCard(WORST.zaak, OFFICIER, TZ, true)) },
    { name: 'closing proposed', cards: () => one(afsluitenVoorstelCard(C1.zaak, REGIE)) },
    { name: 'duiding reopened', cards: () => one(duidingHeropendCard(C3_HEROPEND.zaak)) },
    { name: 'delivery failed', cards: () => one(misluktCard(C1.zaak, REGIE, 'De monitoringvraag van ma 14 dec 2026', 'het zaakgesprek of het kanaal bestaat niet meer (404 ConversationNotFound)', threadUrlOf(C1.zaak.thread))) },
  ],
  'opvolging-monitoring': [
    { name: 'Casus 1, open', cards: () => one(monitoringCard(C1.zaak, OFFICIER, '2026-12-14', TZ)) },
    { name: 'Casus 1, open, the lead\'s view', cards: () => one(monitoringCard(C1.zaak, OFFICIER, '2026-12-14', TZ, { inhoud: true })) },
    { name: 'Casus 3, recorded, the lead\'s view', cards: () => one(monitoringCard(C3_HEROPEND.zaak, undefined, '2026-11-20', TZ, { inhoud: true })) },
    { name: 'Casus 3, recorded, lead unknown', cards: () => one(monitoringCard(C3_HEROPEND.zaak, undefined, '2026-11-20', TZ)) },
    {
      name: 'Casus 3, a hermelding recorded, the lead\'s view with "Nieuwe verdiepingszaak starten?"',
      cards: () => one(monitoringCard({ ...C3_HEROPEND.zaak, monitoring: C3_HEROPEND.zaak.monitoring.map((m) => ({ ...m, hermelding: 'ja' as const, hermeldingWat: tekst(TOELICHTING_MAX) })) }, undefined, '2026-11-20', TZ, { inhoud: true })),
    },
    {
      name: 'worst case, every error',
      cards: () =>
        one(
          monitoringCard(WORST.zaak, OFFICIER, '2026-12-24', TZ, {
            inhoud: true,
            invoer: { hermelding: 'ja', hermeldingWat: tekst(TOELICHTING_MAX), koers: 'nee', toelichting: tekst(TOELICHTING_MAX) },
            errors: { hermelding: 'Kies.', hermeldingWat: 'Te lang.', koers: 'Kies.', toelichting: 'Te lang.' },
          }),
        ),
    },
  ],
  persoonlijk: [
    { name: 'ketenkaart', cards: () => one(persoonlijkCard(`Ketenkaart ${C1.zaak.reference}`, OFFICIER.name, OFFICIER.teamsId, { soort: 'ketenkaart', reference: C1.zaak.reference })) },
    { name: 'mijn acties, long name', cards: () => one(persoonlijkCard('Mijn acties', tekst(200, 'Naam'), HALT.teamsId, { soort: 'mijn-acties' })) },
  ],
  'principe-stap': [
    ...STAPPEN.map((s) => ({ name: `Casus 1, step ${s.principe.nummer}`, cards: () => one(stap(C1, s.principe.nummer)) })),
    { name: 'Casus 3 closed, step 1', cards: () => one(stap(C3, 1)) },
    {
      name: 'worst case as a repeat of itself, step 6 with the earlier duiding and besluit',
      cards: () => one(principeStapCard({ ...WORST.zaak, herhaalVan: WORST.zaak.id }, 6, huidigeInvoer(WORST.zaak, 6), principeHistorie(WORST.events, 6, { ...WORST.zaak, herhaalVan: WORST.zaak.id }), TZ, { eerder: WORST.zaak })),
    },
    ...STAPPEN.map((s) => ({
      name: `worst case, step ${s.principe.nummer} with a notice and a long history`,
      cards: () => one(stap(WORST, s.principe.nummer, { melding: 'Iemand anders heeft deze stap intussen bijgewerkt.', errors: { stap: 'Vul ten minste één veld in.', reden: 'Geef een reden.' } })),
    })),
  ],
  'toegang-verzoek': [
    { name: 'Casus 1, open', cards: () => one(toegangVerzoekCard(C1.zaak, HALT, { status: 'open' }, TZ, REGIE)) },
    { name: 'worst case, granted', cards: () => one(toegangVerzoekCard(WORST.zaak, { ...HALT, name: tekst(200, 'Naam') }, { status: 'verleend', door: OFFICIER, op: NOW.toISOString() }, TZ)) },
    { name: 'Casus 1, refused', cards: () => one(toegangVerzoekCard(C1.zaak, HALT, { status: 'geweigerd', door: OFFICIER, op: NOW.toISOString() }, TZ)) },
    { name: 'Casus 1, taken back', cards: () => one(toegangVerzoekCard(C1.zaak, HALT, { status: 'ingetrokken', door: OFFICIER, op: NOW.toISOString() }, TZ)) },
  ],
  'uitvraag-nieuw': [
    { name: 'Casus 2, empty form', cards: () => one(uitvraagNieuwCard(C2.zaak, LEDEN, { lid: '', lidNaam: '', organisatie: '', vraag: '', waarom: '', deadlineDatum: '', deadlineTijd: '' }, TZ)) },
    {
      name: 'worst case: many members, long text, every error',
      cards: () =>
        one(
          uitvraagNieuwCard(WORST.zaak, VEEL_LEDEN, { lid: VEEL_LEDEN[0]!.teamsId, lidNaam: tekst(100), organisatie: 'veilig_thuis', vraag: tekst(VRAAG_MAX), waarom: tekst(WAAROM_MAX), deadlineDatum: '2026-11-12', deadlineTijd: '14:00' }, TZ, {
            errors: { lid: 'Kies een teamlid.', organisatie: 'Kies een organisatie.', vraag: 'Te lang.', waarom: 'Te lang.', deadline: 'De deadline ligt in het verleden.' },
          }),
        ),
    },
    { name: 'Casus 2, sent', cards: () => one(uitvraagNieuwAfgerond(C2.zaak, TZ, { verstuurd: C2.zaak.uitvragen[0]! })) },
    { name: 'Casus 2, cancelled', cards: () => one(uitvraagNieuwAfgerond(C2.zaak, TZ, { geannuleerd: true })) },
  ],
  'uitvraag-prompt': [
    { name: 'Casus 2, answered, in the channel', cards: () => one(uitvraagPromptCard(C2.zaak, C2.zaak.uitvragen[0]!, TZ)) },
    { name: 'Casus 2, answered, the lead\'s view', cards: () => one(uitvraagPromptCard(C2.zaak, C2.zaak.uitvragen[0]!, TZ, { weergave: 'inzage', toonReactie: true })) },
    { name: 'Casus 2, answered, a team member without a role', cards: () => one(uitvraagPromptCard(C2.zaak, C2.zaak.uitvragen[0]!, TZ, { beperkt: true })) },
    { name: 'Casus 2, open, answer form', cards: () => one(promptFormulier(C2, 'u2')) },
    { name: 'Casus 2, declined, own view', cards: () => one(uitvraagPromptCard(C2.zaak, C2.zaak.uitvragen[2]!, TZ, { weergave: 'eigen', kanCorrigeren: true, melding: { tekst: 'Je reactie is opgeslagen.', soort: 'goed' } })) },
    { name: 'Casus 2, correcting', cards: () => one(uitvraagPromptCard(C2.zaak, C2.zaak.uitvragen[0]!, TZ, { weergave: 'formulier', invoer: huidigeReactie(C2.zaak.uitvragen[0]!), corrigeert: true })) },
    { name: 'worst case, answered', cards: () => one(uitvraagPromptCard(WORST.zaak, WORST.zaak.uitvragen[0]!, TZ)) },
    { name: 'worst case, answered, the lead\'s view', cards: () => one(uitvraagPromptCard(WORST.zaak, WORST.zaak.uitvragen[0]!, TZ, { weergave: 'inzage', toonReactie: true, melding: { tekst: tekst(300), soort: 'let_op' } })) },
    {
      name: 'worst case, correcting with every error',
      cards: () => one(promptFormulier(WORST, 'u1', { antwoord: 'Te lang.', bron: 'Te lang.', bekend: 'Kies.', gedeeld: 'Kies.', afwijzing_soort: 'Kies.', afwijzing_reden: 'Geef een reden.' })),
    },
  ],
  verdiepingskaart: [
    { name: 'Casus 1', cards: () => one(verdiepingskaartCard(C1.zaak, TZ)) },
    { name: 'Casus 2, with a notice', cards: () => one(verdiepingskaartCard(C2.zaak, TZ, { tekst: 'Stap 3 is opgeslagen.', soort: 'goed' })) },
    { name: 'Casus 3 closed', cards: () => one(verdiepingskaartCard(C3.zaak, TZ)) },
    { name: 'worst case', cards: () => one(verdiepingskaartCard(WORST.zaak, TZ, { tekst: tekst(500), soort: 'let_op' })) },
    { name: 'Casus 1, with content', cards: () => one(verdiepingskaartCard(C1.zaak, TZ, undefined, true)) },
    { name: 'worst case, with content', cards: () => one(verdiepingskaartCard(WORST.zaak, TZ, { tekst: tekst(500), soort: 'let_op' }, true)) },
  ],
  // Each step's row is a template of its own, rendered within the verdiepingskaart.
  'verdiepingskaart-stap': [
    { name: 'Casus 2, steps with their follow-on buttons', cards: () => one(verdiepingskaartCard(C2.zaak, TZ, undefined, true)) },
    { name: 'Casus 3 closed, steps to look at only', cards: () => one(verdiepingskaartCard(C3.zaak, TZ)) },
  ],
  // The acting user's notice is a template of its own, under the verdiepingskaart's title.
  'verdiepingskaart-melding': [
    { name: 'Casus 2, a step saved', cards: () => one(verdiepingskaartCard(C2.zaak, TZ, { tekst: 'Stap 3 is opgeslagen (versie 2).', soort: 'goed' }, true)) },
    { name: 'worst case, a long warning', cards: () => one(verdiepingskaartCard(WORST.zaak, TZ, { tekst: tekst(500), soort: 'let_op' })) },
  ],
  'zaak-melding': [
    { name: 'Casus 3, duiding recorded', cards: () => one(zaakMeldingCard(C3.zaak, 'Duiding vastgelegd', ['Versie 1 door Medewerker Veilig Thuis, za 28 nov 2026, 11:00.'])) },
    {
      name: 'Casus 1, besluit with action owners',
      cards: () => one(zaakMeldingCard(C1.zaak, 'Besluit vastgelegd', ['Versie 1 door Officier van justitie ZSM, za 28 nov 2026, 11:00.', `Acties voor ${[REGIE, VT].map(at).join(', ')}: kies Bekijken voor wat en wanneer.`])),
    },
    {
      name: 'worst case, many owners',
      cards: () => one(zaakMeldingCard(WORST.zaak, 'Besluit vastgelegd', [`Versie 9 door ${tekst(200, 'Naam')}, za 28 nov 2026, 11:00.`, `Acties voor ${VEEL_LEDEN.slice(0, 60).map(at).join(', ')}: kies Bekijken voor wat en wanneer.`])),
    },
  ],
};

describe('card templates', () => {
  it('every template in cards/ has samples here, and every sample names a template that exists', () => {
    expect(TEMPLATE_NAMES.length).toBeGreaterThan(0);
    expect(TEMPLATE_NAMES.filter((name) => !SAMPLES[name]?.length)).toEqual([]);
    expect(Object.keys(SAMPLES).filter((name) => !TEMPLATE_NAMES.includes(name))).toEqual([]);
  });

  const cases = Object.entries(SAMPLES).flatMap(([template, samples]) => samples.map((sample) => ({ template, ...sample })));

  it.each(cases)('$template: $name renders as a clean Adaptive Card 1.5 under 28 KB', ({ template, cards }) => {
    rendered.templates.length = 0;
    const result = cards();
    expect(result.length).toBeGreaterThan(0);
    // The sample rendered (at least) the template it is filed under.
    expect(rendered.templates.map((t) => templateName.get(JSON.stringify(t)))).toContain(template);
    for (const card of result) {
      const json = JSON.stringify(card);
      expect(card.type).toBe('AdaptiveCard');
      expect(card.version).toBe('1.5');
      // Charts (unknown to the 1.5 schema) against their documented properties; the rest, and the card as a host without charts shows it, against 1.5.
      expect(chartProblems(card)).toEqual([]);
      expect(cardProblems(metFallbacks(card) as object)).toEqual([]);
      expect(json).not.toContain('${');
      expect(templateKeys(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
      expect(zichtbareTeksten(card).flatMap(woordProblemen)).toEqual([]);
    }
  });

  it.each(cases)('$template: $name renders the same bytes from the template parsed once as from a fresh parse, every time', ({ cards }) => {
    rendered.calls.length = 0;
    const first = JSON.stringify(cards());
    expect(JSON.stringify(cards())).toBe(first);
    expect(rendered.calls.length).toBeGreaterThan(0);
    for (const { template, data, json } of rendered.calls) {
      expect(json).toBe(JSON.stringify(new ACData.Template(template).expand({ $root: { ...data, verbs: Verb, woorden: WOORDEN } })));
    }
  });

  it('leerbeeld: four native charts, each with a fallback table holding the same numbers', () => {
    const card = leerbeeldCard(leerbeeld(Array.from({ length: 7 }, (_, i) => leerregelSample(i, i < 5 ? 'halt' : 'sepot_met_hulp')), PERIODE), 'ZSM Haarlem');
    const charts = chartsIn(card);
    expect(charts.map((c) => c.type)).toEqual(['Chart.HorizontalBar', 'Chart.VerticalBar', 'Chart.VerticalBar', 'Chart.HorizontalBar', 'Chart.Donut']);
    for (const chart of charts) {
      const punten = (chart.data as { x?: string; legend?: string; y?: number; value?: number }[]).map((p) => [p.x ?? p.legend, p.y ?? p.value]);
      const facts = (chart.fallback as { facts: { title: string; value: string }[] }).facts;
      expect(facts.map((f) => f.title)).toEqual(punten.map(([label]) => label));
      // Each fallback value carries the chart's number.
      facts.forEach((f, i) => expect(f.value).toMatch(new RegExp(`\\b${punten[i]![1]}\\b`)));
    }
    // Halt (5 cases) gets a rate; sepot met hulp (2) only its count, as "te weinig zaken".
    expect(JSON.stringify(charts[1]!.data)).toContain('Halt-interventie + zorg');
    expect(JSON.stringify(card)).toContain('2 zaken: te weinig zaken');
    // The chart checks can fail.
    expect(chartProblems({ body: [{ type: 'Chart.Donut', data: [{ x: 'a', y: '1' }] }] })).toEqual(
      expect.arrayContaining(['Chart.Donut: unknown data property x', 'Chart.Donut: data point without legend', 'Chart.Donut: no fallback element']),
    );
  });

  it('the checks can fail: the SDK reports an unknown element, a bad value and a duplicate input id; a template key left is found', () => {
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Carousel' }, { type: 'TextBlock', text: 'x', color: 'Purple' }, { type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }],
    };
    const problems = cardProblems(card);
    expect(problems.some((p) => p.includes('Carousel'))).toBe(true);
    expect(problems.some((p) => p.includes('Purple'))).toBe(true);
    expect(problems.some((p) => p.includes('"a"'))).toBe(true);
    expect(templateKeys({ body: [{ $when: '${x}' }] })).toEqual(['.body[0].$when']);
  });
});

describe('the case list of a busy team', () => {
  it(`lists the ${MAX_IN_LIJST} newest of many open cases, says how many there are, and stays well under the limit`, () => {
    const zaken = veleZaken(200);
    const card = caseListCard(zaken, NOW, 'Europe/Amsterdam', threadUrl);
    const texts = [...textsOf(card)];
    expect(texts[0]).toBe('Open verdiepingszaken (200)');
    // One line per case: its reference linking to its thread, types, phase and age.
    const regel = (i: number) => texts.find((t) => t.includes(zaken[i]!.reference));
    const laatste = zaken[MAX_IN_LIJST - 1]!;
    expect(regel(MAX_IN_LIJST - 1)!.startsWith(`**[${laatste.reference}](${threadUrl(laatste)})** · `)).toBe(true);
    expect(regel(MAX_IN_LIJST - 1)).toMatch(/  \n[^·]+ · \d+ dagen? oud$/);
    expect(regel(MAX_IN_LIJST)).toBeUndefined();
    expect(texts.some((t) => t.startsWith(`Hieronder de ${MAX_IN_LIJST} nieuwste.`))).toBe(true);
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES * 0.5);
    expect(cardProblems(card)).toEqual([]);
  });
});

describe('a card asked for again', () => {
  it('comes back the same for the same data, frozen so no caller can change it for the next, and anew when the data changed', () => {
    const eerste = caseListCard([C1.zaak], NOW, 'Europe/Amsterdam', threadUrl);
    expect(() => (eerste.body as unknown[]).push({ type: 'TextBlock', text: 'door een aanroeper veranderd' })).toThrow(TypeError);
    expect(() => Object.assign((eerste.body as object[])[0]!, { text: 'door een aanroeper veranderd' })).toThrow(TypeError);
    const tweede = caseListCard([C1.zaak], NOW, 'Europe/Amsterdam', threadUrl);
    expect(JSON.stringify(tweede)).not.toContain('door een aanroeper veranderd');
    expect(tweede).toBe(eerste);
    const verder = caseListCard([C1.zaak, C2.zaak], NOW, 'Europe/Amsterdam', threadUrl);
    expect([...textsOf(verder)][0]).toBe('Open verdiepingszaken (2)');
    expect([...textsOf(verder)].some((t) => t.includes(C2.zaak.reference))).toBe(true);
  });
});

describe('the size of a card', () => {
  it('is its JSON in UTF-8 bytes as Teams counts it, for a card from render (measured when made) and any other', () => {
    const kaart = berichtCard('Özdemir: € 3 — één blik');
    expect(kaartBytes(kaart)).toBe(Buffer.byteLength(JSON.stringify(kaart), 'utf8'));
    expect(kaartBytes(kaart)).toBeGreaterThan(JSON.stringify(kaart).length);
    const los = { ...kaart, body: [] };
    expect(kaartBytes(los)).toBe(Buffer.byteLength(JSON.stringify(los), 'utf8'));
  });
});

describe('the notice on the verdiepingskaart', () => {
  it('stands under the title and the case reference, above the facts and the steps, and only when there is one', () => {
    const notice = 'Stap 3 is opgeslagen (versie 2).';
    const met = verdiepingskaartCard(C2.zaak, TZ, { tekst: notice, soort: 'goed' }, true).body as { type: string; text?: string }[];
    expect(met.slice(0, 4).map((e) => e.text ?? e.type)).toEqual(['Leidende principes', `Verdiepingskaart van zaak ${C2.zaak.reference}`, notice, 'FactSet']);
    const zonder = verdiepingskaartCard(C2.zaak, TZ, undefined, true).body as unknown[];
    expect(zonder).toEqual(met.filter((e) => e.text !== notice));
  });
});

describe('who sees what on the case card and the verdiepingskaart', () => {
  const zaak = WORST.zaak;
  const hypothese = zaak.duidingen.at(-1)!.hypothesen[0]!.slice(0, 60);
  const titles = (card: AdaptiveCard) => (card.actions as { title: string }[]).map((a) => a.title);

  it('the channel gets status only: no signal, betrokkenen or hypothesis, the besluit as a count', () => {
    const kanaal = JSON.stringify([caseCard(zaak, TZ), verdiepingskaartCard(zaak, TZ)]);
    expect(kanaal).toContain(zaak.reference);
    for (const inhoud of [zaak.signaal.slice(0, 60), 'Betrokkenen', hypothese]) expect(kanaal).not.toContain(inhoud);
    expect(kanaal).toContain('vastgelegd (versie');
    expect(titles(caseCard(zaak, TZ))[0]).toBe('Bekijken');
  });

  it('someone on the case sees the content; a member without access sees the status and can ask for access', () => {
    const betrokken = JSON.stringify([caseCard(zaak, TZ, 'betrokken'), verdiepingskaartCard(zaak, TZ, undefined, true)]);
    for (const inhoud of [zaak.signaal.slice(0, 60), 'Betrokkenen', hypothese]) expect(betrokken).toContain(inhoud);
    const beperkt = caseCard(zaak, TZ, 'beperkt');
    expect(JSON.stringify(beperkt)).toContain('Beperkt zichtbaar');
    expect(JSON.stringify(beperkt)).not.toContain(zaak.signaal.slice(0, 60));
    expect(titles(beperkt)).toContain('Toegang vragen');
    expect(titles(caseCard(zaak, TZ, 'betrokken'))).not.toContain('Toegang vragen');
  });
});

describe('user text in the case card stays inert', () => {
  const HOSTILE = 'Zie [x](http://evil) en ![x](y), vraag <at>Someone</at> om **hulp**.';
  const zaak: Verdiepingszaak = { ...C1.zaak, signaal: HOSTILE, lead: { id: 'aad-x', name: '<at>Someone</at> [x](http://evil)' } };
  // The view for someone on the case: the one that shows the signal.
  const card = caseCard(zaak, TZ, 'betrokken');
  const texts = [...textsOf(card)];
  const facts = JSON.stringify(card);

  it('shows a markdown link, an image and emphasis as literal text', () => {
    const signaal = texts.find((t) => t.startsWith('Zie'));
    expect(signaal).toBe('Zie \\[x\\](http://evil) en !\\[x\\](y), vraag ‹at›Someone‹/at› om \\*\\*hulp\\*\\*.');
    // No link or image syntax survives unescaped anywhere in the card.
    for (const t of texts) {
      expect(t).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
      expect(t).not.toMatch(/(?<!\\)!(?<!\\)\[/);
    }
  });

  it('never forms an <at> mention from user text, in text or in facts', () => {
    expect(facts).not.toContain('<at>');
    expect(facts).toContain('‹at›Someone‹/at› \\\\[x\\\\](http://evil)');
    expect((card as { msteams?: unknown }).msteams).toBeUndefined();
  });

  it('is still a clean card', () => {
    expect(cardProblems(card)).toEqual([]);
  });
});
