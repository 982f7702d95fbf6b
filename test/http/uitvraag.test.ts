import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BSN_MESSAGE, privacyMelding } from '../../src/domain/privacy';
import { ZaakService } from '../../src/domain/service';
import { DUIDING_MESSAGE, REDEN_MESSAGE, WAAROM_MESSAGE, reactieBasis } from '../../src/domain/uitvraag';
import type { NewZaakEvent, Uitvraag, Verdiepingszaak } from '../../src/domain/zaak';
import { MAX_KEUZE_LEDEN } from '../../src/domain/teamlid';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, type User } from '../support/activities';
import { executes, find, inputIds, inputs, submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid } from '../support/toegang';

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const RVDK: User = { id: '29:rvdk', aadObjectId: 'aad-rvdk', name: 'Raadsonderzoeker Jansen' };

const REFERENCE = '13/222333-26';
const flagForm = {
  zaaknummer: REFERENCE,
  zaaktypes: 'jeugd',
  signaal: 'Jongen (15) stal in een winkel; niet op school, grote problemen thuis, er is een gezinsvoogd.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: 'R.',
  betrokkene_0_leeftijd: '12-17',
  rijen: 1,
};

const VT_VRAAG = {
  lid: VEILIG_THUIS.id,
  organisatie: 'veilig_thuis',
  vraag: 'Is het gezin bekend bij Veilig Thuis, en loopt er hulp?',
  waarom: 'Bepaalt of we voor Halt kiezen of eerst zorg voor het gezin inzetten.',
};
const HALT_VRAAG = {
  lid: HALT.id,
  organisatie: 'halt',
  vraag: 'Heeft hij eerder een Halt-traject gehad, en hoe liep dat?',
  waarom: 'Een tweede Halt-traject past niet als het eerste niet werkte.',
};
const ANTWOORD = { antwoord: 'Ja: twee meldingen in 2025, er loopt een gezinsvoogd.', bron: 'Eigen registratie', bekend: 'ja' };

describe('contextinformatie from partners in the case thread, over HTTP', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  let thread: string;
  let root: string;

  const act = (user: User, verb: string, data: Record<string, unknown>, replyToId = root) => h.post(cardAction(h, user, verb, data, replyToId, thread));
  /** The invoke Teams sends on its own when a user in refresh.userIds views the card. */
  const autoRefresh = (user: User, card: any, messageId: string) => {
    const activity = cardAction(h, user, card.refresh.action.verb, card.refresh.action.data, messageId, thread);
    return h.post({ ...activity, value: { ...activity.value, trigger: 'automatic' } });
  };
  const current = async () => (await h.store.getCase(TEAM_ID, zaak.id))!;
  const events = async () => h.store.listEvents(TEAM_ID, zaak.id);
  const threadSends = () => h.connector.cards('send').filter((c) => c.call.conversationId === thread);
  /** The prompt cards in the thread (the verdiepingskaart there also has a per-user refresh, for the lead). */
  const promptSends = () => threadSends().filter((c) => c.card.refresh?.action.verb === Verb.uitvraagVernieuwen);
  const updatesOf = (messageId: string) => h.connector.cards('update').filter((c) => c.call.activityId === messageId);
  const service = () => new ZaakService(h.store, h.clock, { next: () => `test-${Math.random().toString(36).slice(2)}` }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
  const recordAs = (user: User, ...changes: NewZaakEvent[]) => service().change(TEAM_ID, zaak.id, { id: user.aadObjectId, name: user.name }, () => changes);

  /** "Partner uitnodigen" on the case card: the form comes back to the lead only, never in the thread. */
  async function openForm(user: User = OFFICIER) {
    const before = h.connector.calls.length;
    const res = await act(user, Verb.uitvraagNieuw, { caseId: zaak.id });
    expect(h.connector.calls.slice(before).filter((c) => c.kind === 'send' || c.kind === 'update')).toEqual([]);
    return { res, form: typeof res.body.value === 'object' ? res.body.value : undefined };
  }
  /** What a user gets on pressing "Bekijken" on a prompt card. */
  const bekijken = async (user: User, card: any, messageId: string) => {
    const knop = executes(card).find((a) => a.title === 'Bekijken');
    expect(knop).toMatchObject({ verb: Verb.uitvraagVernieuwen, data: card.refresh.action.data });
    return (await act(user, knop.verb, knop.data, messageId)).body.value;
  };
  /** Every body the bot POSTed or PUT to the connector (what the channel and Graph can read). */
  const gepost = () => JSON.stringify(h.connector.calls.filter((c) => c.method === 'POST' || c.method === 'PUT').map((c) => c.body));

  /** Invites one partner through the form; returns the stored prompt and its card as posted. */
  async function invite(values: Record<string, string>, formMessage = 'invite-form'): Promise<{ uitvraag: Uitvraag; card: any; res: any }> {
    const { form } = await openForm();
    const res = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, values), formMessage);
    const uitvraag = (await current()).uitvragen.at(-1)!;
    const card = threadSends().at(-1)!.card;
    return { uitvraag, card, res };
  }

  beforeEach(async () => {
    h = await startHarness();
    h.connector.members = [OFFICIER, VEILIG_THUIS, HALT, RVDK].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, flagForm, 'flag-form'));
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    thread = zaak.thread!.conversationId;
    root = zaak.thread!.rootMessageId;
  });
  afterEach(async () => {
    await h.stop();
  });

  it('offers "Partner uitnodigen" on the case card and on step 3 of the verdiepingskaart', async () => {
    const caseCard = h.connector.cards('create').at(-1)!.card;
    expect(executes(caseCard).find((a) => a.verb === Verb.uitvraagNieuw)).toMatchObject({ title: 'Partner uitnodigen', data: { caseId: zaak.id } });
    const kaart = threadSends().at(-1)!.card;
    expect(executes(kaart).filter((a) => a.verb === Verb.uitvraagNieuw)).toEqual([expect.objectContaining({ title: 'Partner uitnodigen', data: { caseId: zaak.id } })]);
  });

  it('opens the invitation form for the lead only, with the team members (by Teams id, guests left out), the partners and a default deadline', async () => {
    h.connector.members.push({ id: '29:gast', name: 'Gast Buiten', aadObjectId: 'aad-gast', userRole: 'guest' });
    const { form } = await openForm();
    expect(form).toBeDefined();
    expect(threadSends().filter((c) => inputIds(c.card).includes('vraag'))).toEqual([]);
    expect(inputIds(form)).toEqual(['lid', 'organisatie', 'vraag', 'waarom', 'deadline_datum', 'deadline_tijd']);
    const [lid, organisatie] = ['lid', 'organisatie'].map((id) => inputs(form).find((i) => i.id === id));
    // The lead is not offered: a partner is someone else in the team.
    expect(lid.choices).toEqual([HALT, VEILIG_THUIS, RVDK].map((u) => ({ title: u.name, value: u.id })));
    expect(organisatie.choices.map((c: any) => c.title)).toEqual([
      'OM (officier van justitie)', 'Politie', 'Veilig Thuis', 'Halt', 'Raad voor de Kinderbescherming', 'Reclassering', 'GI / WSG (gezinsvoogd)',
      'Slachtofferhulp Nederland', 'Veiligheidshuis', 'Gemeente / wijkteam / WMO', 'Leerplicht / school', 'GGZ', 'Verslavingszorg', 'Anders',
    ]);
    // 10:00 UTC is 11:00 in Amsterdam; the default deadline is two hours later.
    expect(submit(form, Verb.uitvraagVersturen)).toMatchObject({ deadline_datum: '2026-11-28', deadline_tijd: '13:00', caseId: zaak.id });
    expect(executes(form).map((a) => a.title)).toEqual(['Uitnodigen', 'Annuleren']);
  });

  it('invites two partners: two status cards in the thread, each mentioning its invitee, with a user-specific view for the betrokken professionals', async () => {
    const vt = await invite(VT_VRAAG, 'form-1');
    const halt = await invite(HALT_VRAAG, 'form-2');

    const prompts = promptSends();
    expect(prompts).toHaveLength(2);
    for (const [{ card, call }, user, uitvraag] of [
      [prompts[0]!, VEILIG_THUIS, vt.uitvraag],
      [prompts[1]!, HALT, halt.uitvraag],
    ] as const) {
      expect(card.msteams.entities).toEqual([{ type: 'mention', text: `<at>${user.name}</at>`, mentioned: { id: user.id, name: user.name } }]);
      expect(JSON.stringify(card.body)).toContain(`<at>${user.name}</at>`);
      expect(card.refresh.action).toEqual({ type: 'Action.Execute', title: 'Vernieuwen', verb: Verb.uitvraagVernieuwen, data: { caseId: zaak.id, uitvraagId: uitvraag.id } });
      expect(card.refresh.userIds.slice(0, 2)).toEqual([user.id, OFFICIER.id]);
      // The channel sees who is asked, the deadline and the status: no question, no form; "Bekijken" for the own view.
      expect(inputIds(card)).toEqual([]);
      expect(executes(card).filter((a) => a.title === 'Bekijken')).toEqual([expect.objectContaining({ verb: Verb.uitvraagVernieuwen, data: { caseId: zaak.id, uitvraagId: uitvraag.id } })]);
      expect(uitvraag.messageId).toBeTruthy();
      expect(call.conversationId).toBe(thread);
    }
    const shared = text(prompts[0]!.card);
    expect(shared).not.toContain(VT_VRAAG.vraag);
    expect(shared).not.toContain(VT_VRAAG.waarom);
    expect(gepost()).not.toContain(VT_VRAAG.vraag);
    expect(gepost()).not.toContain(HALT_VRAAG.waarom);
    // The organisation is named once: here it is already in the invitee's name.
    expect(shared).toContain('gevraagd aan <at>Medewerker Veilig Thuis</at>');
    expect(shared).not.toContain('(Veilig Thuis)');
    expect(shared).toContain('za 28 nov 2026, 13:00');
    expect(shared).toContain('Open');
    expect(text(prompts[1]!.card)).toContain('gevraagd aan <at>Medewerker Halt</at>');
    expect(text(prompts[1]!.card)).not.toContain('(Halt)');

    // The lead's form turns into a summary for the lead only: the acted card is not replaced for everyone.
    expect(text(vt.res.body.value)).toContain('Medewerker Veilig Thuis is uitgenodigd; deadline za 28 nov 2026, 13:00.');
    expect(updatesOf('form-1')).toEqual([]);

    const z = await current();
    expect(z.fase).toBe('contextinformatie');
    expect(z.uitvragen.map((u) => [u.invitee, u.organisatie, u.status, u.gevraagdDoor.name])).toEqual([
      [{ id: VEILIG_THUIS.aadObjectId, name: VEILIG_THUIS.name, teamsId: VEILIG_THUIS.id }, 'veilig_thuis', 'open', OFFICIER.name],
      [{ id: HALT.aadObjectId, name: HALT.name, teamsId: HALT.id }, 'halt', 'open', OFFICIER.name],
    ]);
    expect((await events()).filter((e) => e.type === 'zaak.fase_gewijzigd').map((e) => e.data)).toEqual([{ van: 'gemarkeerd', naar: 'contextinformatie', reden: 'Eerste partner uitgenodigd' }]);
    const caseCard = text(updatesOf(root).at(-1)!.card);
    expect(caseCard).toContain('Contextinformatie');
    expect(caseCard).toContain('Vragen aan partners:** 2 open · 0 beantwoord · 0 afgewezen');
    expect(text(updatesOf(z.verdiepingskaartId!).at(-1)!.card)).toContain('Vragen aan partners: 2 open · 0 beantwoord · 0 afgewezen');
  });

  it('in a team bigger than the list, invites a member found by typed name', async () => {
    const collega = (i: number) => ({ id: `29:collega-${i}`, aadObjectId: `aad-collega-${i}`, name: `Collega ${String(i).padStart(3, '0')}` });
    h.connector.members.push(...Array.from({ length: MAX_KEUZE_LEDEN }, (_, i) => alsLid(collega(i))));
    const { uitvraag } = await invite({ ...VT_VRAAG, lid: '', lid_naam: 'veilig thuis' });
    expect(uitvraag.invitee).toEqual({ id: VEILIG_THUIS.aadObjectId, name: VEILIG_THUIS.name, teamsId: VEILIG_THUIS.id });
  });

  it('stores a reminder before the deadline and the deadline itself as scheduled jobs', async () => {
    // 15:00 in Amsterdam is 14:00 UTC; the reminder comes 30 minutes (the default) before.
    const { uitvraag } = await invite({ ...VT_VRAAG, deadline_datum: '2026-11-28', deadline_tijd: '15:00' });
    expect(uitvraag.deadline).toBe('2026-11-28T14:00:00.000Z');
    const jobs = await h.store.listJobs(TEAM_ID, { caseId: zaak.id });
    expect(jobs.map((j) => [j.kind, j.ref, j.dueAt, j.status])).toEqual([
      // The card went up through the outbox right after the lead's answer.
      ['uitvraag.kaart', uitvraag.id, '2026-11-28T10:00:00.000Z', 'verzonden'],
      // The flag's turn opened the thread; its job posted the verdiepingskaart right after the answer.
      ['zaakgesprek', '', '2026-11-28T10:00:00.000Z', 'verzonden'],
      ['uitvraag.herinnering', uitvraag.id, '2026-11-28T13:30:00.000Z', 'gepland'],
      ['uitvraag.verlopen', uitvraag.id, '2026-11-28T14:00:00.000Z', 'gepland'],
    ]);
  });

  it('lets only the case lead invite, with a clear message, storing nothing', async () => {
    const { res, form } = await openForm(VEILIG_THUIS);
    expect(res.body.value).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
    expect(form).toBeUndefined();

    const { form: leadForm } = await openForm();
    const before = (await events()).length;
    const forged = await act(RVDK, Verb.uitvraagVersturen, submit(leadForm, Verb.uitvraagVersturen, VT_VRAAG), 'form-1');
    expect(forged.body.value).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
    expect(await events()).toHaveLength(before);
    expect(updatesOf('form-1')).toEqual([]);
  });

  it('refuses an invitation without why it matters, with a BSN, or for someone outside the team; nothing is stored', async () => {
    const { form } = await openForm();
    const before = (await events()).length;
    const res = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { ...VT_VRAAG, waarom: '', vraag: 'Is de moeder met BSN 111222333 bekend?' }));
    const card = text(res.body.value);
    expect(card).toContain(WAAROM_MESSAGE);
    expect(card).toContain(BSN_MESSAGE);
    expect(submit(res.body.value, Verb.uitvraagVersturen)).toMatchObject({ lid: VEILIG_THUIS.id, organisatie: 'veilig_thuis' });

    const stranger = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { ...VT_VRAAG, lid: '29:niet-in-team' }));
    expect(text(stranger.body.value)).toContain('Kies een lid van dit team.');
    const past = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { ...VT_VRAAG, deadline_tijd: '10:59' }));
    expect(text(past.body.value)).toContain('De deadline moet in de toekomst liggen.');
    expect(await events()).toHaveLength(before);
    expect((await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind.startsWith('uitvraag.'))).toEqual([]);
  });

  it('says so plainly when the team members cannot be looked up', async () => {
    h.connector.fault = (call) => (call.path.includes('/pagedmembers') ? { status: 403, body: { error: { code: 'Forbidden', message: 'no access' } } } : undefined);
    const { res, form } = await openForm();
    expect(res.body.value).toBe('De leden van het team konden niet worden opgehaald. Probeer het over een paar minuten opnieuw.');
    expect(form).toBeUndefined();
    expect(h.logs.some((l) => l.msg === 'could not list the team members')).toBe(true);
  });

  it('keeps the question when Teams refuses its card for good, tells the lead in the channel, and posts the card when the lead invites again', async () => {
    const { form } = await openForm();
    h.connector.fault = (call) => (call.kind === 'send' && call.conversationId === thread ? { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } } } : undefined);
    const failed = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, VT_VRAAG), 'form-1');
    expect(text(failed.body.value)).toContain('is uitgenodigd');
    expect((await current()).uitvragen).toMatchObject([{ status: 'open', invitee: { teamsId: VEILIG_THUIS.id } }]);
    expect((await current()).uitvragen[0]!.messageId).toBeUndefined();
    const [kaartJob] = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'uitvraag.kaart');
    expect(kaartJob).toMatchObject({ status: 'mislukt' });
    const melding = h.connector.cards('send').filter((c) => c.call.conversationId === CHANNEL_ID).at(-1)!;
    expect(text(melding.card)).toContain('De kaart met de vraag aan Veilig Thuis kon niet in Teams worden geplaatst');
    expect(text(melding.card)).not.toContain(VT_VRAAG.vraag);

    h.connector.fault = undefined;
    const retry = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, VT_VRAAG), 'form-1');
    expect(text(retry.body.value)).toContain('is uitgenodigd');
    const z = await current();
    expect(z.uitvragen).toHaveLength(1);
    expect(z.uitvragen[0]!.messageId).toBe(promptSends()[0]!.call.responseId);
    expect(promptSends()).toHaveLength(1);
    expect((await events()).filter((e) => e.type === 'uitvraag.verstuurd')).toHaveLength(1);
  });

  it('answers the lead before the question\'s card goes up: Teams holds it, the card follows, and the case records it once', async () => {
    const { form } = await openForm();
    let loslaten: (() => void) | undefined;
    h.connector.hold = (call) => (call.kind === 'send' && call.conversationId === thread ? new Promise<void>((r) => (loslaten = r)) : undefined);
    const activity = cardAction(h, OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, VT_VRAAG), 'form-1', thread);
    const res = await fetch(`http://127.0.0.1:${h.bot.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(text(((await res.json()) as { value: unknown }).value)).toContain('is uitgenodigd');
    for (let i = 0; i < 200 && !loslaten; i++) await new Promise((r) => setTimeout(r, 10));
    expect(loslaten).toBeDefined();
    expect((await current()).uitvragen[0]!.messageId).toBeUndefined();
    loslaten!();
    await h.bot.dispatcher!.rustig();
    const [kaart] = promptSends();
    expect(text(kaart!.card)).toContain(VEILIG_THUIS.name);
    expect((await current()).uitvragen[0]!.messageId).toBe(kaart!.call.responseId);
    expect(promptSends()).toHaveLength(1);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0 });
  });

  it('shows the answer form to the invitee only; everyone else gets the read-only view', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    const mine = await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!);
    expect(mine.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(inputIds(mine.body.value)).toEqual(['antwoord', 'bron', 'duiding', 'bekend', 'gedeeld', 'afwijzing_soort', 'afwijzing_reden']);
    expect(inputs(mine.body.value).find((i) => i.id === 'duiding')).toMatchObject({ label: 'Hoe duid je dit vanuit jouw organisatie?', isMultiline: true });
    // Sharing with the other betrokken partners is off unless the partner ticks it.
    expect(inputs(mine.body.value).find((i) => i.id === 'gedeeld')).toMatchObject({ type: 'Input.Toggle', title: 'Mag gedeeld worden met de andere betrokken partners', value: 'false' });
    expect(executes(mine.body.value.body).map((a) => a.verb)).toEqual([Verb.uitvraagBeantwoorden, Verb.uitvraagAfwijzen]);
    expect(mine.body.value.refresh.userIds).toEqual([VEILIG_THUIS.id, OFFICIER.id]);
    expect(text(mine.body.value)).toContain('Alleen jij ziet dit formulier.');
    expect(text(mine.body.value)).toContain(VT_VRAAG.vraag);

    const lead = await autoRefresh(OFFICIER, card, uitvraag.messageId!);
    // Only the reason to withdraw the question, in a form the lead opens first.
    expect(inputIds(lead.body.value)).toEqual(['intrekking_reden']);
    expect(text(lead.body.value)).toContain(VT_VRAAG.vraag);

    // The personal form goes back in the invoke response only: never as an update of the message for all.
    const typo = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(mine.body.value, Verb.uitvraagBeantwoorden, { antwoord: 'Half getypt antwoord', bron: '' }), uitvraag.messageId!);
    expect(text(typo.body.value)).toContain('Vul de geraadpleegde bron in');
    expect(submit(typo.body.value, Verb.uitvraagBeantwoorden)).toMatchObject({ antwoord: 'Half getypt antwoord' });
    expect(updatesOf(uitvraag.messageId!)).toEqual([]);
  });

  it('stores the invitee\'s answer, attributed and timed, and updates the prompt and case cards for everyone', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    const form = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    h.clock.advance(25 * 60_000);
    h.connector.reset();
    const res = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, ANTWOORD), uitvraag.messageId!);

    const own = res.body.value;
    expect(text(own)).toContain('Je antwoord is opgeslagen. Je antwoord lezen alleen jij, de casusregisseur (Officier Van Dijk) en de officieren van justitie.');
    expect(text(own)).not.toContain('voor iedereen');
    expect(text(own)).toContain(ANTWOORD.antwoord);
    expect(executes(own.body).map((a) => a.title)).toEqual(['Corrigeren']);

    const answered = (await current()).uitvragen[0]!;
    expect(answered).toMatchObject({
      status: 'beantwoord',
      antwoord: { tekst: ANTWOORD.antwoord, bron: 'Eigen registratie', bekend: 'ja', gedeeld: false, door: { id: VEILIG_THUIS.aadObjectId, name: VEILIG_THUIS.name, teamsId: VEILIG_THUIS.id }, op: '2026-11-28T10:25:00.000Z', versie: 1 },
    });
    expect((await events()).at(-1)).toMatchObject({ type: 'uitvraag.beantwoord', actor: { id: VEILIG_THUIS.aadObjectId } });

    // The card in the thread shows that it was answered and when, not the answer.
    const [update] = updatesOf(uitvraag.messageId!);
    const shared = text(update!.card);
    expect(shared).toContain('Beantwoord');
    expect(shared).toContain('za 28 nov 2026, 11:25');
    expect(shared).not.toContain(ANTWOORD.antwoord);
    expect(shared).not.toContain('Eigen registratie');
    expect(inputIds(update!.card)).toEqual([]);
    expect(update!.card.refresh.userIds).toEqual([VEILIG_THUIS.id, OFFICIER.id]);
    // The lead reads it through "Bekijken".
    const lead = text(await bekijken(OFFICIER, update!.card, uitvraag.messageId!));
    expect(lead).toContain(ANTWOORD.antwoord);
    expect(lead).toContain('Medewerker Veilig Thuis, za 28 nov 2026, 11:25');
    expect(update!.card.msteams.entities[0].mentioned.id).toBe(VEILIG_THUIS.id);
    expect(text(updatesOf(root).at(-1)!.card)).toContain('0 open · 1 beantwoord · 0 afgewezen');
  });

  it('takes each partner\'s own duiding and shows them side by side on the duiding form, only as far as the viewer may read them', async () => {
    const vt = await invite(VT_VRAAG);
    const halt = await invite(HALT_VRAAG);
    const vtForm = (await autoRefresh(VEILIG_THUIS, vt.card, vt.uitvraag.messageId!)).body.value;
    const vtDuiding = 'Vanuit Veilig Thuis: de onveiligheid thuis verklaart het stelen.';
    const vtRes = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(vtForm, Verb.uitvraagBeantwoorden, { ...ANTWOORD, duiding: vtDuiding }), vt.uitvraag.messageId!);
    expect(text(vtRes.body.value)).toContain('Duiding vanuit Veilig Thuis');
    expect(text(vtRes.body.value)).toContain(vtDuiding);
    const haltForm = (await autoRefresh(HALT, halt.card, halt.uitvraag.messageId!)).body.value;
    const haltDuiding = 'Een tweede Halt-traject heeft weinig zin.';
    // A duiding with a phone number is refused like any free text.
    const fout = await act(HALT, Verb.uitvraagBeantwoorden, submit(haltForm, Verb.uitvraagBeantwoorden, { antwoord: 'Eén traject.', bron: 'Halt', bekend: 'ja', duiding: 'Bel moeder op 06 12 34 56 78.' }), halt.uitvraag.messageId!);
    expect(text(fout.body.value)).toContain('telefoonnummer');
    await act(HALT, Verb.uitvraagBeantwoorden, submit(haltForm, Verb.uitvraagBeantwoorden, { antwoord: 'Eén traject in 2024.', bron: 'Halt-registratie', bekend: 'ja', gedeeld: 'true', duiding: haltDuiding }), halt.uitvraag.messageId!);
    expect((await current()).uitvragen.map((u) => u.antwoord?.duiding)).toEqual([vtDuiding, haltDuiding]);

    const duidingForm = async (user: User) => (await act(user, Verb.duidingDoorgaan, { caseId: zaak.id })).body.value;
    const blok = (kolom: any) => find(kolom, (n: any) => n.type === 'TextBlock').map((n: any) => String(n.text).replace(/\\(?=[.\-()])/g, '')).join('\n');
    const naast = (card: any) => find(card, (n: any) => n.type === 'ColumnSet' && n.columns?.length === 2).map((n: any) => [blok(n.columns[0]), blok(n.columns[1])]);
    const lead = await duidingForm(OFFICIER);
    expect(text(lead)).toContain('Zo duiden de partners het');
    expect(naast(lead)).toEqual(expect.arrayContaining([['Veilig Thuis', vtDuiding], ['Halt', haltDuiding]]));
    // Halt sees that Veilig Thuis gave a duiding, not what it said (not shared); nor is it in the perspectives.
    const alsHalt = await duidingForm(HALT);
    expect(naast(alsHalt)).toEqual(expect.arrayContaining([['Veilig Thuis', 'Geduid (alleen zichtbaar voor de casusregisseur en de officieren)'], ['Halt', haltDuiding]]));
    expect(JSON.stringify(alsHalt)).not.toContain('onveiligheid thuis');
  });

  it('refuses an answer with a phone number: a Dutch message naming a phone number, the typed values kept, nothing stored or shared', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    const form = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    const eventsBefore = (await events()).length;
    h.connector.reset();
    const antwoord = 'Moeder is bekend; bereikbaar op 06\u00a012 34 56 78.';
    const res = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, { ...ANTWOORD, antwoord }), uitvraag.messageId!);

    expect(res.status).toBe(200);
    const shown = res.body.value;
    expect(find(shown, (n) => n.type === 'TextBlock').map((b) => b.text)).toContain(privacyMelding(['telefoon']));
    expect(privacyMelding(['telefoon'])).toContain('telefoonnummer');
    expect(submit(shown, Verb.uitvraagBeantwoorden)).toMatchObject({ antwoord, bron: ANTWOORD.bron, bekend: 'ja' });
    expect((await current()).uitvragen[0]).toMatchObject({ status: 'open' });
    expect((await current()).uitvragen[0]!.antwoord).toBeUndefined();
    expect(await events()).toHaveLength(eventsBefore);
    expect(h.connector.cards('update')).toEqual([]);
    expect(h.connector.cards('send')).toEqual([]);
  });

  it('refuses a forged or replayed submit by anyone but the invitee, storing nothing and changing no card', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    await invite(HALT_VRAAG, 'form-2');
    const form = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    const before = await events();
    h.connector.reset();
    // Halt is invited on this case too, so the policy lets the press through and the prompt refuses it.
    for (const [user, refusal] of [
      [HALT, 'Alleen Medewerker Veilig Thuis kan deze vraag beantwoorden. Er is niets opgeslagen.'],
      [OFFICIER, 'Alleen de partner aan wie de vraag is gesteld kan hierop reageren. Er is niets opgeslagen.'],
    ] as const) {
      const answer = await act(user, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, { ...ANTWOORD, antwoord: 'Vervalst antwoord' }), uitvraag.messageId!);
      expect(answer.status).toBe(200);
      expect(text(answer.body.value)).toContain(refusal);
      expect(inputIds(answer.body.value)).toEqual([]);
      const decline = await act(user, Verb.uitvraagAfwijzen, submit(form, Verb.uitvraagAfwijzen, { afwijzing_soort: 'geen_informatie', afwijzing_reden: 'Niets bekend hier.' }), uitvraag.messageId!);
      expect(text(decline.body.value)).toContain(refusal);
    }
    expect(await events()).toEqual(before);
    expect(h.connector.calls.filter((c) => c.kind === 'update' || c.kind === 'send')).toEqual([]);
    expect(JSON.stringify(h.logs)).not.toContain('Vervalst antwoord');
    expect(h.logs.filter((l) => l.msg === 'prompt response refused: not the invitee')).toHaveLength(2);
    expect(h.logs.filter((l) => l.msg === 'refused by the access policy')).toHaveLength(2);
  });

  it('takes a decline with a reason (and refuses one without)', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    const form = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    const before = (await events()).length;
    const noReason = await act(VEILIG_THUIS, Verb.uitvraagAfwijzen, submit(form, Verb.uitvraagAfwijzen, { afwijzing_soort: 'mag_niet_delen', afwijzing_reden: '' }), uitvraag.messageId!);
    expect(text(noReason.body.value)).toContain(REDEN_MESSAGE);
    expect(submit(noReason.body.value, Verb.uitvraagAfwijzen)).toMatchObject({ afwijzing_soort: 'mag_niet_delen' });
    expect(await events()).toHaveLength(before);

    const res = await act(VEILIG_THUIS, Verb.uitvraagAfwijzen, submit(form, Verb.uitvraagAfwijzen, { afwijzing_soort: 'mag_niet_delen', afwijzing_reden: 'Geen toestemming van de ouders; wel bekend.' }), uitvraag.messageId!);
    expect(text(res.body.value)).toContain('Je reactie is opgeslagen. De reden lezen alleen jij, de casusregisseur (Officier Van Dijk) en de officieren van justitie');
    expect((await current()).uitvragen[0]).toMatchObject({ status: 'afgewezen', afwijzing: { soort: 'mag_niet_delen', reden: 'Geen toestemming van de ouders; wel bekend.', door: { name: VEILIG_THUIS.name } } });
    const status = updatesOf(uitvraag.messageId!).at(-1)!.card;
    expect(text(status)).toContain('Afgewezen');
    expect(gepost()).not.toContain('Geen toestemming van de ouders');
    const lead = text(await bekijken(OFFICIER, status, uitvraag.messageId!));
    expect(lead).toContain('Geen antwoord: mag niet delen');
    expect(lead).toContain('Geen toestemming van de ouders; wel bekend.');
    expect(text(updatesOf(root).at(-1)!.card)).toContain('0 open · 0 beantwoord · 1 afgewezen');
  });

  it('lets the invitee correct the answer with history kept, until a duiding is recorded', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    const form = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, ANTWOORD), uitvraag.messageId!);

    // Someone else cannot open the correction.
    const other = await act(HALT, Verb.uitvraagCorrigeren, { caseId: zaak.id, uitvraagId: uitvraag.id }, uitvraag.messageId!);
    expect(other.body.value).toBe('Alleen de partner aan wie de vraag is gesteld kan hierop reageren. Er is niets opgeslagen.');

    const correction = (await act(VEILIG_THUIS, Verb.uitvraagCorrigeren, { caseId: zaak.id, uitvraagId: uitvraag.id }, uitvraag.messageId!)).body.value;
    expect(submit(correction, Verb.uitvraagBeantwoorden)).toMatchObject({ antwoord: ANTWOORD.antwoord, bron: 'Eigen registratie', bekend: 'ja' });
    expect(executes(correction.body).map((a) => a.title)).toEqual(['Antwoord versturen', 'Versturen zonder antwoord', 'Annuleren']);
    h.clock.advance(60_000);
    await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(correction, Verb.uitvraagBeantwoorden, { antwoord: 'Drie meldingen; de laatste in oktober 2026.' }), uitvraag.messageId!);

    const answers = (await events()).filter((e) => e.type === 'uitvraag.beantwoord');
    expect(answers.map((e) => [(e.data as { tekst: string }).tekst, e.at])).toEqual([
      [ANTWOORD.antwoord, '2026-11-28T10:00:00.000Z'],
      ['Drie meldingen; de laatste in oktober 2026.', '2026-11-28T10:01:00.000Z'],
    ]);
    expect(text(await bekijken(OFFICIER, updatesOf(uitvraag.messageId!).at(-1)!.card, uitvraag.messageId!))).toContain('Antwoord (gecorrigeerd, versie 2)');

    await recordAs(OFFICIER, { type: 'duiding.vastgelegd', data: { patronen: ['oude_bekenden'], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['Het gezin is een oude bekende.'], instrumenten: [], veiligheid: [] } });
    const own = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    expect(executes(own.body).filter((a) => a.verb === Verb.uitvraagCorrigeren)).toEqual([]);
    const late = await act(VEILIG_THUIS, Verb.uitvraagCorrigeren, { caseId: zaak.id, uitvraagId: uitvraag.id }, uitvraag.messageId!);
    expect(text(late.body.value)).toContain('Er is al een duiding vastgelegd');
    expect(inputIds(late.body.value)).toEqual([]);
    const before = (await events()).length;
    const forced = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, { caseId: zaak.id, uitvraagId: uitvraag.id, basis: reactieBasis((await current()).uitvragen[0]!), ...ANTWOORD }, uitvraag.messageId!);
    expect(text(forced.body.value)).toContain(DUIDING_MESSAGE);
    expect(await events()).toHaveLength(before);
  });

  it('refreshes a stale card to the current state instead of failing: answered meanwhile, or the case closed', async () => {
    const { uitvraag, card } = await invite(VT_VRAAG);
    const staleForm = (await autoRefresh(VEILIG_THUIS, card, uitvraag.messageId!)).body.value;
    await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(staleForm, Verb.uitvraagBeantwoorden, ANTWOORD), uitvraag.messageId!);

    // The same form, still open on another device, answers again.
    const before = (await events()).length;
    const again = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(staleForm, Verb.uitvraagBeantwoorden, { ...ANTWOORD, antwoord: 'Toch iets anders.' }), uitvraag.messageId!);
    expect(again.status).toBe(200);
    expect(text(again.body.value)).toContain('Deze vraag is intussen al beantwoord.');
    expect(text(again.body.value)).toContain(ANTWOORD.antwoord);
    expect(await events()).toHaveLength(before);

    const halt = await invite(HALT_VRAAG, 'form-2');
    const haltForm = (await autoRefresh(HALT, halt.card, halt.uitvraag.messageId!)).body.value;
    const z = await current();
    await recordAs(OFFICIER, { type: 'zaak.gesloten', data: { leeropbrengst: 'Vroeg vragen loont.', uitkomst: 'Halt op maximale uren.' } }, { type: 'zaak.fase_gewijzigd', data: { van: z.fase, naar: 'gesloten' } });

    const afterClose = (await events()).length;
    const late = await act(HALT, Verb.uitvraagBeantwoorden, submit(haltForm, Verb.uitvraagBeantwoorden, { antwoord: 'Geen eerder traject.', bron: 'Halt-registratie', bekend: 'nee' }), halt.uitvraag.messageId!);
    expect(late.status).toBe(200);
    expect(text(late.body.value)).toContain('Deze zaak is gesloten');
    expect(text(late.body.value)).toContain('Open · zaak gesloten');
    expect(inputIds(late.body.value)).toEqual([]);
    expect(await events()).toHaveLength(afterClose);

    const refreshed = (await autoRefresh(HALT, halt.card, halt.uitvraag.messageId!)).body.value;
    expect(inputIds(refreshed)).toEqual([]);
    expect(text(refreshed)).toContain('Open · zaak gesloten');
  });

  it('stores all twenty answers when twenty partners answer the same case at the same moment', async () => {
    const partners: User[] = Array.from({ length: 20 }, (_, i) => ({ id: `29:partner-${i + 1}`, aadObjectId: `aad-partner-${i + 1}`, name: `Partner ${String(i + 1).padStart(2, '0')}` }));
    h.connector.members = [OFFICIER, ...partners].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    const invited: { user: User; uitvraag: Uitvraag; form: any }[] = [];
    for (const [i, user] of partners.entries()) {
      // A lead takes a while to type each question; the cards go up at the thread's pace.
      h.clock.advance(30_000);
      const { uitvraag, card } = await invite({ lid: user.id, organisatie: 'wijkteam', vraag: `Vraag ${i + 1}: is het gezin bij jullie bekend?`, waarom: 'Bepaalt welke zorg we naast de straf inzetten.' }, `form-${i + 1}`);
      const form = (await autoRefresh(user, card, uitvraag.messageId!)).body.value;
      invited.push({ user, uitvraag, form });
    }
    expect(new Set(invited.map((p) => p.uitvraag.id)).size).toBe(20);
    h.connector.reset();

    const responses = await Promise.all(
      invited.map(({ user, uitvraag, form }) =>
        act(user, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, { antwoord: `Antwoord van ${user.name}`, bron: 'Eigen registratie', bekend: 'nee' }), uitvraag.messageId!),
      ),
    );
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(text(res.body.value)).toContain('Je antwoord is opgeslagen');
    }

    const z = await current();
    expect(z.uitvragen.map((u) => [u.status, u.antwoord?.tekst, u.antwoord?.door.id])).toEqual(invited.map(({ user }) => ['beantwoord', `Antwoord van ${user.name}`, user.aadObjectId]));
    expect((await events()).filter((e) => e.type === 'uitvraag.beantwoord')).toHaveLength(20);
    for (const { user, uitvraag } of invited) {
      const card = updatesOf(uitvraag.messageId!).at(-1)!.card;
      expect(text(card)).toContain('Beantwoord');
      expect(text(card)).not.toContain(`Antwoord van ${user.name}`);
    }
    expect(text(updatesOf(root).at(-1)!.card)).toContain('Vragen aan partners:** 0 open · 20 beantwoord · 0 afgewezen');
    expect(text(updatesOf(z.verdiepingskaartId!).at(-1)!.card)).toContain('0 open · 20 beantwoord · 0 afgewezen');
  });
  describe('need to know: who reads a partner\'s answer', () => {
    const MARKER = 'MARKER-VT-7f3a9c';
    const GEHEIM = { antwoord: `Twee meldingen; ${MARKER}.`, bron: 'Eigen registratie', bekend: 'ja' };

    /** VT and Halt are invited; VT answers with the marker (sharing as given). */
    async function answered(gedeeld: 'true' | 'false') {
      const vt = await invite(VT_VRAAG, 'form-1');
      const halt = await invite(HALT_VRAAG, 'form-2');
      const form = (await autoRefresh(VEILIG_THUIS, vt.card, vt.uitvraag.messageId!)).body.value;
      const res = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, { ...GEHEIM, gedeeld }), vt.uitvraag.messageId!);
      const card = updatesOf(vt.uitvraag.messageId!).at(-1)!.card;
      return { vt, halt, res, card };
    }

    it('never sends the answer to the channel: only in the invoke responses to the invitee and the lead', async () => {
      const { vt, res, card } = await answered('true');
      expect(text(res.body.value)).toContain(MARKER);
      expect(text(await bekijken(OFFICIER, card, vt.uitvraag.messageId!))).toContain(MARKER);
      // The corrected answer, the refreshed thread cards: nothing the bot POSTed or PUT carries it.
      const correction = (await act(VEILIG_THUIS, Verb.uitvraagCorrigeren, { caseId: zaak.id, uitvraagId: vt.uitvraag.id }, vt.uitvraag.messageId!)).body.value;
      await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(correction, Verb.uitvraagBeantwoorden, { antwoord: `Drie meldingen; ${MARKER}.` }), vt.uitvraag.messageId!);
      expect(h.connector.calls.filter((c) => c.method === 'PUT').length).toBeGreaterThan(0);
      expect(gepost()).not.toContain(MARKER);
      expect(gepost()).not.toContain(VT_VRAAG.vraag);
      expect(JSON.stringify(h.logs)).not.toContain(MARKER);
    });

    it('shows Halt (invited on the same case) the VT answer only once VT ticked sharing', async () => {
      const { vt, card } = await answered('false');
      const zonder = text(await bekijken(HALT, card, vt.uitvraag.messageId!));
      expect(zonder).toContain(VT_VRAAG.vraag);
      expect(zonder).toContain('Beantwoord');
      expect(zonder).not.toContain(MARKER);
      expect(text((await autoRefresh(HALT, card, vt.uitvraag.messageId!)).body.value)).not.toContain(MARKER);

      // Only ticking the toggle is a change: a new version, now shared.
      const correction = (await act(VEILIG_THUIS, Verb.uitvraagCorrigeren, { caseId: zaak.id, uitvraagId: vt.uitvraag.id }, vt.uitvraag.messageId!)).body.value;
      const res = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(correction, Verb.uitvraagBeantwoorden, { gedeeld: 'true' }), vt.uitvraag.messageId!);
      expect(text(res.body.value)).toContain('Je antwoord lezen jij, de casusregisseur (Officier Van Dijk) en de officieren van justitie en de andere betrokken professionals bij deze zaak.');
      expect((await current()).uitvragen[0]!.antwoord).toMatchObject({ gedeeld: true, versie: 2, tekst: GEHEIM.antwoord });

      const met = text(await bekijken(HALT, updatesOf(vt.uitvraag.messageId!).at(-1)!.card, vt.uitvraag.messageId!));
      expect(met).toContain(MARKER);
      expect(gepost()).not.toContain(MARKER);
    });

    it('gives a team member without a role on the case the status and "Beperkt zichtbaar", nothing more', async () => {
      const { vt, card } = await answered('true');
      const view = await bekijken(RVDK, card, vt.uitvraag.messageId!);
      expect(text(view)).toContain('Beperkt zichtbaar — vraag toegang aan de casusregisseur.');
      expect(text(view)).toContain('Beantwoord');
      expect(text(view)).toContain('gevraagd aan <at>Medewerker Veilig Thuis</at>');
      expect(executes(view).find((a) => a.title === 'Toegang vragen')).toMatchObject({ verb: Verb.toegangVragen, data: { caseId: zaak.id } });
      for (const geheim of [MARKER, VT_VRAAG.vraag, VT_VRAAG.waarom, 'Eigen registratie']) expect(text(view)).not.toContain(geheim);
      expect(inputIds(view)).toEqual([]);
    });

    it('answers a forged refresh (someone else sending the card\'s refresh) with the status, never the content', async () => {
      const { vt, card } = await answered('true');
      for (const user of [RVDK, HALT]) {
        const forged = await autoRefresh(user, card, vt.uitvraag.messageId!);
        expect(forged.status).toBe(200);
        expect(inputIds(forged.body.value)).toEqual([]);
        expect(text(forged.body.value)).not.toContain(user === RVDK ? VT_VRAAG.vraag : 'Antwoord versturen');
      }
      const rvdk = text((await autoRefresh(RVDK, card, vt.uitvraag.messageId!)).body.value);
      expect(rvdk).not.toContain(MARKER);
      expect(rvdk).toContain('Beperkt zichtbaar');
      // Before the answer: the open form is the invitee's alone.
      const open = await invite({ ...VT_VRAAG, vraag: 'Is er een tweede melding bekend bij Veilig Thuis?' }, 'form-3');
      const stolen = await autoRefresh(HALT, open.card, open.uitvraag.messageId!);
      expect(inputIds(stolen.body.value)).toEqual([]);
    });
  });

  describe('withdrawing a question (the wrong partner asked)', () => {
    const REDEN = 'Verkeerde partner uitgenodigd: het gezin valt onder een andere regio.';
    const leadView = async (card: any, messageId: string) => (await autoRefresh(OFFICIER, card, messageId)).body.value;
    /** VT's own "mijn acties" view (the content behind the channel's status card). */
    const mijnActies = async () => text((await act(VEILIG_THUIS, Verb.persoonlijkBekijken, { soort: 'mijn-acties' })).body.value);

    it('offers "Vraag intrekken" to the lead only, asks a reason, and takes the partner off the case', async () => {
      const vt = await invite(VT_VRAAG, 'form-1');
      const halt = await invite(HALT_VRAAG, 'form-2');
      const vtForm = (await autoRefresh(VEILIG_THUIS, vt.card, vt.uitvraag.messageId!)).body.value;
      // VT is on the case: the verdiepingskaart shows it the content.
      expect(text((await act(VEILIG_THUIS, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).body.value)).not.toContain('Beperkt zichtbaar');

      expect(await mijnActies()).toContain(REFERENCE);
      // The case card refreshes for the lead and both partners asked.
      expect(updatesOf(root).at(-1)!.card.refresh.userIds).toEqual([OFFICIER.id, VEILIG_THUIS.id, HALT.id]);

      const lead = await leadView(vt.card, vt.uitvraag.messageId!);
      const toggle = find(lead, (n) => n.type === 'Action.ToggleVisibility');
      expect(toggle).toEqual([expect.objectContaining({ title: 'Vraag intrekken', targetElements: ['intrekken'] })]);
      // The reason form starts hidden until the lead opens it.
      expect(find(lead, (n) => n.id === 'intrekken')).toEqual([expect.objectContaining({ isVisible: false })]);
      expect(executes(lead).find((a) => a.verb === Verb.uitvraagIntrekken)).toMatchObject({ title: 'Intrekken', data: { caseId: zaak.id, uitvraagId: vt.uitvraag.id } });
      // Not for the invitee, nor for another partner on the case.
      for (const view of [vtForm, (await autoRefresh(HALT, vt.card, vt.uitvraag.messageId!)).body.value]) {
        expect(executes(view).map((a) => a.verb)).not.toContain(Verb.uitvraagIntrekken);
        expect(find(view, (n) => n.type === 'Action.ToggleVisibility')).toEqual([]);
      }

      // Without a reason: refused on the card, the form left open, nothing stored.
      const zonder = await act(OFFICIER, Verb.uitvraagIntrekken, submit(lead, Verb.uitvraagIntrekken, { intrekking_reden: ' ' }), vt.uitvraag.messageId!);
      expect(text(zonder.body.value)).toContain('Geef een reden (ten minste 5 tekens)');
      expect(find(zonder.body.value, (n) => n.id === 'intrekken')).toEqual([expect.objectContaining({ isVisible: true })]);
      // Forged by another partner on the case: refused by the policy, nothing stored.
      const vervalst = await act(HALT, Verb.uitvraagIntrekken, submit(lead, Verb.uitvraagIntrekken, { intrekking_reden: REDEN }), vt.uitvraag.messageId!);
      expect(vervalst.body.value).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
      expect((await current()).uitvragen[0]!.status).toBe('open');

      h.clock.advance(5 * 60_000);
      h.connector.reset();
      const res = await act(OFFICIER, Verb.uitvraagIntrekken, submit(lead, Verb.uitvraagIntrekken, { intrekking_reden: REDEN }), vt.uitvraag.messageId!);
      expect(text(res.body.value)).toContain('Vraag ingetrokken. Medewerker Veilig Thuis leest de reden bij de vraag');
      expect(text(res.body.value)).toContain(REDEN);
      expect(find(res.body.value, (n) => n.type === 'Action.ToggleVisibility')).toEqual([]);
      expect((await current()).uitvragen[0]).toMatchObject({ status: 'ingetrokken', intrekking: { reden: REDEN, door: { id: OFFICIER.aadObjectId }, op: '2026-11-28T10:05:00.000Z' } });
      expect((await events()).at(-1)).toMatchObject({ type: 'uitvraag.ingetrokken', data: { uitvraagId: vt.uitvraag.id, reden: REDEN } });
      expect(h.logs.filter((l) => l.msg === 'prompt withdrawn')).toHaveLength(1);

      // One notice in the thread @mentions the partner, so Teams tells them; it says who withdrew it, not why.
      const meldingen = threadSends().filter((c) => text(c.card).includes('Vraag ingetrokken'));
      expect(meldingen).toHaveLength(1);
      expect(text(meldingen[0]!.card)).toContain('De vraag aan <at>Medewerker Veilig Thuis</at> is ingetrokken door Officier Van Dijk');
      expect(meldingen[0]!.card.msteams.entities[0].mentioned.id).toBe(VEILIG_THUIS.id);
      expect(text(meldingen[0]!.card)).not.toContain(REDEN);
      // The thread shows that it was withdrawn, never why; the case card counts it.
      const gedeeld = text(updatesOf(vt.uitvraag.messageId!).at(-1)!.card);
      expect(gedeeld).toContain('Ingetrokken');
      expect(gedeeld).not.toContain(REDEN);
      expect(text(updatesOf(root).at(-1)!.card)).toContain('1 open · 0 beantwoord · 0 afgewezen · 1 ingetrokken');

      // The partner reads why on their own card; their stale form saves nothing.
      const eigen = (await autoRefresh(VEILIG_THUIS, vt.card, vt.uitvraag.messageId!)).body.value;
      expect(text(eigen)).toContain(REDEN);
      expect(inputIds(eigen)).toEqual([]);
      const laat = await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(vtForm, Verb.uitvraagBeantwoorden, ANTWOORD), vt.uitvraag.messageId!);
      expect(text(laat.body.value)).toContain('Deze vraag is ingetrokken door de casusregisseur');
      expect((await current()).uitvragen[0]!.antwoord).toBeUndefined();
      // Off the case: the status only, no more refreshes, no reminder, nothing in mijn acties.
      expect(text((await act(VEILIG_THUIS, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).body.value)).toContain('Beperkt zichtbaar');
      expect(updatesOf(root).at(-1)!.card.refresh.userIds).toEqual([OFFICIER.id, HALT.id]);
      expect(updatesOf(halt.uitvraag.messageId!).at(-1)!.card.refresh.userIds).not.toContain(VEILIG_THUIS.id);
      h.clock.advance(24 * 3_600_000);
      h.connector.reset();
      await h.bot.dispatcher!.tick();
      expect(h.connector.cards('send').map((c) => text(c.card)).join()).not.toContain('Medewerker Veilig Thuis');
      expect((await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.ref === vt.uitvraag.id && j.kind !== 'uitvraag.kaart').map((j) => j.status)).toEqual(['vervallen', 'vervallen']);
      expect(await mijnActies()).not.toContain(REFERENCE);
    });

    it('tells the partner on their reminder, and the lead on the deadline notice, that the question was withdrawn', async () => {
      const vt = await invite(VT_VRAAG, 'form-1');
      // The deadline is 13:00 in Amsterdam (12:00 UTC); the reminder comes half an hour before.
      const kaart = async (titel: string) => {
        h.connector.reset();
        await h.bot.dispatcher!.tick();
        return threadSends().find((c) => text(c.card).includes(titel))!.card;
      };
      h.clock.advance(100 * 60_000);
      const herinnering = await kaart('Herinnering: een vraag wacht op je antwoord');
      h.clock.advance(30 * 60_000);
      const verlopen = await kaart('Geen antwoord voor de deadline');

      const lead = await leadView(vt.card, vt.uitvraag.messageId!);
      await act(OFFICIER, Verb.uitvraagIntrekken, submit(lead, Verb.uitvraagIntrekken, { intrekking_reden: REDEN }), vt.uitvraag.messageId!);
      const eigen = text((await h.post(cardAction(h, VEILIG_THUIS, herinnering.refresh.action.verb, herinnering.refresh.action.data, 'herinnering-msg', thread))).body.value);
      expect(herinnering.refresh.userIds).toEqual([VEILIG_THUIS.id]);
      expect(eigen).toContain('Herinnering: de vraag is ingetrokken');
      expect(eigen).toContain('de vraag is ingetrokken en hoeft niet meer te worden beantwoord.');
      expect(eigen).not.toContain('nog niet beantwoord');
      const regie = text((await h.post(cardAction(h, OFFICIER, verlopen.refresh.action.verb, verlopen.refresh.action.data, 'verlopen-msg', thread))).body.value);
      expect(regie).toContain('Na de deadline: de vraag is ingetrokken');
      expect(regie).toContain('antwoordde niet voor de deadline, en de vraag is intussen ingetrokken.');
    });

    it('keeps a given answer for the partner and the regie only, out of the duiding and the other partners\' view', async () => {
      const vt = await invite(VT_VRAAG, 'form-1');
      await invite(HALT_VRAAG, 'form-2');
      const vtForm = (await autoRefresh(VEILIG_THUIS, vt.card, vt.uitvraag.messageId!)).body.value;
      await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(vtForm, Verb.uitvraagBeantwoorden, { ...ANTWOORD, gedeeld: 'true' }), vt.uitvraag.messageId!);
      const card = updatesOf(vt.uitvraag.messageId!).at(-1)!.card;
      // Shared with the other partners before it was withdrawn.
      expect(text((await autoRefresh(HALT, card, vt.uitvraag.messageId!)).body.value)).toContain(ANTWOORD.antwoord);

      const lead = await leadView(card, vt.uitvraag.messageId!);
      await act(OFFICIER, Verb.uitvraagIntrekken, submit(lead, Verb.uitvraagIntrekken, { intrekking_reden: REDEN }), vt.uitvraag.messageId!);
      const nu = updatesOf(vt.uitvraag.messageId!).at(-1)!.card;
      for (const [wie, ziet] of [[OFFICIER, true], [VEILIG_THUIS, true], [HALT, false]] as const) {
        const view = text((await autoRefresh(wie, nu, vt.uitvraag.messageId!)).body.value);
        expect(view.includes(ANTWOORD.antwoord), wie.name).toBe(ziet);
        expect(view.includes(REDEN), wie.name).toBe(ziet);
      }
      // The partner is told who reads it now: no longer the other partners.
      expect(text((await autoRefresh(VEILIG_THUIS, nu, vt.uitvraag.messageId!)).body.value)).toContain('Je antwoord lezen alleen jij, de casusregisseur (Officier Van Dijk) en de officieren van justitie.');
      // The lead's ketenkaart keeps what was answered, with why the question was withdrawn.
      const keten = text((await act(OFFICIER, Verb.persoonlijkBekijken, { soort: 'ketenkaart', reference: REFERENCE })).body.value);
      expect(keten).toContain(`Ingetrokken door Officier Van Dijk`);
      expect(keten).toContain(REDEN);
      expect(keten).toContain(`Daarvoor gegeven: Antwoord: ${ANTWOORD.antwoord}`);
      // The duiding form starts from the answers still asked for; the withdrawn one is not among them.
      const duiding = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
      expect(text(duiding)).not.toContain(ANTWOORD.antwoord);
      expect(text(duiding)).not.toContain(VT_VRAAG.vraag);
      // Withdrawn twice: nothing new stored.
      const tweede = await act(OFFICIER, Verb.uitvraagIntrekken, submit(lead, Verb.uitvraagIntrekken, { intrekking_reden: REDEN }), vt.uitvraag.messageId!);
      expect(text(tweede.body.value)).toContain('Deze vraag was al ingetrokken');
      expect((await events()).filter((e) => e.type === 'uitvraag.ingetrokken')).toHaveLength(1);
      expect(threadSends().filter((c) => text(c.card).includes('Vraag ingetrokken'))).toHaveLength(1);
    });
  });
});
