import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BSN_MESSAGE } from '../../src/domain/privacy';
import { PRINCIPES } from '../../src/domain/catalogue';
import { GESLOTEN_MESSAGE, NVT_REDEN_MESSAGE } from '../../src/domain/principes';
import { ZaakService } from '../../src/domain/service';
import { MAX_KEUZE_LEDEN } from '../../src/domain/teamlid';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, type User } from '../support/activities';
import { text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';

const RVDK: User = { id: '29:rvdk', aadObjectId: 'aad-rvdk', name: 'Raadsonderzoeker Jansen' };

const flagForm = {
  zaaknummer: '13/654321-26',
  zaaktypes: 'huiselijk_geweld',
  signaal: 'Moeder mishandeld door partner; twee kinderen waren thuis. Partner zegt dat zij begon.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: 'K.L.',
  betrokkene_0_leeftijd: '23-64',
  betrokkene_1_rol: 'kind',
  betrokkene_1_initialen: '',
  betrokkene_1_leeftijd: '0-11',
  rijen: 2,
};

/** Every input element of a card, wherever it sits. */
function inputs(node: unknown): any[] {
  if (Array.isArray(node)) return node.flatMap(inputs);
  if (!node || typeof node !== 'object') return [];
  const own = typeof (node as any).type === 'string' && (node as any).type.startsWith('Input.') ? [node] : [];
  return [...own, ...Object.values(node).flatMap(inputs)];
}

/** Every Action.Execute of a card, wherever it sits. */
function executes(node: unknown): any[] {
  if (Array.isArray(node)) return node.flatMap(executes);
  if (!node || typeof node !== 'object') return [];
  const own = (node as any).type === 'Action.Execute' ? [node] : [];
  return [...own, ...Object.values(node).flatMap(executes)];
}

/** Fills every input of a step form the way a user could: text, the first choice, a future date. */
function fillIn(form: any, stap: number): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of inputs(form)) {
    if (input.id === 'nvt' || input.id === 'nvt_reden') continue;
    if (input.type === 'Input.Text') values[input.id] = `Antwoord stap ${stap} (${input.id})`;
    else if (input.type === 'Input.ChoiceSet') values[input.id] = input.choices[0].value;
    else if (input.type === 'Input.Date') values[input.id] = '2026-12-15';
  }
  return values;
}

describe('the leidende principes walkthrough over HTTP', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  let thread: string;
  let kaartId: string;

  /** A card action in the case thread, on the verdiepingskaart (or a form that replaced it for this user). */
  const act = (user: User, verb: string, data: Record<string, unknown>) => h.post(cardAction(h, user, verb, data, kaartId, thread));
  const open = async (user: User, stap: number) => (await act(user, Verb.principeOpenen, { caseId: zaak.id, stap })).body.value;
  const save = (user: User, stap: number, basisVersie: number, values: Record<string, unknown>) =>
    act(user, Verb.principeOpslaan, { caseId: zaak.id, stap, basisVersie, nvt: 'false', nvt_reden: '', ...values });
  const current = async () => (await h.store.getCase(TEAM_ID, zaak.id))!;
  const kaartUpdates = () => h.connector.cards('update').filter((c) => c.call.activityId === kaartId);

  beforeEach(async () => {
    h = await startHarness();
    h.connector.members = [OFFICIER, VEILIG_THUIS, RVDK].map(alsLid);
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, flagForm, 'form-msg'));
    zaak = (await h.store.findCaseByReference(TEAM_ID, '13/654321-26'))!;
    // The officier who flagged it leads the case; Veilig Thuis and the Raad were given access.
    await verleenToegang(h, zaak.id, VEILIG_THUIS);
    await verleenToegang(h, zaak.id, RVDK);
    thread = zaak.thread!.conversationId;
    kaartId = zaak.verdiepingskaartId!;
  });
  afterEach(async () => {
    await h.stop();
  });

  it('posts the verdiepingskaart in the case thread right after the case card', async () => {
    const created = h.connector.calls.findIndex((c) => c.kind === 'create');
    const posted = h.connector.cards('send').filter((c) => c.call.conversationId === thread);
    expect(posted).toHaveLength(1);
    expect(h.connector.calls.indexOf(posted[0]!.call)).toBeGreaterThan(created);
    expect(kaartId).toBeTruthy();

    const kaart = posted[0]!.card;
    const body = text(kaart);
    for (const p of PRINCIPES) expect(body).toContain(`${p.nummer}. ${p.titel}`);
    expect(body).toContain('0 van 9 stappen bekeken');
    expect(body).toContain('Officier Van Dijk');
    expect(body).not.toContain('K.L.');
    const openers = executes(kaart).filter((a) => a.verb === Verb.principeOpenen);
    expect(openers.map((a) => a.data)).toEqual(PRINCIPES.map((p) => ({ caseId: zaak.id, stap: p.nummer })));
    // In the channel every member sees status; each may ask for their own view.
    expect(kaart.refresh.action).toEqual({ type: 'Action.Execute', verb: Verb.zaakBekijken, data: { caseId: zaak.id, kaart: 'verdiepingskaart' } });
    expect(executes(kaart).find((a) => a.title === 'Bekijken')).toMatchObject({ verb: Verb.zaakBekijken, data: { caseId: zaak.id, kaart: 'verdiepingskaart' } });
    const events = await h.store.listEvents(TEAM_ID, zaak.id);
    expect(events.find((e) => e.type === 'zaak.verdiepingskaart_geplaatst')).toMatchObject({ data: { messageId: kaartId } });
  });

  it('opens a step as a form for the acting user only, with its questions and per-person fields', async () => {
    h.connector.reset();
    const form = await open(VEILIG_THUIS, 2);
    expect(h.connector.calls.filter((c) => c.kind !== 'other')).toEqual([]);
    const body = text(form);
    expect(body).toContain('Stap 2 van 9: Alle betrokkenen in beeld');
    for (const vraag of PRINCIPES[1]!.vragen) expect(body).toContain(vraag);
    expect(body).toContain('Verdachte (23–64 jaar)');
    expect(body).toContain('Kind (0–11 jaar)');
    expect(body).not.toContain('K.L.');
    expect(inputs(form).map((i) => i.id)).toEqual(['v_perspectief_0', 'v_spreker_0', 'v_perspectief_1', 'v_spreker_1', 'v_ontbreekt', 'nvt', 'nvt_reden']);
    expect(executes(form).map((a) => a.title)).toEqual(['Opslaan', 'Terug']);
  });

  it('fills each of the nine steps; the verdiepingskaart is updated in place, never re-posted', async () => {
    const sentBefore = h.connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply' || c.kind === 'create').length;
    const users = [OFFICIER, VEILIG_THUIS, RVDK];
    for (const p of PRINCIPES) {
      const user = users[p.nummer % users.length]!;
      const form = await open(user, p.nummer);
      const values = fillIn(form, p.nummer);
      const res = await save(user, p.nummer, 0, values);
      const body = text(res.body.value);
      expect(body, `stap ${p.nummer}`).toContain(`Stap ${p.nummer} is opgeslagen (versie 1).`);
      expect(body).toContain('Leidende principes');

      const stand = (await current()).principes[p.nummer]!;
      expect(stand).toMatchObject({ status: 'ingevuld', versie: 1, door: { id: user.aadObjectId, name: user.name } });
      expect(Object.keys(stand.antwoorden).sort()).toEqual(Object.keys(values).map((k) => k.slice(2)).sort());

      const update = kaartUpdates().at(-1)!;
      expect(update.call.conversationId).toBe(thread);
      expect(text(update.card)).toContain(`${p.nummer} van 9 stappen bekeken`);
    }
    const last = text(kaartUpdates().at(-1)!.card);
    expect(last).not.toContain('"Open"');
    expect(last).toContain('Raadsonderzoeker Jansen · za 28 nov 2026, 11:00 · versie 1');
    expect(h.connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply' || c.kind === 'create')).toHaveLength(sentBefore);
  });

  it('shows step 8 refused for n.v.t. without a reason with the error once (its own field is also called reden)', async () => {
    const refused = (await save(OFFICIER, 8, 0, { nvt: 'true', nvt_reden: '' })).body.value;
    expect(text(refused).split(NVT_REDEN_MESSAGE).length - 1).toBe(1);
    expect((await current()).principes[8]).toBeUndefined();
  });

  it('heads general fields "Algemeen" only on a step that also asks per person', async () => {
    const kopjes = (form: unknown) => JSON.stringify(form).split('"text":"Algemeen"').length - 1;
    expect(kopjes(await open(OFFICIER, 1))).toBe(0);
    expect(kopjes(await open(OFFICIER, 3))).toBe(0);
    expect(kopjes(await open(OFFICIER, 2))).toBe(1);
  });

  it('refuses niet van toepassing without a reason, storing nothing; with a reason it is shown', async () => {
    h.connector.reset();
    const refused = await save(OFFICIER, 6, 0, { nvt: 'true', nvt_reden: ' ', v_patronen: 'oude_bekenden' });
    const form = refused.body.value;
    expect(text(form)).toContain('Stap 6 van 9');
    expect(text(form)).toContain(NVT_REDEN_MESSAGE);
    expect(inputs(form).find((i) => i.id === 'nvt').value).toBe('true');
    expect(inputs(form).find((i) => i.id === 'v_patronen').value).toBe('oude_bekenden');
    expect((await current()).principes[6]).toBeUndefined();
    expect((await h.store.listEvents(TEAM_ID, zaak.id)).some((e) => e.type === 'principe.vastgelegd')).toBe(false);
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'principle step refused' && l.fields?.includes('nvt_reden'))).toBe(true);

    const ok = await save(OFFICIER, 6, 0, { nvt: 'true', nvt_reden: 'Eerste contact met justitie; bij geen partner bekend.' });
    expect(text(ok.body.value)).toContain('Stap 6 is opgeslagen');
    expect(text(ok.body.value)).toContain('Niet van toepassing: Eerste contact met justitie; bij geen partner bekend.');
    expect((await current()).principes[6]).toMatchObject({ status: 'nvt', reden: 'Eerste contact met justitie; bij geen partner bekend.', antwoorden: {} });
    // The channel's verdiepingskaart says the step does not apply, not why.
    const kanaal = text(kaartUpdates().at(-1)!.card);
    expect(kanaal).toContain('"text":"Niet van toepassing"');
    expect(kanaal).not.toContain('Eerste contact met justitie');
  });

  it('shows errors per field and keeps what was typed', async () => {
    const res = await save(OFFICIER, 1, 0, { v_zorgen: 'Moeder is bekend onder 111222333.', v_tegenstrijdig: 'Partner zegt dat zij begon.' });
    const form = res.body.value;
    const zorgen = inputs(form).find((i) => i.id === 'v_zorgen');
    expect(zorgen.value).toBe('Moeder is bekend onder 111222333.');
    expect(inputs(form).find((i) => i.id === 'v_tegenstrijdig').value).toBe('Partner zegt dat zij begon.');
    expect(text(form)).toContain(BSN_MESSAGE);
    expect((await current()).principes[1]).toBeUndefined();

    const empty = await save(OFFICIER, 1, 0, {});
    expect(text(empty.body.value)).toContain('Vul ten minste één veld in');
  });

  it('revises a step with history: two versions, both attributed', async () => {
    await save(OFFICIER, 4, 0, { v_nu_1: 'zorgelijk', v_straks_1: 'onbekend' });
    const form = await open(VEILIG_THUIS, 4);
    expect(inputs(form).find((i) => i.id === 'v_nu_1').value).toBe('zorgelijk');
    expect(executes(form)[0].data.basisVersie).toBe(1);

    const res = await save(VEILIG_THUIS, 4, 1, { v_nu_1: 'onveilig', v_straks_1: 'zorgelijk', v_toelichting_1: 'Eerdere melding bij Veilig Thuis.' });
    expect(text(res.body.value)).toContain('Stap 4 is opgeslagen (versie 2).');
    expect((await current()).principes[4]).toMatchObject({ versie: 2, door: { name: VEILIG_THUIS.name }, antwoorden: { nu_1: 'onveilig' } });

    const again = text(await open(OFFICIER, 4));
    expect(again).toContain('Geschiedenis');
    expect(again).toMatch(/Versie 2.*ingevuld door Medewerker Veilig Thuis/);
    expect(again).toMatch(/Versie 1.*ingevuld door Officier Van Dijk/);
    // What each version changed, old → new, by the field's label and the choice's label.
    expect(again).toMatch(/Versie 2.*Veilig nu\? \(Kind \(0–11 jaar\)\): Zorgelijk → Onveilig.*Veilig na het besluit\? \(Kind \(0–11 jaar\)\): Onbekend → Zorgelijk.*Toelichting \(Kind \(0–11 jaar\)\): \(leeg\) → Eerdere melding bij Veilig Thuis\..*Versie 1/);
    expect(again).toMatch(/Versie 1.*Veilig nu\? \(Kind \(0–11 jaar\)\): \(leeg\) → Zorgelijk/);
    // Only in the form, for who opens it: nothing sent to Teams carries the changes.
    expect(JSON.stringify(h.connector.calls)).not.toContain('Zorgelijk → Onveilig');
    const events = (await h.store.listEvents(TEAM_ID, zaak.id)).filter((e) => e.type === 'principe.vastgelegd');
    expect(events.map((e) => e.actor.name)).toEqual([OFFICIER.name, VEILIG_THUIS.name]);
    expect(text(kaartUpdates().at(-1)!.card)).toContain('Medewerker Veilig Thuis · za 28 nov 2026, 11:00 · versie 2');
  });

  it('does not overwrite a revision made after the form was opened, and keeps the typed input', async () => {
    await save(OFFICIER, 5, 0, { v_kwetsbaar: 'Netwerk weggevallen.' });
    const stale = await save(RVDK, 5, 0, { v_draagt: 'Buurvrouw kookt voor hem.' });
    const form = stale.body.value;
    expect(text(form)).toContain('Intussen heeft Officier Van Dijk deze stap bijgewerkt (versie 1)');
    expect(inputs(form).find((i) => i.id === 'v_draagt').value).toBe('Buurvrouw kookt voor hem.');
    expect((await current()).principes[5]).toMatchObject({ versie: 1, antwoorden: { kwetsbaar: 'Netwerk weggevallen.' } });
    expect(executes(form)[0].data.basisVersie).toBe(1);
    const saved = await save(RVDK, 5, 1, { v_draagt: 'Buurvrouw kookt voor hem.' });
    expect(text(saved.body.value)).toContain('versie 2');
  });

  it('stores every step when nine people save at the same moment', async () => {
    const users: User[] = PRINCIPES.map((p) => ({ id: `29:lid-${p.nummer}`, aadObjectId: `aad-lid-${p.nummer}`, name: `Teamlid ${p.nummer}` }));
    h.connector.members.push(...users.map(alsLid));
    for (const u of users) await verleenToegang(h, zaak.id, u);
    const forms = await Promise.all(PRINCIPES.map((p) => open(users[p.nummer - 1]!, p.nummer)));
    const results = await Promise.all(PRINCIPES.map((p, i) => save(users[i]!, p.nummer, 0, fillIn(forms[i], p.nummer))));
    for (const r of results) expect(text(r.body.value)).toContain('is opgeslagen (versie 1)');
    const zaakNu = await current();
    expect(Object.keys(zaakNu.principes)).toHaveLength(9);
    expect(text(kaartUpdates().at(-1)!.card)).toContain('9 van 9 stappen bekeken');
  });

  it('refuses a team member without a role on the case a step, until the casusregisseur gives access', async () => {
    const WIJKAGENT: User = { id: '29:wijkagent', aadObjectId: 'aad-wijkagent', name: 'Wijkagent De Boer' };
    h.connector.members.push(alsLid(WIJKAGENT));
    await save(OFFICIER, 1, 0, { v_zorgen: 'Buren hoorden geschreeuw (kenmerk-zorg-4711).' });
    h.connector.reset();

    const refusal = 'Dit kan alleen een betrokken professional, de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.';
    const opened = await act(WIJKAGENT, Verb.principeOpenen, { caseId: zaak.id, stap: 1 });
    expect(opened.body.value).toBe(refusal);
    const saved = await save(WIJKAGENT, 2, 0, { v_ontbreekt: 'De oma van de kinderen.' });
    expect(saved.body.value).toBe(refusal);
    for (const reply of [opened, saved]) {
      const body = text(reply.body);
      for (const inhoud of ['kenmerk-zorg-4711', 'Moeder mishandeld', 'Verdachte', 'Kind (0']) expect(body).not.toContain(inhoud);
    }
    expect((await current()).principes[2]).toBeUndefined();
    expect((await h.store.listEvents(TEAM_ID, zaak.id)).filter((e) => e.actor.id === WIJKAGENT.aadObjectId)).toEqual([]);
    expect(h.connector.calls.filter((c) => c.kind !== 'other')).toEqual([]);

    await verleenToegang(h, zaak.id, WIJKAGENT);
    const form = await open(WIJKAGENT, 1);
    expect(inputs(form).find((i) => i.id === 'v_zorgen').value).toBe('Buren hoorden geschreeuw (kenmerk-zorg-4711).');
    const ok = await save(WIJKAGENT, 2, 0, { v_ontbreekt: 'De oma van de kinderen.' });
    expect(text(ok.body.value)).toContain('Stap 2 is opgeslagen (versie 1).');
    expect((await current()).principes[2]).toMatchObject({ versie: 1, door: { id: WIJKAGENT.aadObjectId }, antwoorden: { ontbreekt: 'De oma van de kinderen.' } });
  });

  it('hands the casusregie to a team member picked from the team', async () => {
    const notLead = await act(VEILIG_THUIS, Verb.casusregieKiezen, { caseId: zaak.id });
    expect(text(notLead.body.value)).toContain('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');

    const pick = (await act(OFFICIER, Verb.casusregieKiezen, { caseId: zaak.id })).body.value;
    const choiceSet = inputs(pick).find((i) => i.id === 'nieuweRegie');
    expect(choiceSet.choices).toEqual([
      { title: VEILIG_THUIS.name, value: VEILIG_THUIS.id },
      { title: RVDK.name, value: RVDK.id },
    ]);

    const forged = await act(OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: '29:buitenstaander' });
    expect(text(forged.body.value)).toContain('Kies een lid van dit team.');
    expect((await current()).lead.id).toBe(OFFICIER.aadObjectId);

    h.connector.reset();
    const res = await act(OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: RVDK.id });
    expect(text(res.body.value)).toContain('De casusregie is overgedragen aan Raadsonderzoeker Jansen.');
    expect((await current()).lead).toEqual({ id: RVDK.aadObjectId, name: RVDK.name, teamsId: RVDK.id });
    const events = await h.store.listEvents(TEAM_ID, zaak.id);
    expect(events.at(-1)).toMatchObject({ type: 'zaak.casusregie_overgedragen', actor: { name: OFFICIER.name } });

    const caseCardUpdate = h.connector.cards('update').find((c) => c.call.activityId === zaak.thread!.rootMessageId)!;
    expect(text(caseCardUpdate.card)).toContain('"title":"Casusregisseur","value":"Raadsonderzoeker Jansen"');
    expect(text(kaartUpdates().at(-1)!.card)).toContain('"title":"Casusregisseur","value":"Raadsonderzoeker Jansen"');

    const formerLead = await act(OFFICIER, Verb.casusregieKiezen, { caseId: zaak.id });
    expect(text(formerLead.body.value)).toContain('Dit kan alleen de casusregisseur (Raadsonderzoeker Jansen)');
  });

  it('says plainly when Teams does not give the team\'s members for the handover, and changes nothing', async () => {
    h.connector.fault = (call) => (call.path.includes('/pagedmembers') ? { status: 503 } : undefined);
    for (const [verb, data] of [[Verb.casusregieKiezen, {}], [Verb.casusregieOverdragen, { nieuweRegie: RVDK.id }]] as const) {
      const res = await act(OFFICIER, verb, { caseId: zaak.id, ...data });
      expect(text(res.body.value)).toContain('De leden van het team konden niet worden opgehaald, dus er kan nu geen andere casusregisseur worden gekozen.');
      expect(text(res.body.value)).not.toContain('Sorry, er ging iets mis');
    }
    expect((await current()).lead.id).toBe(OFFICIER.aadObjectId);
    expect(h.logs.filter((l) => l.msg === 'could not list the team members' && l.caseId === zaak.id)).toHaveLength(2);
  });

  it('in a team bigger than the list, hands the casusregie to a member found by typed name', async () => {
    const collega = (i: number): User => ({ id: `29:collega-${i}`, aadObjectId: `aad-collega-${i}`, name: `Collega ${String(i).padStart(3, '0')}` });
    h.connector.members = [OFFICIER, VEILIG_THUIS, RVDK, ...Array.from({ length: MAX_KEUZE_LEDEN }, (_, i) => collega(i))].map(alsLid);
    const pick = (await act(OFFICIER, Verb.casusregieKiezen, { caseId: zaak.id })).body.value;
    // Listed by name, at most MAX_KEUZE_LEDEN: RVDK's "Raadsonderzoeker Jansen" is past the list.
    const choices = inputs(pick).find((i) => i.id === 'nieuweRegie').choices as { title: string }[];
    expect(choices).toHaveLength(MAX_KEUZE_LEDEN);
    expect(choices.map((c) => c.title)).not.toContain(RVDK.name);
    expect(text(pick)).toContain(`Het team heeft ${MAX_KEUZE_LEDEN + 2} leden`);
    expect(inputs(pick).map((i) => i.id)).toContain('naam');

    const tweeduidig = await act(OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: '', naam: 'collega 00' });
    expect(text(tweeduidig.body.value)).toContain('Meerdere teamleden passen bij');
    expect(inputs(tweeduidig.body.value).find((i) => i.id === 'naam').value).toBe('collega 00');
    const res = await act(OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: '', naam: 'jansen' });
    expect(text(res.body.value)).toContain('De casusregie is overgedragen aan Raadsonderzoeker Jansen.');
    expect((await current()).lead).toEqual({ id: RVDK.aadObjectId, name: RVDK.name, teamsId: RVDK.id });
  });

  it('refuses changes on a closed case and shows the current state instead', async () => {
    const form = await open(OFFICIER, 3);
    const zaken = new ZaakService(h.store, h.clock, { next: () => 'x' }, { timeZone: h.config.timeZone, reminderBeforeMs: 0 });
    await zaken.change(TEAM_ID, zaak.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
    h.connector.reset();

    const res = await save(OFFICIER, 3, 0, fillIn(form, 3));
    const refused = res.body.value;
    expect(text(refused)).toContain(GESLOTEN_MESSAGE);
    expect(inputs(refused).find((i) => i.id === 'v_vragen').value).toBe('Antwoord stap 3 (v_vragen)');
    expect(executes(refused).map((a) => a.title)).toEqual(['Terug']);
    expect((await current()).principes[3]).toBeUndefined();
    expect(h.connector.calls.filter((c) => c.kind === 'update')).toEqual([]);

    const terug = (await act(OFFICIER, Verb.verdiepingskaartTonen, { caseId: zaak.id })).body.value;
    expect(text(terug)).toContain('De zaak is gesloten');
    expect(executes(terug).filter((a) => a.verb === Verb.principeOpenen).every((a) => a.title === 'Bekijken')).toBe(true);
    expect(executes(terug).some((a) => a.verb === Verb.casusregieKiezen)).toBe(false);
  });

  it('answers a card about an unknown case, or an unreadable one, with a clear message', async () => {
    const unknown = await act(OFFICIER, Verb.principeOpenen, { caseId: 'bestaat-niet', stap: 1 });
    expect(unknown.body.value).toContain('bestaat niet (meer)');
    const unreadable = await act(OFFICIER, Verb.principeOpslaan, { caseId: zaak.id, stap: 12 });
    expect(unreadable.body.value).toContain('kon niet worden gelezen');
    expect(h.logs.some((l) => l.msg === 'unreadable card payload')).toBe(true);
  });
});
