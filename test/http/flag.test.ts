import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Verb, Command } from '../../src/verbs';
import { CHANNEL_ID, FOREIGN_TENANT, OFFICIER, TEAM_ID, VEILIG_THUIS, botInstalled, cardAction, mention, messageActionFetch, messageActionSubmit, personalMessage } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';

const validForm = {
  zaaknummer: '13/123456-26',
  zaaktypes: 'lvb,verward_persoon',
  signaal: 'Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen: moeder overleden, zwager met een beroerte.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: 'j.d.',
  betrokkene_0_leeftijd: '23-64',
  deadline_datum: '',
  deadline_tijd: '',
  rijen: 1,
};

function allText(card: unknown): string {
  return JSON.stringify(card);
}

describe('flagging a verdiepingszaak over HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('welcomes the team on install and remembers the channel', async () => {
    const res = await h.post(botInstalled(h, OFFICIER));
    expect(res.status).toBe(200);
    const [welcome] = h.connector.cards();
    expect(allText(welcome!.card)).toContain('Welkom bij Verdiep');
    expect(welcome!.call.conversationId).toBe(TEAM_ID);
    const team = await h.store.getTeam(TEAM_ID);
    expect(team?.serviceUrl).toBe(h.serviceUrl);
    expect(team?.channelId).toBe(TEAM_ID);
  });

  it('keeps the team\'s digest schedule and install date when Teams tells of the install again (a redelivery, a reinstall or an update)', async () => {
    await h.post(botInstalled(h, OFFICIER));
    const eerst = (await h.store.getTeam(TEAM_ID))!;
    await h.store.saveTeam({ ...eerst, digestCron: '0 14 * * 3' });
    h.clock.advance(3_600_000);
    expect((await h.post(botInstalled(h, OFFICIER))).status).toBe(200);
    const daarna = (await h.store.getTeam(TEAM_ID))!;
    expect(daarna).toMatchObject({ digestCron: '0 14 * * 3', installedAt: eerst.installedAt, channelId: TEAM_ID });
    expect(daarna.updatedAt > eerst.updatedAt).toBe(true);
  });

  it('answers "verdiep" with the flag form and flags the case into a new thread', async () => {
    await h.post(mention(h, OFFICIER, 'verdiep'));
    const form = h.connector.cards().at(-1)!.card;
    expect(allText(form)).toContain('Zaak markeren voor verdieping');
    expect(form.actions.map((a: any) => a.type)).toEqual(['Action.Execute', 'Action.Execute']);
    expect(form.actions[0].verb).toBe(Verb.markeringIndienen);

    h.connector.reset();
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, validForm, 'form-msg'));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(allText(res.body.value)).toContain('Zaak 13/123456-26 is gemarkeerd');

    const created = h.connector.calls.find((c) => c.kind === 'create')!;
    expect(created.body.channelData.channel.id).toBe(CHANNEL_ID);
    // The channel's case card carries status only: the signal and the betrokkenen are for the people on the case.
    const rootCard = created.body.activity.attachments[0].content;
    const caseCard = allText(rootCard);
    expect(caseCard).toContain('Verdiepingszaak 13/123456-26');
    expect(caseCard).toContain('LVB');
    expect(caseCard).toContain('Officier Van Dijk');
    expect(caseCard).not.toContain('Verdachte');
    expect(caseCard).not.toContain('blikjes cola');
    expect(caseCard).not.toContain('J.D.');
    const bekijken = { caseId: expect.any(String), kaart: 'zaakkaart' };
    expect(rootCard.refresh.action).toMatchObject({ verb: Verb.zaakBekijken, data: bekijken });
    expect(rootCard.actions[0]).toMatchObject({ title: 'Bekijken', verb: Verb.zaakBekijken, data: bekijken });

    // The confirmation is for the one who pressed: nothing replaces the form for everyone.
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);

    const zaak = await h.store.findCaseByReference(TEAM_ID, '13/123456-26');
    expect(zaak?.fase).toBe('gemarkeerd');
    expect(zaak?.betrokkenen).toEqual([{ rol: 'verdachte', initialen: 'J.D.', leeftijd: '23-64' }]);
    expect(zaak?.thread?.conversationId).toBe(`${CHANNEL_ID};messageid=${zaak?.thread?.rootMessageId}`);
    const events = await h.store.listEvents(TEAM_ID, zaak!.id);
    expect(events.map((e) => e.type)).toEqual(['zaak.gemarkeerd', 'zaak.thread_geopend', 'zaak.verdiepingskaart_geplaatst']);
    expect(events[0]!.actor).toEqual({ id: OFFICIER.aadObjectId, name: OFFICIER.name, teamsId: OFFICIER.id });

    // "Bekijken": the case lead gets the content, another team member the status and a way to ask for access.
    const root = zaak!.thread!.rootMessageId;
    const eigen = allText((await h.post(cardAction(h, OFFICIER, Verb.zaakBekijken, { caseId: zaak!.id, kaart: 'zaakkaart' }, root, zaak!.thread!.conversationId))).body.value);
    expect(eigen).toContain('blikjes cola');
    expect(eigen).toContain('Verdachte');
    expect(eigen).not.toContain('J.D.');
    const ander = allText((await h.post(cardAction(h, VEILIG_THUIS, Verb.zaakBekijken, { caseId: zaak!.id, kaart: 'zaakkaart' }, root, zaak!.thread!.conversationId))).body.value);
    expect(ander).toContain('Verdiepingszaak 13/123456-26');
    expect(ander).toContain('Beperkt zichtbaar');
    expect(ander).toContain(Verb.toegangVragen);
    expect(ander).not.toContain('blikjes cola');
    expect(ander).not.toContain('Verdachte');
  });

  it('adds a betrokkene row in place, keeping what was typed', async () => {
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringBetrokkeneToevoegen, { ...validForm }));
    const card = res.body.value;
    const text = allText(card);
    expect(text).toContain('betrokkene_1_rol');
    expect(text).toContain('13/123456-26');
    expect(card.actions[0].data.rijen).toBe(2);
  });

  it('returns the form with a Dutch message per field and stores nothing when invalid', async () => {
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: 'abc', zaaktypes: '', signaal: 'kort', rijen: 1 }));
    const text = allText(res.body.value);
    expect(text).toContain('Onbekend formaat');
    expect(text).toContain('Kies ten minste één zaaktype.');
    expect(text).toContain('ten minste 10 tekens');
    expect(text).toContain('Voeg ten minste één betrokkene toe');
    expect(text).toContain('"value":"abc"');
    expect(await h.store.listCases(TEAM_ID)).toEqual([]);
    expect(h.connector.calls.filter((c) => c.kind === 'create')).toEqual([]);
  });

  it('refuses a BSN in the signal', async () => {
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...validForm, signaal: 'Verdachte met BSN 111222333 is bekend bij de politie.' }));
    expect(allText(res.body.value)).toContain('Een BSN hoort niet in Verdiep');
    expect(await h.store.listCases(TEAM_ID)).toEqual([]);
  });

  it('refuses a zaaknummer hiding a BSN and initials that are a name, keeping the rest of the form', async () => {
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...validForm, zaaknummer: 'PL0900-111222333', betrokkene_0_initialen: 'JAN' }));
    const form = allText(res.body.value);
    expect(form).toContain('Een BSN hoort niet in Verdiep');
    expect(form).toContain('geen namen');
    expect(form).toContain(validForm.signaal);
    expect(await h.store.listCases(TEAM_ID)).toEqual([]);
    expect(h.connector.calls.filter((c) => c.kind === 'create')).toEqual([]);
  });

  it('keeps bidi overrides and zero-width characters out of the stored signal and every card', async () => {
    const signaal = 'Man (61) stal\u202e drie\u200b blikjes cola\u2066; zijn netwerk is weggevallen.';
    const refused = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...validForm, zaaknummer: 'abc', signaal }));
    expect(allText(refused.body.value)).toContain('stal drie blikjes cola;');
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...validForm, signaal }, 'form-msg'));
    const zaak = await h.store.findCaseByReference(TEAM_ID, validForm.zaaknummer);
    expect(zaak?.signaal).toBe('Man (61) stal drie blikjes cola; zijn netwerk is weggevallen.');
    // The signal is shown in the case lead's own view of the case card, not in the channel.
    const view = await h.post(cardAction(h, OFFICIER, Verb.zaakBekijken, { caseId: zaak!.id, kaart: 'zaakkaart' }, zaak!.thread!.rootMessageId, zaak!.thread!.conversationId));
    const sent = JSON.stringify([h.connector.calls, view.body]);
    expect(JSON.stringify(view.body)).toContain('blikjes cola');
    expect(sent).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]|\\u202e|\\u200b|\\u2066/i);
  });

  it('refuses a second case with the same reference', async () => {
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, validForm));
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, validForm));
    expect(allText(res.body.value)).toContain('Er is al een verdiepingszaak met dit zaaknummer');
    expect(await h.store.listCases(TEAM_ID)).toHaveLength(1);
  });

  it('opens an empty flag form when the message action carries a message body that is not text', async () => {
    const activity = messageActionFetch(h, OFFICIER, Command.verdiepen, '');
    const res = await h.post({ ...activity, value: { ...activity.value, messagePayload: { id: 'msg-1', body: { contentType: 'html', content: 123 } } } });
    expect(res.status).toBe(200);
    expect(allText(res.body.task.value.card.content)).toContain('Zaak markeren voor verdieping');
    expect(h.logs.filter((l) => l.msg === 'turn failed')).toEqual([]);
  });

  it('flags via the Verdiepen message action in a Teams dialog', async () => {
    const fetch = await h.post(messageActionFetch(h, OFFICIER, Command.verdiepen, '<p>Jongen (15) opgepakt voor diefstal &amp; niet op school.</p>'));
    expect(fetch.status).toBe(200);
    const dialogCard = fetch.body.task.value.card.content;
    expect(allText(dialogCard)).toContain('Jongen (15) opgepakt voor diefstal & niet op school.');
    expect(dialogCard.actions.map((a: any) => a.type)).toEqual(['Action.Submit', 'Action.Submit']);

    const invalid = await h.post(messageActionSubmit(h, OFFICIER, Command.verdiepen, { verb: Verb.markeringIndienen, zaaknummer: '' , rijen: 1 }));
    expect(invalid.body.task.type).toBe('continue');
    expect(allText(invalid.body.task.value.card.content)).toContain('Vul het zaaknummer in.');

    const ok = await h.post(messageActionSubmit(h, OFFICIER, Command.verdiepen, { ...validForm, verb: Verb.markeringIndienen, zaaknummer: 'PL0900-2026123456', zaaktypes: 'jeugd', betrokkene_0_leeftijd: '12-17' }));
    expect(ok.status).toBe(200);
    // The dialog closes with the confirmation (an empty body leaves it open: "Invalid response returned from your app").
    expect(ok.body).toEqual({ task: { type: 'message', value: 'De zaak heeft een eigen zaakgesprek in het kanaal gekregen. Daar gaan we verder.' } });
    expect(h.connector.calls.filter((c) => c.kind === 'create')).toHaveLength(1);
    expect((await h.store.findCaseByReference(TEAM_ID, 'PL0900-2026123456'))?.types).toEqual(['jeugd']);
  });

  it('refuses a foreign tenant politely and logs it', async () => {
    await h.post(mention({ ...h, tenantId: FOREIGN_TENANT }, OFFICIER, 'verdiep'));
    expect(h.connector.texts().at(-1)).toContain('niet beschikbaar voor jouw organisatie');
    expect(h.connector.cards()).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'refused activity from a tenant that is not served' && l.tenantId === FOREIGN_TENANT)).toBe(true);
    const res = await h.post(cardAction({ ...h, tenantId: FOREIGN_TENANT }, OFFICIER, Verb.markeringIndienen, validForm));
    expect(res.body.value).toContain('niet beschikbaar');
    expect(await h.store.listCases(TEAM_ID)).toEqual([]);
  });

  it('lists cases, shows one, explains itself and answers unknown text with help', async () => {
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, validForm));
    h.clock.advance(3 * 86_400_000);
    h.connector.reset();
    await h.post(mention(h, OFFICIER, 'zaken'));
    const list = allText(h.connector.cards().at(-1)!.card);
    expect(list).toContain('Open verdiepingszaken (1)');
    expect(list).toContain('13/123456-26');
    expect(list).toContain('3 dagen');
    expect(list).toContain('https://teams.microsoft.com/l/message/');
    // A day later the same list shows each case a day older; a new case is on it at once.
    h.clock.advance(86_400_000);
    await h.post(mention(h, OFFICIER, 'zaken'));
    expect(allText(h.connector.cards().at(-1)!.card)).toContain('4 dagen');
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...validForm, zaaknummer: '13/654321-26' }));
    await h.post(mention(h, OFFICIER, 'zaken'));
    const langer = allText(h.connector.cards().at(-1)!.card);
    expect(langer).toContain('Open verdiepingszaken (2)');
    expect(langer).toContain('13/654321-26');

    await h.post(mention(h, OFFICIER, 'zaak 13/123456-26'));
    expect(allText(h.connector.cards().at(-1)!.card)).toContain('Verdiepingszaak 13/123456-26');
    await h.post(mention(h, OFFICIER, 'zaak 99/999999-99'));
    expect(h.connector.texts().at(-1)).toContain('geen verdiepingszaak met zaaknummer 99/999999-99');

    await h.post(mention(h, OFFICIER, 'help'));
    expect(allText(h.connector.cards().at(-1)!.card)).toContain('Verdiep: hulp');
    await h.post(mention(h, OFFICIER, 'wat kun je allemaal'));
    expect(allText(h.connector.cards().at(-1)!.card)).toContain('Verdiep: hulp');
    await h.post(personalMessage(h, OFFICIER, 'zaken'));
    expect(h.connector.texts().at(-1)).toContain('kanaal van je ZSM-team');
  });

  it('keeps cases across a restart on the same SQLite file', async () => {
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, validForm));
    const path = h.sqlitePath;
    await h.stop();
    h = await startHarness({ config: { SQLITE_PATH: path } });
    await h.post(mention(h, OFFICIER, 'zaak 13/123456-26'));
    expect(allText(h.connector.cards().at(-1)!.card)).toContain('Verdiepingszaak 13/123456-26');
  });

  it('apologises with a correlation id when a turn fails, and logs the cause', async () => {
    await h.store.close();
    await h.post(mention(h, OFFICIER, 'zaken'));
    const apology = h.connector.texts().at(-1)!;
    const id = /referentie[^:]*: ([0-9a-f]{8})/.exec(apology)?.[1];
    expect(id).toBeDefined();
    expect(h.logs.some((l) => l.msg === 'turn failed' && l.correlationId === id)).toBe(true);
  });
});
