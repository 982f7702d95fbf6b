import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID, OFFICIER, VEILIG_THUIS, botInstalled, cardAction, mention, type User } from '../support/activities';
import { executes, inputs, submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid } from '../support/toegang';
import { Verb } from '../../src/verbs';
import type { Verdiepingszaak } from '../../src/domain/zaak';

/**
 * The leak test: a whole case walked over HTTP with a unique marker in every free-text field, then
 * every body the bot POSTed or PUT to Teams (what the channel, its threads and Graph can read) is
 * scanned: no marker. A teamlid without access to the case gets no marker in any answer either.
 */

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const COLLEGA: User = { id: '29:collega', aadObjectId: 'aad-collega', name: 'Collega Zonder Rol' };
const REFERENCE = '13/424242-26';

describe('no case text reaches the channel', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  const markers: string[] = [];
  /** A fresh marker: letters only (no markdown escape or privacy filter can change it), never a prefix of another. */
  const marker = (waar: string) => {
    const m = `Lek${waar.replace(/[^A-Za-z]/g, '')}Q${String.fromCharCode(97 + (markers.length % 26))}${String.fromCharCode(97 + Math.floor(markers.length / 26))}x`;
    markers.push(m);
    return `${m} tekst`;
  };
  const thread = () => zaak.thread!.conversationId;
  const act = async (user: User, verb: string, data: Record<string, unknown>, replyToId = zaak.thread!.rootMessageId) => (await h.post(cardAction(h, user, verb, data, replyToId, thread()))).body;
  const current = async () => (zaak = (await h.store.getCase(TEAM_ID, zaak.id))!);
  const say = (user: User, words: string) => h.post(mention(h, user, words));
  /** Every empty free-text input of a form gets its own marker, every empty choice its first option, every empty date one (a plandatum stays empty: it is for uitstel). */
  const typeMarkers = (form: unknown, waar: string) => ({
    ...Object.fromEntries(inputs(form).filter((i) => i.type === 'Input.Date' && !i.value && !i.id.startsWith('plandatum')).map((i) => [i.id, '2026-10-23'])),
    ...Object.fromEntries(inputs(form).filter((i) => i.type === 'Input.ChoiceSet' && !i.value && i.choices?.length).map((i) => [i.id, i.choices[0].value])),
    ...Object.fromEntries(inputs(form).filter((i) => i.type === 'Input.Text' && !/datum|deadline|naam|initialen|nvt_reden|afdoening_anders|organisatie/i.test(i.id) && !i.value).map((i) => [i.id, marker(`${waar}${i.id}`)])),
  });
  /** What Teams shows to the channel: every POST and PUT the bot made. */
  const naarTeams = () => text(h.connector.calls.filter((c) => c.method === 'POST' || c.method === 'PUT').map((c) => c.body));
  const answersToCollega: unknown[] = [];

  beforeAll(async () => {
    h = await startHarness({ now: '2026-10-20T08:00:00Z', config: { OFFICIEREN: OFFICIER.aadObjectId } });
    h.connector.members = [OFFICIER, VEILIG_THUIS, HALT, WIJKAGENT, COLLEGA].map(alsLid);
    await h.post(botInstalled(h, OFFICIER));

    // Flag, with a signaal.
    const flagged = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: REFERENCE, zaaktypes: 'jeugd', signaal: marker('signaal'), betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1 }, 'flag-form'));
    expect(text(flagged.body.value)).toContain('is gemarkeerd voor verdieping');
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;

    // The nine leidende principes, every text field with its own marker.
    for (let stap = 1; stap <= 9; stap++) {
      const form = (await act(OFFICIER, Verb.principeOpenen, { caseId: zaak.id, stap }, zaak.verdiepingskaartId)).value;
      await act(OFFICIER, Verb.principeOpslaan, submit(form, Verb.principeOpslaan, typeMarkers(form, `stap${stap}`)), zaak.verdiepingskaartId);
    }
    await current();

    // Two partners invited; Veilig Thuis answers without sharing, Halt with.
    for (const [partner, organisatie, gedeeld] of [[VEILIG_THUIS, 'veilig_thuis', 'false'], [HALT, 'halt', 'true']] as const) {
      const form = (await act(OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id })).value;
      await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { lid: partner.id, organisatie, vraag: marker(`vraag${organisatie}`), waarom: marker(`waarom${organisatie}`) }), 'invite-form');
      const uitvraag = (await current()).uitvragen.at(-1)!;
      const prompt = h.connector.cards('send').filter((c) => c.call.conversationId === thread()).at(-1)!.card;
      const own = await h.post(cardAction(h, partner, prompt.refresh.action.verb, prompt.refresh.action.data, uitvraag.messageId!, thread()));
      await act(partner, Verb.uitvraagBeantwoorden, submit(own.body.value, Verb.uitvraagBeantwoorden, { antwoord: marker(`antwoord${organisatie}`), bron: marker(`bron${organisatie}`), bekend: 'ja', gedeeld }), uitvraag.messageId!);
    }
    expect((await current()).uitvragen.map((u) => [u.status, u.antwoord?.gedeeld])).toEqual([['beantwoord', false], ['beantwoord', true]]);

    // Duiding.
    const duidingForm = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).value;
    await act(OFFICIER, Verb.duidingVastleggen, submit(duidingForm, Verb.duidingVastleggen, { ...typeMarkers(duidingForm, 'duiding'), patronen: 'combinatieproblematiek', veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig' }), 'duiding-form');
    expect((await current()).duidingen).toHaveLength(1);

    // Besluit with a goal and an action for the wijkagent.
    const besluitForm = (await act(OFFICIER, Verb.besluitOpenen, { caseId: zaak.id })).value;
    await act(OFFICIER, Verb.besluitVastleggen, submit(besluitForm, Verb.besluitVastleggen, {
      ...typeMarkers(besluitForm, 'besluit'),
      // Every action is the wijkagent's: the colleague below stays without a role on the case.
      ...Object.fromEntries(inputs(besluitForm).filter((i) => /^actie_\d+_eigenaar$/.test(i.id)).map((i) => [i.id, WIJKAGENT.aadObjectId])),
      vrijheidsbeneming: 'heenzenden',
      strafrechtelijk: 'beleidssepot',
      tijdstrategie: 'versnellen',
      doel_0_wanneer: '2026-11-30',
      actie_0_eigenaar: WIJKAGENT.aadObjectId,
      actie_0_datum: '2026-10-23',
    }), 'besluit-form');
    expect((await current()).fase).toBe('monitoring');

    // The dispatcher's follow-ups: the action-due card, then the action updated by its owner.
    h.clock.set('2026-10-23T08:00:00Z');
    await h.bot.dispatcher!.tick();
    const actie = zaak.besluit!.acties[0]!;
    await act(WIJKAGENT, Verb.actieBijwerken, { caseId: zaak.id, actieId: actie.id, basis: actie.datum, keuze: 'gereed', datum: '', toelichting: marker('actietoelichting') }, 'actie-card');
    expect((await current()).besluit!.acties[0]!.status).toBe('gereed');

    // The monitoring check and the weekly digest.
    const monitoring = zaak.besluit!.monitoring[0]!;
    h.clock.set(`${monitoring}T08:30:00Z`);
    await h.bot.dispatcher!.tick();
    await act(OFFICIER, Verb.monitoringVastleggen, { caseId: zaak.id, datum: monitoring, hermelding: 'nee', hermelding_wat: '', koers: 'ja', toelichting: marker('monitoring') }, 'monitoring-card');
    expect((await current()).monitoring).toHaveLength(1);
    await h.bot.dispatcher!.tick();

    // Closing with a leeropbrengst.
    const sluiten = (await act(OFFICIER, Verb.afsluitingOpenen, { caseId: zaak.id })).value;
    await act(OFFICIER, Verb.afsluitingVastleggen, submit(sluiten, Verb.afsluitingVastleggen, typeMarkers(sluiten, 'afsluiting')), 'close-form');
    expect((await current()).fase).toBe('gesloten');

    // What the lead asks for afterwards, each with its Bekijken pressed.
    for (const opdracht of [`ketenkaart ${REFERENCE}`, 'overzicht', 'mijn acties', `inzage ${REFERENCE}`, `zaak ${REFERENCE}`, 'zaken']) {
      const before = h.connector.calls.length;
      await say(OFFICIER, opdracht);
      for (const call of h.connector.calls.slice(before)) {
        const card = call.body?.attachments?.[0]?.content;
        for (const knop of card ? executes(card).filter((a) => a.title === 'Bekijken') : []) await act(OFFICIER, knop.verb, knop.data, call.responseId);
      }
    }
    h.clock.set('2026-12-07T08:05:00Z');
    await h.bot.dispatcher!.tick();

    // A teamlid without a role on the case tries every view (refresh, Bekijken) and command.
    const views = h.connector.cards().flatMap(({ card }) => [...(card.refresh ? [card.refresh.action] : []), ...executes(card).filter((a) => a.title === 'Bekijken')]);
    for (const v of views) answersToCollega.push((await act(COLLEGA, v.verb, v.data)).value);
    for (const opdracht of [`ketenkaart ${REFERENCE}`, `zaak ${REFERENCE}`, `inzage ${REFERENCE}`]) {
      const before = h.connector.calls.length;
      await say(COLLEGA, opdracht);
      answersToCollega.push(...h.connector.calls.slice(before).map((c) => c.body));
    }
  });
  afterAll(async () => {
    await h.stop();
  });

  it('stored the marker of every free-text field it walked', async () => {
    const opgeslagen = text([await h.store.getCase(TEAM_ID, zaak.id), await h.store.listEvents(TEAM_ID, zaak.id)]);
    const ontbrekend = markers.filter((m) => !opgeslagen.includes(m));
    expect(markers.length).toBeGreaterThan(40);
    expect(ontbrekend).toEqual([]);
  });

  it('posted and updated cards in the channel and the thread, and none of them carries a marker', () => {
    const kinds = new Set(h.connector.calls.map((c) => c.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['create', 'send', 'update']));
    const verzonden = naarTeams();
    expect(markers.filter((m) => verzonden.includes(m))).toEqual([]);
  });

  it('the dispatcher sent the action-due card, the monitoring check and the digest', () => {
    const verbs = h.connector.cards('send').flatMap(({ card }) => executes(card).map((a) => `${a.verb}:${a.data?.soort ?? ''}`));
    expect(verbs).toEqual(expect.arrayContaining([`${Verb.opvolgingBekijken}:actie`, `${Verb.opvolgingBekijken}:monitoring`]));
    expect(h.connector.cards().some(({ card }) => text(card).includes('Weekoverzicht'))).toBe(true);
  });

  it('gave the teamlid without access no marker in any answer; a forged refresh of the case card gets the status', async () => {
    expect(answersToCollega.length).toBeGreaterThan(10);
    const vervalst = (await act(COLLEGA, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value;
    expect(text(vervalst)).toContain('Beperkt zichtbaar');
    expect(text(vervalst)).toContain(REFERENCE);
    const gezien = text(answersToCollega);
    expect(markers.filter((m) => gezien.includes(m))).toEqual([]);
  });

  it('never updates the case card or the verdiepingskaart because a card action names it in replyToId', async () => {
    const eigen = [zaak.thread!.rootMessageId, zaak.verdiepingskaartId!];
    const before = h.connector.calls.length;
    for (const replyToId of eigen) {
      for (const user of [OFFICIER, COLLEGA, VEILIG_THUIS]) {
        await act(user, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' }, replyToId);
        await act(user, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: zaak.uitvragen[0]!.id }, replyToId);
        await act(user, Verb.duidingTerug, { caseId: zaak.id }, replyToId);
        await act(user, Verb.principeOpenen, { caseId: zaak.id, stap: 1 }, replyToId);
        await act(user, Verb.besluitOpenen, { caseId: zaak.id }, replyToId);
        await act(user, Verb.heropeningOpenen, { caseId: zaak.id }, replyToId);
        await act(user, Verb.uitvraagCorrigeren, { caseId: zaak.id, uitvraagId: zaak.uitvragen[0]!.id }, replyToId);
        await act(user, Verb.persoonlijkBekijken, { soort: 'ketenkaart', reference: REFERENCE }, replyToId);
      }
    }
    expect(h.connector.calls.slice(before).filter((c) => c.method === 'PUT' || c.method === 'POST')).toEqual([]);
  });
});
