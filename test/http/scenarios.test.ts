import { afterEach, describe, expect, it } from 'vitest';
import type { Partner } from '../../src/domain/catalogue';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention, type User } from '../support/activities';
import { executes, find, inputIds, submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';

/**
 * The report's example cases (shared/domain.md), walked from flag to besluit the way a team would:
 * flag → leidende principes → partners' answers → duiding → besluit, all over HTTP.
 */

const OVJ: User = { id: '29:ovj', aadObjectId: 'aad-ovj', name: 'Officier Bakker' };
const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const WIJKTEAM: User = { id: '29:wt', aadObjectId: 'aad-wt', name: 'Wijkteam Smit' };
const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Halt-medewerker Visser' };
const GEZINSVOOGD: User = { id: '29:gv', aadObjectId: 'aad-gv', name: 'Gezinsvoogd Mulder' };
const RVDK: User = { id: '29:rvdk', aadObjectId: 'aad-rvdk', name: 'Raadsonderzoeker Jansen' };
const RECLASSERING: User = { id: '29:rn', aadObjectId: 'aad-rn', name: 'Reclasseringswerker Peters' };

let h: Harness;
let zaak: Verdiepingszaak;

afterEach(async () => {
  try {
    // Logs carry ids and states, not what a case is about (which partner, which disposal, how it went).
    expect(h.logs.filter((l) => ['afdoening', 'organisatie', 'hermelding', 'koersPassend', 'vrijheidsbeneming'].some((k) => k in l))).toEqual([]);
  } finally {
    await h.stop();
  }
});

async function start(now: string) {
  h = await startHarness({ now, config: { OFFICIEREN: `${OFFICIER.aadObjectId},${OVJ.aadObjectId}` } });
  h.connector.members = [OFFICIER, OVJ, WIJKAGENT, WIJKTEAM, HALT, GEZINSVOOGD, RVDK, RECLASSERING, VEILIG_THUIS].map(alsLid);
}

const thread = () => zaak.thread!.conversationId;
const act = (user: User, verb: string, data: Record<string, unknown>, replyToId = zaak.thread!.rootMessageId) => h.post(cardAction(h, user, verb, data, replyToId, thread()));
const current = async () => (await h.store.getCase(TEAM_ID, zaak.id))!;
const lastThreadCard = () => h.connector.cards('send').filter((c) => c.call.conversationId === thread()).at(-1)!.card;

async function flag(user: User, form: Record<string, unknown>) {
  const res = await h.post(cardAction(h, user, Verb.markeringIndienen, form, 'flag-form'));
  expect(text(res.body.value)).toContain('is gemarkeerd voor verdieping');
  zaak = (await h.store.findCaseByReference(TEAM_ID, String(form.zaaknummer)))!;
}

/** The view of the verdiepingskaart the user gets from its "Bekijken" button. */
async function eigenVerdiepingskaart(user: User) {
  return (await act(user, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'verdiepingskaart' }, zaak.verdiepingskaartId)).body.value;
}

/** Opens a principle step from the verdiepingskaart, types the answers (input ids v_<key>) and saves. */
async function principe(user: User, stap: number, antwoorden: Record<string, string>) {
  const form = (await act(user, Verb.principeOpenen, { caseId: zaak.id, stap }, zaak.verdiepingskaartId)).body.value;
  const typed = Object.fromEntries(Object.entries(antwoorden).map(([k, v]) => [`v_${k}`, v]));
  for (const id of Object.keys(typed)) expect(inputIds(form)).toContain(id);
  await act(user, Verb.principeOpslaan, submit(form, Verb.principeOpslaan, typed), zaak.verdiepingskaartId);
  expect((await current()).principes[stap]?.status).toBe('ingevuld');
}

/**
 * A need-to-know question to a partner: the case lead invites them with "Partner uitnodigen", the
 * partner opens their own view of the prompt card (Teams refreshes it for them) and answers.
 */
async function partnerVraag(partner: User, organisatie: Partner, vraag: string, waarom: string, antwoord: string, extra: { duiding?: string; gedeeld?: 'true' } = {}) {
  // The invitation form comes back to the lead only, not in the thread.
  const form = (await act(OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id })).body.value;
  await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { lid: partner.id, organisatie, vraag, waarom }), 'invite-form');
  const uitvraag = (await current()).uitvragen.at(-1)!;
  expect(uitvraag).toMatchObject({ organisatie, vraag, status: 'open' });
  const prompt = lastThreadCard();
  const refresh = cardAction(h, partner, prompt.refresh.action.verb, prompt.refresh.action.data, uitvraag.messageId!, thread());
  const own = (await h.post({ ...refresh, value: { ...refresh.value, trigger: 'automatic' } })).body.value;
  await act(partner, Verb.uitvraagBeantwoorden, submit(own, Verb.uitvraagBeantwoorden, { antwoord, bron: 'Eigen registratie', bekend: 'ja', ...extra }), uitvraag.messageId!);
  expect((await current()).uitvragen.find((u) => u.id === uitvraag.id)).toMatchObject({ status: 'beantwoord', antwoord: { tekst: antwoord, door: { name: partner.name } } });
}

describe('Casus 1: LVB man (61), theft of three cans of cola', () => {
  it('walks from flag to a besluit with care around him, each action with an owner and a date', async () => {
    await start('2026-10-20T08:30:00Z');
    await flag(OFFICIER, {
      zaaknummer: '13/000101-26',
      zaaktypes: 'lvb',
      signaal: 'Man (61) met LVB stal drie blikjes cola; winkelboete en winkelverbod. Zijn netwerk viel weg: moeder overleden, zwager (regelde zijn geld) kreeg een beroerte, buurvrouw die kookte brak haar been.',
      betrokkene_0_rol: 'verdachte',
      betrokkene_0_leeftijd: '23-64',
      rijen: 1,
    });
    // The wijkagent knows him: the casusregisseur gives him access to the case.
    await verleenToegang(h, zaak.id, WIJKAGENT);

    await principe(OFFICIER, 1, { zorgen: 'Hij redt zich niet meer alleen: geen eten, geen geld.', tegenstrijdig: 'Winkel ziet een brutale dief; de wijkagent kent hem als een vriendelijke man.' });
    await principe(WIJKAGENT, 2, { perspectief_0: 'deels', spreker_0: 'Wijkagent', ontbreekt: 'Familie: heeft hij nog een zus?' });
    await principe(OFFICIER, 3, { vragen: 'Wie helpt hem nu? Eerder bekend met winkeldiefstal?', partners: 'wijkteam,politie', nodig: 'Zonder dit kiezen we een straf die niets verandert.' });
    await principe(OFFICIER, 5, { kwetsbaar: 'LVB, alleen, geen geldbeheer.', draagt: 'De winkel wil meedenken; de wijkagent kent hem.' });

    await partnerVraag(WIJKTEAM, 'wijkteam', 'Is hij bij jullie bekend, en wie helpt hem nu?', 'Om hulp op maat te regelen', 'Bekend sinds 2023; contact liep via zijn zwager. Nu krijgt hij geen hulp.', { gedeeld: 'true' });
    await partnerVraag(WIJKAGENT, 'politie', 'Eerdere incidenten?', 'Patroon of incident?', 'Twee keer eerder kleine winkeldiefstal, beide na het overlijden van zijn moeder.', { gedeeld: 'true' });

    // Duiding: no warning (steps 2 and 3 were looked at); the form starts from the partners' answers.
    const duidingForm = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    expect(text(duidingForm)).toContain('Bekend sinds 2023; contact liep via zijn zwager.');
    expect(text(duidingForm)).toContain('beide na het overlijden van zijn moeder');
    const hypothese = 'Het stelen volgt uit het weggevallen netwerk: met een maatje, eten en hulp bij geld stopt het.';
    const duiding = await act(OFFICIER, Verb.duidingVastleggen, submit(duidingForm, Verb.duidingVastleggen, {
      patronen: 'combinatieproblematiek,oude_bekenden',
      tegenstrijdigheden: 'Brutale dief volgens de winkel, vriendelijke man volgens de wijkagent.',
      hypothese_0: hypothese,
      veiligheid_0_nu: 'zorgelijk',
      veiligheid_0_straks: 'veilig',
      veiligheid_0_toelichting: 'Eet niet goed sinds de buurvrouw uitviel.',
    }), 'duiding-form');
    expect((await current()).fase).toBe('duiding');
    expect(text(duiding.body.value)).toContain(hypothese);
    expect(text(lastThreadCard())).toContain('Duiding vastgelegd');
    expect(text(lastThreadCard())).not.toContain(hypothese);

    // Besluit: sepot with help; the four actions from the report, each with an owner from the team.
    let form = (await act(OFFICIER, Verb.besluitOpenen, { caseId: zaak.id })).body.value;
    for (let i = 0; i < 2; i++) form = (await act(OFFICIER, Verb.besluitRijToevoegen, submit(form, Verb.besluitRijToevoegen, { rij: 'actie' }), 'besluit-form')).body.value;
    const res = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, {
      vrijheidsbeneming: 'heenzenden',
      strafrechtelijk: 'beleidssepot',
      interventies: 'maatje_wmo,huisbezoek_wijkagent',
      zorg: 'WMO-ouderenmaatje; wijkteam twee keer per week; ouderenwerker.',
      waarom_mix: 'Straf verandert niets aan een weggevallen netwerk; de winkel doet mee zodat hij er weer boodschappen kan doen.',
      tijdstrategie: 'versnellen',
      tijdstrategie_reden: 'Hij eet nu al niet goed: de hulp moet deze week starten.',
      doel_0_wat: 'Hij doet twee keer per week met een maatje boodschappen in de winkel',
      doel_0_voorwie: 'Verdachte (61)',
      doel_0_wanneer: '2026-11-30',
      actie_0_wat: 'Huisbezoek van de wijkagent samen met een ouderenwerker',
      actie_0_eigenaar: WIJKAGENT.aadObjectId,
      actie_0_datum: '2026-10-22',
      actie_1_wat: 'WMO-ouderenmaatje aanvragen',
      actie_1_eigenaar: WIJKTEAM.aadObjectId,
      actie_1_datum: '2026-10-27',
      actie_2_wat: 'Afspraak met de winkel: hij mag weer binnen samen met zijn maatje',
      actie_2_eigenaar: WIJKAGENT.aadObjectId,
      actie_2_datum: '2026-10-30',
      actie_3_wat: 'Wijkteam komt twee keer per week langs',
      actie_3_eigenaar: WIJKTEAM.aadObjectId,
      actie_3_datum: '2026-10-23',
    }), 'besluit-form');
    expect(text(res.body.value)).toContain('Besluit 13/000101-26 vastgelegd');

    const z = await current();
    expect(z.fase).toBe('monitoring');
    expect(z.besluit!.acties.map((a) => [a.eigenaar.name, a.datum])).toEqual([
      [WIJKAGENT.name, '2026-10-22'],
      [WIJKTEAM.name, '2026-10-27'],
      [WIJKAGENT.name, '2026-10-30'],
      [WIJKTEAM.name, '2026-10-23'],
    ]);
    // The thread's notice calls on each action owner once; what the actions are is in their own view.
    const notice = lastThreadCard();
    expect(text(notice)).toContain('Besluit vastgelegd');
    expect(notice.msteams.entities.map((e: any) => e.mentioned.id)).toEqual([WIJKAGENT.id, WIJKTEAM.id]);
    expect(text(notice)).not.toContain('ouderenmaatje');
    const jobs = await h.store.listJobs(TEAM_ID, { caseId: zaak.id });
    expect(jobs.filter((j) => j.kind === 'actie.vervaldatum').map((j) => j.dueAt)).toEqual([
      '2026-10-22T07:00:00.000Z',
      '2026-10-23T07:00:00.000Z',
      '2026-10-27T08:00:00.000Z',
      '2026-10-30T08:00:00.000Z',
    ]);
    expect(jobs.filter((j) => j.kind === 'monitoring').map((j) => j.ref)).toEqual(['2026-12-01', '2027-01-19']);

    // The verdiepingskaart shows the duiding and the besluit at steps 7 and 9: in the channel that they
    // are there, in the view of someone on the case what they say.
    const kaart = text(h.connector.cards('update').filter((c) => c.call.activityId === zaak.verdiepingskaartId).at(-1)!.card);
    expect(kaart).toContain('Duiding versie 1 (Officier Van Dijk');
    expect(kaart).toContain('Besluit versie 1: 4 acties');
    expect(kaart).not.toContain(hypothese);
    const eigen = text(await eigenVerdiepingskaart(WIJKAGENT));
    expect(eigen).toContain(hypothese);
    expect(eigen).toContain('Besluit versie 1: Heenzenden, Beleidssepot, 2 interventies, 4 acties');
  });
});

describe('Casus 2: boy (15), theft; Halt at maximum hours and a corrigerend gesprek the next day', () => {
  it('walks from flag to an intensified besluit by the officier, across the start of summer time', async () => {
    // Saturday 28 March 2026, 15:00 in Amsterdam; summer time starts that night.
    await start('2026-03-28T14:00:00Z');
    await flag(OFFICIER, {
      zaaknummer: 'ZSM-2026-00202',
      zaaktypes: 'jeugd',
      signaal: 'Jongen (15) aangehouden voor diefstal. Gaat niet naar school, grote problemen thuis, heeft een gezinsvoogd en wordt binnenkort uit huis geplaatst. Hij heeft dagbesteding nodig.',
      betrokkene_0_rol: 'verdachte',
      betrokkene_0_leeftijd: '12-17',
      betrokkene_1_rol: 'ouder',
      betrokkene_1_leeftijd: '23-64',
      rijen: 2,
    });
    await verleenToegang(h, zaak.id, GEZINSVOOGD);

    await principe(OFFICIER, 1, { zorgen: 'Hij glijdt weg: geen school, geen dagritme, thuis gaat het mis.', tegenstrijdig: 'Moeder zegt dat het thuis goed gaat; de gezinsvoogd bereidt een uithuisplaatsing voor.' });
    await principe(GEZINSVOOGD, 2, { perspectief_0: 'ja', spreker_0: 'Gezinsvoogd', perspectief_1: 'deels', spreker_1: 'Gezinsvoogd', ontbreekt: 'School: wie spreekt de leerplichtambtenaar?' });
    await principe(OFFICIER, 3, { vragen: 'Kan Halt meteen starten? Loopt de OTS nog?', partners: 'halt,rvdk', nodig: 'Om straf en hulp tegelijk in te zetten.' });
    await principe(OFFICIER, 8, { tijd: 'intensiveren', reden: 'Nu ingrijpen, voor de uithuisplaatsing.', drieMaanden: 'Dan woont hij in een leefgroep; de dagbesteding moet dan lopen.' });

    await partnerVraag(HALT, 'halt', 'Kan Halt direct starten, en met hoeveel uren?', 'Om direct te kunnen reageren', 'Ja, we kunnen morgen starten met het maximum aantal uren.');
    await partnerVraag(RVDK, 'rvdk', 'Loopt er een OTS, en wanneer is de uithuisplaatsing?', 'Om de afdoening af te stemmen', 'De OTS loopt; uithuisplaatsing over ongeveer drie weken.');

    const duidingForm = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    expect(find(duidingForm, (n) => n.id === 'perspectief_0_organisatie')[0].value).toBe('halt');
    expect(find(duidingForm, (n) => n.id === 'perspectief_1_organisatie')[0].value).toBe('rvdk');
    await act(OFFICIER, Verb.duidingVastleggen, submit(duidingForm, Verb.duidingVastleggen, {
      patronen: 'combinatieproblematiek,afwachten',
      hypothese_0: 'Zonder dagritme pleegt hij nieuwe delicten; straf en dagbesteding direct samen stoppen dat voor de uithuisplaatsing.',
      veiligheid_0_nu: 'zorgelijk',
      veiligheid_0_straks: 'zorgelijk',
      veiligheid_1_nu: 'veilig',
      veiligheid_1_straks: 'veilig',
    }), 'duiding-form');
    expect((await current()).duidingen).toHaveLength(1);

    // The case lead flagged it; the officier (listed in the configuration) takes the besluit.
    expect((await act(HALT, Verb.besluitOpenen, { caseId: zaak.id })).body.value).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
    let form = (await act(OVJ, Verb.besluitOpenen, { caseId: zaak.id })).body.value;
    form = (await act(OVJ, Verb.besluitRijToevoegen, submit(form, Verb.besluitRijToevoegen, { rij: 'actie' }), 'besluit-form')).body.value;
    const values = {
      vrijheidsbeneming: 'heenzenden',
      strafrechtelijk: 'halt',
      interventies: 'corrigerend_gesprek,school_dagbesteding',
      zorg: 'Dagbesteding via de gezinsvoogd, nog voor de uithuisplaatsing.',
      waarom_mix: 'Een snelle, stevige reactie op het delict samen met dagritme: alleen straf of alleen zorg werkt bij hem niet.',
      tijdstrategie: 'intensiveren',
      tijdstrategie_reden: 'Halt start direct op het maximum aantal uren; de officier houdt morgen een corrigerend gesprek.',
      doel_0_wat: 'Gesprek voeren',
      doel_0_voorwie: 'Jongen (15)',
      doel_0_wanneer: '2026-04-30',
      actie_0_wat: 'Halt-interventie starten op het maximum aantal uren',
      actie_0_eigenaar: HALT.aadObjectId,
      actie_0_datum: '2026-03-28',
      actie_1_wat: 'Corrigerend gesprek met de jongen',
      actie_1_eigenaar: OVJ.aadObjectId,
      actie_1_datum: '2026-03-29',
      actie_2_wat: 'Dagbesteding geregeld voor de uithuisplaatsing',
      actie_2_eigenaar: GEZINSVOOGD.aadObjectId,
      actie_2_datum: '2026-04-17',
    };
    const flagged = (await act(OVJ, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, values), 'besluit-form')).body.value;
    expect(text(flagged)).toContain('is een algemene formulering');
    // The team sharpens the goal instead of confirming it.
    await act(OVJ, Verb.besluitVastleggen, submit(flagged, Verb.besluitVastleggen, { ...values, doel_0_wat: 'Hij gaat vier dagen per week naar dagbesteding en pleegt geen nieuw delict' }), 'besluit-form');

    const z = await current();
    expect(z.fase).toBe('monitoring');
    expect(z.besluit).toMatchObject({ strafrechtelijk: { afdoening: 'halt' }, interventies: [{ soort: 'corrigerend_gesprek', organisatie: 'om' }, { soort: 'school_dagbesteding', organisatie: 'leerplicht' }], tijdstrategie: { keuze: 'intensiveren' }, door: { name: OVJ.name } });
    expect(z.besluit!.doelen[0]).not.toHaveProperty('algemeenBevestigd');
    expect(lastThreadCard().msteams.entities.map((e: any) => e.mentioned.name)).toEqual([HALT.name, OVJ.name, GEZINSVOOGD.name]);

    const jobs = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'actie.vervaldatum' || j.kind === 'monitoring');
    expect(jobs.map((j) => [j.kind, j.dueAt])).toEqual([
      ['actie.vervaldatum', '2026-03-28T08:00:00.000Z'], // today, 09:00 winter time: due at once
      ['actie.vervaldatum', '2026-03-29T07:00:00.000Z'], // tomorrow, 09:00 summer time
      ['actie.vervaldatum', '2026-04-17T07:00:00.000Z'],
      ['monitoring', '2026-05-09T07:00:00.000Z'],
      ['monitoring', '2026-06-27T07:00:00.000Z'],
    ]);

    // The whole record, for the team.
    h.connector.reset();
    await h.post(mention(h, OFFICIER, 'ketenkaart ZSM-2026-00202'));
    const [status] = h.connector.cards().map((c) => c.card);
    expect(text(status)).toContain('Alleen zichtbaar voor');
    const bekijken = executes(status).find((a) => a.title === 'Bekijken');
    const kaart = (await h.post(cardAction(h, OFFICIER, bekijken.verb, bekijken.data))).body.value;
    const ketenkaart = text(kaart);
    for (const fragment of ['Halt-interventie', 'Intensiveren', 'Corrigerend gesprek met de jongen', 'De OTS loopt', 'Stap 8: Spelen met tijd', 'Verdachte, 12–17 jaar']) {
      expect(ketenkaart).toContain(fragment);
      expect(JSON.stringify(h.connector.calls)).not.toContain(fragment);
    }
    expect(kaart.actions).toEqual([]);
  });
});

/** The whole record (ketenkaart) as the user sees it after pressing Bekijken. */
async function ketenkaart(user: User, reference: string): Promise<string> {
  h.connector.reset();
  await h.post(mention(h, user, `ketenkaart ${reference}`));
  const [status] = h.connector.cards().map((c) => c.card);
  const bekijken = executes(status).find((a) => a.title === 'Bekijken');
  return text((await h.post(cardAction(h, user, bekijken.verb, bekijken.data))).body.value);
}

/** The on-demand overview (the digest) as posted in the channel. */
async function overzicht(user: User): Promise<string> {
  h.connector.reset();
  await h.post(mention(h, user, 'overzicht'));
  return h.connector.cards().map((c) => text(c.card)).join('\n');
}

describe('Casus 3: woman (58) abused her intellectually disabled stepdaughter (9); the hypothesis changes over time', () => {
  it('walks from flag through two duidingen (partners interpreting side by side) to a besluit with a contact ban, voorlopige voogdij and a signal to the human-trafficking team', async () => {
    await start('2026-06-10T07:30:00Z');
    await flag(OFFICIER, {
      zaaknummer: '13/000303-26',
      zaaktypes: 'huiselijk_geweld,jeugd',
      signaal: 'Vrouw (58) mishandelde haar stiefdochter (9) met een verstandelijke beperking. Het meisje is met de vader in een opvang. Onduidelijk wie het gezag heeft: de moeder woont in Gambia.',
      betrokkene_0_rol: 'verdachte',
      betrokkene_0_leeftijd: '23-64',
      betrokkene_1_rol: 'slachtoffer,kind',
      betrokkene_1_leeftijd: '0-11',
      betrokkene_2_rol: 'ouder',
      betrokkene_2_leeftijd: '23-64',
      rijen: 3,
    });
    expect((await current()).betrokkenen[1]).toMatchObject({ rol: 'slachtoffer', ookRollen: ['kind'], leeftijd: '0-11' });

    await principe(OFFICIER, 1, { zorgen: 'Het meisje is niet veilig bij de stiefmoeder; wie beslist nu over haar?', tegenstrijdig: 'De vader zegt dat hij haar beschermt; de opvang twijfelt.' });
    await principe(OFFICIER, 2, { perspectief_0: 'deels', spreker_0: 'Politie', ontbreekt: 'Het meisje zelf, via een deskundige.' });
    await principe(OFFICIER, 3, { vragen: 'Wie heeft het gezag? Wat weet Veilig Thuis van het gezin?', partners: 'veilig_thuis,rvdk,reclassering', nodig: 'Zonder gezag kan niemand beslissen over haar veiligheid.' });

    // Partners answer and interpret from their own organisation.
    await partnerVraag(VEILIG_THUIS, 'veilig_thuis', 'Wat weet Veilig Thuis van dit gezin?', 'Om de veiligheid van het meisje te wegen', 'Twee eerdere meldingen over de stiefmoeder.', {
      duiding: 'Vanuit Veilig Thuis: de stiefmoeder is overbelast; met een contactverbod is het meisje voorlopig veilig.',
      gedeeld: 'true',
    });
    await partnerVraag(RVDK, 'rvdk', 'Wie heeft het gezag over het meisje?', 'Om te weten wie beslist', 'Onduidelijk: de moeder woont in Gambia. Wij vragen voorlopige voogdij aan.', {
      duiding: 'Vanuit de Raad: zonder gezaghebbende ouder hier is voorlopige voogdij nodig.',
      gedeeld: 'true',
    });
    await partnerVraag(RECLASSERING, 'reclassering', 'Kan de reclassering met de vrouw praten?', 'Om herhaling te voorkomen', 'Ja, twee gesprekken deze maand.');

    // Duiding 1: the partners' views side by side in the form.
    let form = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    for (const view of ['de stiefmoeder is overbelast', 'voorlopige voogdij nodig']) expect(text(form)).toContain(view);
    const eerste = 'De stiefmoeder is overbelast; met een contactverbod en voorlopige voogdij is het meisje veilig.';
    const duidingValues = {
      patronen: 'geweld_ouder_kind',
      veiligheid_0_nu: 'veilig',
      veiligheid_0_straks: 'veilig',
      veiligheid_1_nu: 'onveilig',
      veiligheid_1_straks: 'zorgelijk',
      veiligheid_2_nu: 'veilig',
      veiligheid_2_straks: 'veilig',
    };
    await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { ...duidingValues, hypothese_0: eerste }), 'duiding-form');

    // Veilig Thuis learns of the father's plan: the concern shifts to him.
    await partnerVraag(VEILIG_THUIS, 'veilig_thuis', 'Wat zijn de plannen van de vader?', 'Om te zien of het meisje bij hem veilig is', 'De vader wil het meisje in Gambia achterlaten en een ander kind meenemen.', {
      duiding: 'Vanuit Veilig Thuis: de zorg verschuift naar de vader; dit kan mensenhandel zijn.',
      gedeeld: 'true',
    });
    form = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    expect(text(form)).toContain('de zorg verschuift naar de vader');
    const tweede = 'De zorg ligt bij de vader: hij wil het meisje achterlaten en een ander kind halen. Een signaal aan het team mensenhandel is nodig.';
    await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { ...duidingValues, veiligheid_2_nu: 'zorgelijk', veiligheid_2_straks: 'onveilig', hypothese_0: tweede }), 'duiding-form');
    expect((await current()).duidingen.map((d) => d.hypothesen[0])).toEqual([eerste, tweede]);

    // Besluit: a contact ban as the sepot's condition, voorlopige voogdij by the Raad, talks with the
    // reclassering and a signal to the human-trafficking team, carried out by the police with the officier accountable.
    let besluit = (await act(OFFICIER, Verb.besluitOpenen, { caseId: zaak.id })).body.value;
    besluit = (await act(OFFICIER, Verb.besluitRijToevoegen, submit(besluit, Verb.besluitRijToevoegen, { rij: 'actie' }), 'besluit-form')).body.value;
    const res = await act(OFFICIER, Verb.besluitVastleggen, submit(besluit, Verb.besluitVastleggen, {
      vrijheidsbeneming: 'heenzenden',
      strafrechtelijk: 'voorwaardelijk_sepot',
      afdoening_toelichting: 'Contactverbod met het meisje',
      interventies: 'contactverbod,voorlopige_voogdij,reclassering,signaal_mensenhandel',
      zorg: 'Voorlopige voogdij; gesprekken met de vrouw; het meisje blijft in de opvang.',
      waarom_mix: 'Het meisje moet nu veilig zijn; de vrouw krijgt hulp om herhaling te voorkomen; de vader wordt onderzocht.',
      tijdstrategie: 'versnellen',
      tijdstrategie_reden: 'De vader kan het meisje elk moment meenemen.',
      doel_0_wat: 'Het meisje woont veilig en iemand hier beslist over haar',
      doel_0_voorwie: 'Meisje (9)',
      doel_0_wanneer: '2026-07-10',
      actie_0_wat: 'Verzoek voorlopige voogdij bij de kinderrechter',
      actie_0_eigenaar: RVDK.aadObjectId,
      actie_0_datum: '2026-06-11',
      actie_1_wat: 'Twee gesprekken met de vrouw',
      actie_1_eigenaar: RECLASSERING.aadObjectId,
      actie_1_datum: '2026-06-30',
      actie_2_wat: 'Signaal aan het team mensenhandel',
      actie_2_eigenaar: OFFICIER.aadObjectId,
      actie_2_organisatie: 'politie',
      actie_2_datum: '2026-06-11',
    }), 'besluit-form');
    expect(text(res.body.value)).toContain('Besluit 13/000303-26 vastgelegd');
    const z = await current();
    expect(z.besluit).toMatchObject({
      vrijheidsbeneming: 'heenzenden',
      strafrechtelijk: { afdoening: 'voorwaardelijk_sepot', toelichting: 'Contactverbod met het meisje' },
      interventies: [
        { soort: 'contactverbod', organisatie: 'om' },
        { soort: 'voorlopige_voogdij', organisatie: 'rvdk' },
        { soort: 'reclassering', organisatie: 'reclassering' },
        { soort: 'signaal_mensenhandel', organisatie: 'politie' },
      ],
    });
    expect(z.besluit!.acties.map((a) => [a.eigenaar.name, a.organisatie])).toEqual([
      [RVDK.name, undefined],
      [RECLASSERING.name, undefined],
      [OFFICIER.name, 'politie'],
    ]);

    // The record shows both duidingen, the partners' own duidingen and the besluit in the chain's terms.
    const keten = await ketenkaart(OFFICIER, '13/000303-26');
    for (const fragment of [eerste, tweede, 'Duiding vanuit Veilig Thuis', 'dit kan mensenhandel zijn', 'Duiding vanuit Raad voor de Kinderbescherming', 'Voorwaardelijk sepot: Contactverbod met het meisje', 'Contactverbod (OM)', 'Voorlopige voogdij (Raad voor de Kinderbescherming)', 'Signaal team mensenhandel (Politie)', 'Slachtoffer en kind, 0–11 jaar']) {
      expect(keten).toContain(fragment);
    }
    // The overview in the channel counts them, without any of the words.
    const digest = await overzicht(OFFICIER);
    for (const regel of ['Voorwaardelijk sepot: 1 zaak', 'Contactverbod (OM): 1 zaak', 'Signaal team mensenhandel (Politie): 1 zaak', 'Veilig Thuis: 1 zaak', 'Raad voor de Kinderbescherming: 1 zaak']) expect(digest).toContain(regel);
    for (const woorden of ['Gambia', 'mensenhandel zijn', 'overbelast']) expect(digest).not.toContain(woorden);
  });
});

describe('A young couple who hit each other, both from burdened families', () => {
  it('records both as verdachte and slachtoffer, interprets with the partners, decides on a joint conversation and help for each, and hands the lead to the municipality', async () => {
    await start('2026-09-14T08:00:00Z');
    await flag(OFFICIER, {
      zaaknummer: '13/000404-26',
      zaaktypes: 'huiselijk_geweld',
      signaal: 'Jong stel sloeg elkaar tijdens een ruzie thuis; beiden komen uit belaste gezinnen.',
      betrokkene_0_rol: 'verdachte,slachtoffer',
      betrokkene_0_leeftijd: '18-22',
      betrokkene_1_rol: 'verdachte,slachtoffer',
      betrokkene_1_leeftijd: '18-22',
      rijen: 2,
    });
    expect((await current()).betrokkenen.map((b) => [b.rol, b.ookRollen])).toEqual([
      ['verdachte', ['slachtoffer']],
      ['verdachte', ['slachtoffer']],
    ]);
    await principe(OFFICIER, 3, { vragen: 'Kennen Veilig Thuis en het wijkteam het stel en hun families?', partners: 'veilig_thuis,wijkteam', nodig: 'Om te zien of dit een patroon is.' });
    await principe(OFFICIER, 2, { perspectief_0: 'ja', spreker_0: 'Politie', perspectief_1: 'ja', spreker_1: 'Politie', ontbreekt: 'Hun families.' });

    await partnerVraag(VEILIG_THUIS, 'veilig_thuis', 'Is het stel bij jullie bekend?', 'Om het patroon te zien', 'Beide families zijn bekend om huiselijk geweld.', { duiding: 'Vanuit Veilig Thuis: tweezijdig geweld, aangeleerd thuis.', gedeeld: 'true' });
    await partnerVraag(WIJKTEAM, 'wijkteam', 'Kan de gemeente de regie nemen?', 'Om hulp voor beiden te regelen', 'Ja: jongerenwerker en WMO-consulent kunnen deze week langs.', { duiding: 'Vanuit de gemeente: beiden missen steun; hulp voor elk apart werkt beter dan straf.', gedeeld: 'true' });

    const form = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    for (const view of ['tweezijdig geweld', 'beiden missen steun']) expect(text(form)).toContain(view);
    await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, {
      patronen: 'partnerrelatie,combinatieproblematiek',
      hypothese_0: 'Beiden slaan uit onmacht zoals ze thuis leerden; samen praten en hulp voor elk stopt het.',
      veiligheid_0_nu: 'zorgelijk',
      veiligheid_0_straks: 'veilig',
      veiligheid_1_nu: 'zorgelijk',
      veiligheid_1_straks: 'veilig',
    }), 'duiding-form');

    let besluit = (await act(OFFICIER, Verb.besluitOpenen, { caseId: zaak.id })).body.value;
    const res = await act(OFFICIER, Verb.besluitVastleggen, submit(besluit, Verb.besluitVastleggen, {
      vrijheidsbeneming: 'heenzenden',
      strafrechtelijk: 'beleidssepot',
      interventies: 'gezamenlijk_gesprek,agressietraining',
      interventie_anders: 'Maatschappelijk werk voor haar',
      zorg: 'Gezamenlijk gesprek; agressietraining voor hem; maatschappelijk werk voor haar.',
      waarom_mix: 'Straf lost het geweld tussen hen niet op; hulp voor elk en een gesprek samen wel.',
      tijdstrategie: 'geen',
      tijdstrategie_reden: 'De hulp kan deze week starten.',
      doel_0_wat: 'Het stel lost ruzies op zonder geweld en elk heeft eigen hulp',
      doel_0_voorwie: 'Het stel (18–22)',
      doel_0_wanneer: '2026-12-14',
      actie_0_wat: 'Gezamenlijk gesprek met beiden, een jongerenwerker en een WMO-consulent',
      actie_0_eigenaar: WIJKTEAM.aadObjectId,
      actie_0_organisatie: 'wijkteam',
      actie_0_datum: '2026-09-18',
      actie_1_wat: 'Aanmelding agressietraining voor hem',
      actie_1_eigenaar: RECLASSERING.aadObjectId,
      actie_1_datum: '2026-09-25',
    }), 'besluit-form');
    expect(text(res.body.value)).toContain('Besluit 13/000404-26 vastgelegd');
    expect((await current()).besluit!.interventies).toEqual([
      { soort: 'gezamenlijk_gesprek', organisatie: 'wijkteam' },
      { soort: 'agressietraining', organisatie: 'reclassering' },
      { soort: 'anders', organisatie: 'anders', toelichting: 'Maatschappelijk werk voor haar' },
    ]);

    // The municipality takes the lead.
    expect((await act(OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: WIJKTEAM.id })).status).toBe(200);
    expect((await current()).lead).toMatchObject({ name: WIJKTEAM.name });
    besluit = (await act(WIJKTEAM, Verb.besluitOpenen, { caseId: zaak.id })).body.value;
    expect(inputIds(besluit)).toContain('zorg');

    const keten = await ketenkaart(WIJKTEAM, '13/000404-26');
    for (const fragment of ['Verdachte en slachtoffer, 18–22 jaar', 'Gezamenlijk gesprek (Gemeente / wijkteam / WMO)', 'Agressietraining (Reclassering)', 'Maatschappelijk werk voor haar', 'Duiding vanuit Veilig Thuis', 'Duiding vanuit Gemeente / wijkteam / WMO', WIJKTEAM.name]) {
      expect(keten).toContain(fragment);
    }
    const digest = await overzicht(OFFICIER);
    for (const regel of ['Beleidssepot: 1 zaak', 'Gezamenlijk gesprek (Gemeente / wijkteam / WMO): 1 zaak', 'Agressietraining (Reclassering): 1 zaak', 'Andere interventie: 1 zaak', 'Partnerrelatie']) expect(digest).toContain(regel);
    expect(digest).not.toContain('Maatschappelijk werk');
  });
});
