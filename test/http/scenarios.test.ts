import { afterEach, describe, expect, it } from 'vitest';
import type { Partner } from '../../src/domain/catalogue';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, cardAction, mention, type User } from '../support/activities';
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

let h: Harness;
let zaak: Verdiepingszaak;

afterEach(async () => {
  await h.stop();
});

async function start(now: string) {
  h = await startHarness({ now, config: { OFFICIEREN: `${OFFICIER.aadObjectId},${OVJ.aadObjectId}` } });
  h.connector.members = [OFFICIER, OVJ, WIJKAGENT, WIJKTEAM, HALT, GEZINSVOOGD, RVDK].map(alsLid);
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
async function partnerVraag(partner: User, organisatie: Partner, vraag: string, waarom: string, antwoord: string) {
  // The invitation form comes back to the lead only, not in the thread.
  const form = (await act(OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id })).body.value;
  await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { lid: partner.id, organisatie, vraag, waarom }), 'invite-form');
  const uitvraag = (await current()).uitvragen.at(-1)!;
  expect(uitvraag).toMatchObject({ organisatie, vraag, status: 'open' });
  const prompt = lastThreadCard();
  const refresh = cardAction(h, partner, prompt.refresh.action.verb, prompt.refresh.action.data, uitvraag.messageId!, thread());
  const own = (await h.post({ ...refresh, value: { ...refresh.value, trigger: 'automatic' } })).body.value;
  await act(partner, Verb.uitvraagBeantwoorden, submit(own, Verb.uitvraagBeantwoorden, { antwoord, bron: 'Eigen registratie', bekend: 'ja' }), uitvraag.messageId!);
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

    await partnerVraag(WIJKTEAM, 'wijkteam', 'Is hij bij jullie bekend, en wie helpt hem nu?', 'Om hulp op maat te regelen', 'Bekend sinds 2023; contact liep via zijn zwager. Nu krijgt hij geen hulp.');
    await partnerVraag(WIJKAGENT, 'politie', 'Eerdere incidenten?', 'Patroon of incident?', 'Twee keer eerder kleine winkeldiefstal, beide na het overlijden van zijn moeder.');

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
