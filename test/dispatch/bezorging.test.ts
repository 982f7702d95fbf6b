import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/dispatch/dispatcher';
import type { NewZaakEvent, Verdiepingszaak } from '../../src/domain/zaak';
import { newJob } from '../../src/domain/jobs';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention, type User } from '../support/activities';
import { executes, inputs, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { actorOf, besluit, byKind, dispatcher, DISPATCH_CONFIG, jobs, lid, posted, recordingSleep, seedCase, seedTeam, service } from './support';

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const RVDK: User = { id: '29:rvdk', aadObjectId: 'aad-rvdk', name: 'Raadsonderzoeker Jansen' };

/** Monday 30 November 2026, 08:00 in Amsterdam. */
const NOW = '2026-11-30T07:00:00Z';

/** The buttons a user sees (not the refresh action Teams runs on its own). */
const knoppen = (card: any) => executes(card).filter((a) => a.title !== 'Vernieuwen');
const mentioned = (card: any): string[] => (card.msteams?.entities ?? []).map((e: any) => e.mentioned.id);
/** The "Bekijken" button of a follow-up card: the same verb and data as its refresh for the addressee. */
const bekijkKnop = (card: any) => {
  const knop = executes(card).find((a) => a.title === 'Bekijken');
  expect(knop.verb).toBe(Verb.opvolgingBekijken);
  if (card.refresh) expect(card.refresh.action.data).toEqual(knop.data);
  return knop;
};

describe('follow-ups delivered at their time and answered in the case thread', () => {
  let h: Harness;
  let d: Dispatcher;

  const at = async (iso: string) => {
    h.clock.set(iso);
    return d.tick();
  };
  const sentSince = (n: number) => posted(h).slice(n);
  const act = (user: User, zaak: Verdiepingszaak, verb: string, data: Record<string, unknown>, replyToId: string) => h.post(cardAction(h, user, verb, data, replyToId, zaak.thread!.conversationId));
  const recordAs = (user: User, zaak: Verdiepingszaak, ...changes: NewZaakEvent[]) => service(h).change(TEAM_ID, zaak.id, actorOf(user), () => changes);
  const current = async (zaak: Verdiepingszaak) => (await h.store.getCase(TEAM_ID, zaak.id))!;

  beforeEach(async () => {
    // The lead is also a beheerder here: changing the digest schedule is theirs (and the officieren's).
    h = await startHarness({ now: NOW, config: { ...DISPATCH_CONFIG, BEHEERDERS: OFFICIER.aadObjectId } });
    h.connector.members = [OFFICIER, VEILIG_THUIS, HALT, RVDK].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    // The weekly digest has its own test below: here it comes once a year, on 1 June.
    await seedTeam(h, { digestCron: '0 6 1 6 *' });
    d = dispatcher(h, 'instance-a', { sleep: recordingSleep().sleep });
  });
  afterEach(async () => {
    await d.stop();
    await h.stop();
  });

  it('reminds an invitee before the deadline while unanswered, then tells the case lead who did not answer', async () => {
    const deadline = '2026-11-30T11:00:00Z';
    const vraag = (id: string, invitee: User, organisatie: 'veilig_thuis' | 'halt'): NewZaakEvent => ({
      type: 'uitvraag.verstuurd',
      data: { id, invitee: lid(invitee), organisatie, vraag: 'Is het gezin bij jullie bekend?', waarom: 'Bepaalt of zorg voor straf gaat.', deadline },
    });
    const zaak = await seedCase(h, '13/300001-26', OFFICIER, [vraag('u-vt', VEILIG_THUIS, 'veilig_thuis'), vraag('u-halt', HALT, 'halt')]);

    // First the questions' own cards, in the thread, each mentioning its invitee; the case records where they are.
    expect(await at(NOW)).toMatchObject({ verzonden: 2 });
    const kaarten = posted(h);
    expect(kaarten.map((r) => [r.call.conversationId, mentioned(r.card)]).sort()).toEqual([
      [zaak.thread!.conversationId, [HALT.id]],
      [zaak.thread!.conversationId, [VEILIG_THUIS.id]],
    ]);
    expect((await current(zaak)).uitvragen.map((u) => u.messageId).sort()).toEqual(kaarten.map((r) => r.call.responseId).sort());
    h.connector.reset();
    expect(await at('2026-11-30T10:29:59Z')).toMatchObject({ verzonden: 0 });
    expect(posted(h)).toHaveLength(0);

    // 30 minutes before the deadline (UITVRAAG_HERINNERING_MINUTES): each invitee, in the thread, mentioned.
    expect(await at('2026-11-30T10:30:00Z')).toMatchObject({ verzonden: 2 });
    const reminders = posted(h);
    expect(reminders.every((r) => r.call.conversationId === zaak.thread!.conversationId)).toBe(true);
    expect(reminders.map((r) => mentioned(r.card)).sort()).toEqual([[HALT.id], [VEILIG_THUIS.id]]);
    expect(text(reminders[0]!.card)).toContain('Herinnering');
    // The channel sees who is reminded and the deadline; the question only the invitee, in their own view.
    const vtReminder = reminders.find((r) => mentioned(r.card).includes(VEILIG_THUIS.id))!;
    expect(vtReminder.card.refresh.userIds).toEqual([VEILIG_THUIS.id]);
    for (const r of reminders) expect(text(r.card)).not.toContain('Is het gezin bij jullie bekend?');
    const herinnering = byKind(await jobs(h, zaak.id), 'uitvraag.herinnering').find((j) => j.ref === 'u-vt')!.sentMessageId!;
    expect(text((await act(VEILIG_THUIS, zaak, Verb.opvolgingBekijken, bekijkKnop(vtReminder.card).data, herinnering)).body.value)).toContain('Is het gezin bij jullie bekend?');
    expect(text((await act(HALT, zaak, Verb.opvolgingBekijken, bekijkKnop(vtReminder.card).data, herinnering)).body.value)).not.toContain('Is het gezin bij jullie bekend?');
    const herinneringen = byKind(await jobs(h, zaak.id), 'uitvraag.herinnering');
    expect(herinneringen.map((j) => j.status)).toEqual(['verzonden', 'verzonden']);
    expect(new Set(herinneringen.map((j) => j.sentMessageId)).size).toBe(2);

    // Halt answers; Veilig Thuis does not.
    await recordAs(HALT, await current(zaak), { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u-halt', tekst: 'Niet eerder bij Halt.', bron: 'Registratie', bekend: 'nee' } });
    expect(await at(deadline)).toMatchObject({ verzonden: 1, vervallen: 1 });
    const [verlopen] = sentSince(2);
    expect(verlopen!.call.conversationId).toBe(zaak.thread!.conversationId);
    expect(mentioned(verlopen!.card)).toEqual([OFFICIER.id]);
    expect(text(verlopen!.card)).toContain(`${VEILIG_THUIS.name} heeft de vraag niet voor de deadline beantwoord`);
    expect(knoppen(verlopen!.card).map((a) => [a.verb, a.data.caseId])).toEqual([
      [Verb.uitvraagNieuw, zaak.id],
      [Verb.opvolgingBekijken, zaak.id],
    ]);
    expect(text(verlopen!.card)).not.toContain('Is het gezin bij jullie bekend?');
    expect(text((await act(OFFICIER, zaak, Verb.opvolgingBekijken, bekijkKnop(verlopen!.card).data, 'verlopen')).body.value)).toContain('Is het gezin bij jullie bekend?');
    const perJob = byKind(await jobs(h, zaak.id), 'uitvraag.verlopen');
    expect(perJob.find((j) => j.ref === 'u-halt')).toMatchObject({ status: 'vervallen', lastError: 'vraag is beantwoord' });
    expect(perJob.find((j) => j.ref === 'u-vt')).toMatchObject({ status: 'verzonden' });

    expect(await at('2026-11-30T12:00:00Z')).toEqual({ verzonden: 0, vervallen: 0, mislukt: 0, uitgesteld: 0 });
    expect(posted(h)).toHaveLength(3);
  });

  it('keeps each follow-up card up to date for everyone: a reminder and a deadline notice once the partner answers late, a plandatum once the besluit is postponed again or recorded', async () => {
    const deadline = '2026-11-30T11:00:00Z';
    const zaak = await seedCase(h, '13/300011-26', OFFICIER, [
      { type: 'uitvraag.verstuurd', data: { id: 'u-vt', invitee: lid(VEILIG_THUIS), organisatie: 'veilig_thuis', vraag: 'Is het gezin bij jullie bekend?', waarom: 'Bepaalt of zorg voor straf gaat.', deadline } },
    ]);
    await at(NOW);
    await at('2026-11-30T10:30:00Z');
    await at(deadline);
    const herinnering = byKind(await jobs(h, zaak.id), 'uitvraag.herinnering')[0]!;
    const verlopen = byKind(await jobs(h, zaak.id), 'uitvraag.verlopen')[0]!;
    // The case knows its follow-up cards, where they are and whom they mention; nothing of the question.
    expect((await current(zaak)).opvolgkaarten).toEqual([
      { soort: 'herinnering', ref: 'u-vt', conversationId: zaak.thread!.conversationId, messageId: herinnering.sentMessageId },
      { soort: 'verlopen', ref: 'u-vt', lead: lid(OFFICIER), conversationId: zaak.thread!.conversationId, messageId: verlopen.sentMessageId },
    ]);
    const updatesOf = (messageId: string) => h.connector.cards('update').filter((c) => c.call.activityId === messageId);
    h.clock.set('2026-11-30T11:10:00Z');
    d.wek();
    await d.rustig();
    // Nothing changed: no card is put again.
    expect(updatesOf(herinnering.sentMessageId!).concat(updatesOf(verlopen.sentMessageId!))).toEqual([]);

    await recordAs(VEILIG_THUIS, await current(zaak), { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u-vt', tekst: 'Twee meldingen in 2025.', bron: 'Registratie', bekend: 'ja' } });
    d.wek();
    await d.rustig();
    const [reminder] = updatesOf(herinnering.sentMessageId!);
    expect(text(reminder!.card)).toContain('Herinnering: de vraag is beantwoord');
    expect(text(reminder!.card)).not.toContain('wacht op je antwoord');
    expect(mentioned(reminder!.card)).toEqual([VEILIG_THUIS.id]);
    expect(reminder!.card.refresh.userIds).toEqual([VEILIG_THUIS.id]);
    const [notice] = updatesOf(verlopen.sentMessageId!);
    expect(text(notice!.card)).toContain('Na de deadline: de vraag is beantwoord');
    expect(text(notice!.card)).toContain('maar heeft intussen geantwoord');
    expect(mentioned(notice!.card)).toEqual([OFFICIER.id]);
    for (const c of [reminder!, notice!]) {
      expect(c.call.conversationId).toBe(zaak.thread!.conversationId);
      expect(text(c.card)).not.toContain('Is het gezin bij jullie bekend?');
      expect(text(c.card)).not.toContain('Twee meldingen');
    }

    const uitgesteld = await seedCase(h, '13/300012-26', OFFICIER, besluit([], [], { op: '2026-12-03T08:00:00Z', reden: 'Wacht op het advies van het Veiligheidshuis.' }));
    await at('2026-12-03T08:00:00Z');
    const plan = byKind(await jobs(h, uitgesteld.id), 'plandatum')[0]!.sentMessageId!;
    // Postponed once more: the card says so and shows the new moment, without its button.
    await recordAs(OFFICIER, await current(uitgesteld), ...besluit([], [], { op: '2026-12-10T08:00:00Z', reden: 'Het advies is er nog niet.' }).slice(1, 2));
    d.wek();
    await d.rustig();
    const [opnieuw] = updatesOf(plan);
    expect(text(opnieuw!.card)).toContain('Plandatum: het besluit is opnieuw uitgesteld');
    expect(text(opnieuw!.card)).toContain('do 10 dec 2026, 09:00');
    expect(executes(opnieuw!.card).map((a) => a.verb)).toEqual([Verb.opvolgingBekijken, Verb.opvolgingBekijken]);
    expect(text(opnieuw!.card)).not.toContain('Het advies is er nog niet.');
    await recordAs(OFFICIER, await current(uitgesteld), ...besluit([]).slice(1, 2));
    d.wek();
    await d.rustig();
    const [, planKaart] = updatesOf(plan);
    expect(text(planKaart!.card)).toContain('Plandatum: het besluit is vastgelegd');
    expect(executes(planKaart!.card).map((a) => a.verb)).toEqual([Verb.opvolgingBekijken, Verb.opvolgingBekijken]);
    expect(mentioned(planKaart!.card)).toEqual([OFFICIER.id]);
    expect(text(planKaart!.card)).not.toContain('Wacht op het advies');
  });

  it('asks an action owner on the due date; only the owner or the case lead answers: gereed, nieuwe datum, vervalt', async () => {
    const zaak = await seedCase(
      h,
      '13/300002-26',
      OFFICIER,
      besluit([
        { id: 'a-halt', eigenaar: lid(HALT), datum: '2026-12-01', wat: 'Halt-traject op maximale uren starten' },
        { id: 'a-vt', eigenaar: lid(VEILIG_THUIS), datum: '2026-12-01' },
      ]),
    );
    // Due at 09:00 Amsterdam time on the day.
    expect(await at('2026-12-01T07:59:59Z')).toMatchObject({ verzonden: 0 });
    expect(await at('2026-12-01T08:00:00Z')).toMatchObject({ verzonden: 2 });
    const cards = posted(h);
    const haltCard = cards.find((c) => mentioned(c.card).includes(HALT.id))!;
    const job = byKind(await jobs(h, zaak.id), 'actie.vervaldatum').find((j) => j.ref === 'a-halt')!;
    const messageId = job.sentMessageId!;
    // In the channel: whose action, the date, the status; what the action is and the form only in the owner's view.
    expect(text(haltCard.card)).not.toContain('Halt-traject op maximale uren starten');
    expect(knoppen(haltCard.card).map((a) => a.title)).toEqual(['Bekijken']);
    expect(haltCard.card.refresh.userIds).toEqual([HALT.id]);
    const eigen = (await act(HALT, zaak, Verb.opvolgingBekijken, bekijkKnop(haltCard.card).data, messageId)).body.value;
    expect(text(eigen)).toContain('Halt-traject op maximale uren starten');
    expect(executes(eigen).filter((a) => a.verb === Verb.actieBijwerken).map((a) => a.data.keuze)).toEqual(['gereed', 'nieuwe_datum', 'vervalt']);
    const knop = (keuze: string, typed: Record<string, string> = {}) => ({ ...executes(eigen).find((a) => a.data.keuze === keuze).data, datum: '', toelichting: '', ...typed });
    // Another action owner on the case pressing "Bekijken" (or forging the refresh) gets the status only.
    const ander = (await act(VEILIG_THUIS, zaak, Verb.opvolgingBekijken, bekijkKnop(haltCard.card).data, messageId)).body.value;
    expect(text(ander)).not.toContain('Halt-traject op maximale uren starten');
    expect(executes(ander).filter((a) => a.verb === Verb.actieBijwerken)).toEqual([]);

    // Someone else: refused, nothing stored.
    const events = (await h.store.listEvents(TEAM_ID, zaak.id)).length;
    const refused = await act(VEILIG_THUIS, zaak, Verb.actieBijwerken, knop('gereed'), messageId);
    expect(text(refused.body.value)).toContain('Alleen Medewerker Halt (de actiehouder) of Officier Van Dijk (casusregisseur) kan deze actie bijwerken');
    expect(text(refused.body.value)).not.toContain('Halt-traject op maximale uren starten');
    // A new date needs a reason.
    const zonderReden = await act(HALT, zaak, Verb.actieBijwerken, knop('nieuwe_datum', { datum: '2026-12-08' }), messageId);
    expect(text(zonderReden.body.value)).toContain('Waarom een nieuwe datum?');
    expect(await h.store.listEvents(TEAM_ID, zaak.id)).toHaveLength(events);

    const res = await act(HALT, zaak, Verb.actieBijwerken, knop('nieuwe_datum', { datum: '2026-12-08', toelichting: 'Halt kan pas volgende week starten.' }), messageId);
    expect(text(res.body.value)).toContain('De actie heeft een nieuwe datum');
    const bijgewerkt = (await current(zaak)).besluit!.acties.find((a) => a.id === 'a-halt')!;
    expect(bijgewerkt).toMatchObject({ status: 'open', datum: '2026-12-08', toelichting: 'Halt kan pas volgende week starten.' });
    // The card in the thread shows it for everyone, without the form.
    const update = h.connector.cards('update').filter((c) => c.call.activityId === messageId).at(-1)!;
    expect(text(update.card)).toContain('Actie bijgewerkt');
    expect(knoppen(update.card).map((a) => a.verb)).toEqual([Verb.opvolgingBekijken]);
    expect(text(update.card)).not.toContain('Halt kan pas volgende week starten.');
    expect(text(update.card)).not.toContain('Halt-traject op maximale uren starten');
    // The same card again: it showed an older state.
    const stale = await act(HALT, zaak, Verb.actieBijwerken, knop('gereed'), messageId);
    expect(text(stale.body.value)).toContain('intussen al bijgewerkt');

    // The case lead lets the other action lapse, with a reason.
    const vtCard = cards.find((c) => mentioned(c.card).includes(VEILIG_THUIS.id))!;
    const vtJob = byKind(await jobs(h, zaak.id), 'actie.vervaldatum').find((j) => j.ref === 'a-vt')!;
    const leadView = (await act(OFFICIER, zaak, Verb.opvolgingBekijken, bekijkKnop(vtCard.card).data, vtJob.sentMessageId!)).body.value;
    const vervalt = { ...executes(leadView).find((a) => a.data.keuze === 'vervalt').data, datum: '', toelichting: 'Niet meer nodig: hij is uit huis geplaatst.' };
    expect(text((await act(OFFICIER, zaak, Verb.actieBijwerken, vervalt, vtJob.sentMessageId!)).body.value)).toContain('De actie is vervallen');

    // On the new date the owner is asked again (only for the action still open), and marks it gereed.
    expect(await at('2026-12-08T07:59:00Z')).toMatchObject({ verzonden: 0 });
    expect(await at('2026-12-08T08:00:00Z')).toMatchObject({ verzonden: 1 });
    const again = posted(h).at(-1)!;
    expect(mentioned(again.card)).toEqual([HALT.id]);
    const againJob = byKind(await jobs(h, zaak.id), 'actie.vervaldatum').find((j) => j.ref === 'a-halt' && j.dueAt === '2026-12-08T08:00:00.000Z')!;
    const againView = (await act(HALT, zaak, Verb.opvolgingBekijken, bekijkKnop(again.card).data, againJob.sentMessageId!)).body.value;
    const gereed = { ...executes(againView).find((a) => a.data.keuze === 'gereed').data, datum: '', toelichting: '' };
    await act(HALT, zaak, Verb.actieBijwerken, gereed, againJob.sentMessageId!);
    expect((await current(zaak)).besluit!.acties.map((a) => [a.id, a.status])).toEqual([
      ['a-halt', 'gereed'],
      ['a-vt', 'vervallen'],
    ]);
    expect((await h.store.listEvents(TEAM_ID, zaak.id)).filter((e) => e.type === 'actie.bijgewerkt').map((e) => e.actor.id)).toEqual([HALT.aadObjectId, OFFICIER.aadObjectId, HALT.aadObjectId]);
  });

  it('sends the due card of an action a partner carries out to the team member accountable for it', async () => {
    await seedCase(h, '13/300009-26', OFFICIER, besluit([{ id: 'a-wijk', eigenaar: lid(HALT), organisatie: 'politie', datum: '2026-12-01', wat: 'Wijkagent legt een huisbezoek af' }]));
    expect(await at('2026-12-01T08:00:00Z')).toMatchObject({ verzonden: 1 });
    const [kaart] = posted(h);
    expect(mentioned(kaart!.card)).toEqual([HALT.id]);
    expect(text(kaart!.card)).toContain('actiehouder <at>Medewerker Halt</at>');
    expect(text(kaart!.card)).toContain('Uitgevoerd door Politie; de actiehouder is verantwoordelijk en vraagt na hoe het staat.');
  });

  /** A case with one action of Halt due on 1 December, its card posted, and Halt's "gereed" from their own view of it. */
  const actieKaart = async (reference: string) => {
    const zaak = await seedCase(h, reference, OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-12-01', wat: 'Schoolverzuim nagaan' }]));
    await at('2026-12-01T08:00:00Z');
    const card = posted(h).at(-1)!.card;
    const messageId = byKind(await jobs(h, zaak.id), 'actie.vervaldatum')[0]!.sentMessageId!;
    const eigen = (await act(HALT, zaak, Verb.opvolgingBekijken, bekijkKnop(card).data, messageId)).body.value;
    return { zaak, messageId, gereed: { ...executes(eigen).find((a) => a.data.keuze === 'gereed').data, datum: '', toelichting: '' } };
  };

  it('never replaces another message for everyone: an answer whose replyToId is not the card sent for it updates nothing', async () => {
    const { zaak, gereed } = await actieKaart('13/300009-26');
    h.connector.reset();
    const res = await act(HALT, zaak, Verb.actieBijwerken, gereed, zaak.thread!.rootMessageId);
    expect(text(res.body.value)).toContain('De actie staat op gereed.');
    expect(h.connector.calls.filter((c) => c.kind === 'update' && c.activityId === zaak.thread!.rootMessageId && text(c.body).includes('Actie bijgewerkt'))).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'answered follow-up card not updated: not a message sent for it' && l.caseId === zaak.id)).toBe(true);
  });

  it('when the case closes, its follow-up cards that still asked something say so, and offer nothing more to do', async () => {
    const deadline = '2026-11-30T11:00:00Z';
    const zaak = await seedCase(h, '13/300015-26', OFFICIER, [
      ...besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-11-30', wat: 'Schoolverzuim nagaan' }], [], { op: '2026-11-30T09:00:00Z', reden: 'Wacht op het advies.' }),
      { type: 'uitvraag.verstuurd', data: { id: 'u-vt', invitee: lid(VEILIG_THUIS), organisatie: 'veilig_thuis', vraag: 'Is het gezin bij jullie bekend?', waarom: 'Bepaalt of zorg voor straf gaat.', deadline } },
    ]);
    await at(NOW);
    await at('2026-11-30T10:30:00Z');
    await at(deadline);
    const all = await jobs(h, zaak.id);
    const ids = (['uitvraag.herinnering', 'uitvraag.verlopen', 'actie.vervaldatum', 'plandatum'] as const).map((kind) => byKind(all, kind)[0]!.sentMessageId!);
    expect(ids.every(Boolean)).toBe(true);
    expect((await current(zaak)).opvolgkaarten).toHaveLength(4);
    const voor = await current(zaak);
    await recordAs(OFFICIER, voor, { type: 'zaak.gesloten', data: { leeropbrengst: 'Eerder de school betrekken.', uitkomst: 'Gesloten zonder besluit.' } }, { type: 'zaak.fase_gewijzigd', data: { van: voor.fase, naar: 'gesloten' } });
    d.wek();
    await d.rustig();
    const laatste = (messageId: string) => h.connector.cards('update').filter((c) => c.call.activityId === messageId).at(-1)!.card;
    const [herinnering, verlopen, actie, plan] = ids.map(laatste);
    expect(text(herinnering)).toContain('Herinnering: de zaak is gesloten');
    expect(text(herinnering)).toContain('Je hoeft de vraag niet meer te beantwoorden');
    expect(text(verlopen)).toContain('Na de deadline: de zaak is gesloten');
    expect(text(actie)).toContain('Actie: de zaak is gesloten');
    expect(text(plan)).toContain('Plandatum: de zaak is gesloten');
    // Only "Bekijken" is left: no invitation, no besluit form on a closed case.
    for (const card of [herinnering, verlopen, actie, plan]) expect(knoppen(card).map((a) => a.verb)).toEqual([Verb.opvolgingBekijken]);
  });

  it('takes on an answered card posted before cases recorded their follow-up cards, and keeps it up to date from then on', async () => {
    const zaak = await seedCase(h, '13/300013-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-12-01', wat: 'Schoolverzuim nagaan' }]));
    // As an earlier release left it: the card sent, its message id on the job only (its own job: the planned one is still to come).
    const messageId = 'eerder-geplaatst';
    const eerder = newJob(zaak, 'actie.vervaldatum', 'a1', new Date('2026-12-01T08:00:00Z'), NOW);
    await h.store.scheduleJobs([{ ...eerder, id: `${eerder.id}:eerder`, status: 'verzonden', sentMessageId: messageId }]);
    h.clock.set('2026-12-01T09:00:00Z');
    const eigen = (await act(HALT, zaak, Verb.opvolgingBekijken, { caseId: zaak.id, soort: 'actie', ref: 'a1' }, messageId)).body.value;
    const gereed = { ...executes(eigen).find((a) => a.data.keuze === 'gereed').data, datum: '', toelichting: '' };
    await act(HALT, zaak, Verb.actieBijwerken, gereed, messageId);
    expect((await current(zaak)).opvolgkaarten).toEqual([{ soort: 'actie', ref: 'a1', basis: '2026-12-01', conversationId: zaak.thread!.conversationId, messageId }]);
    const update = h.connector.cards('update').filter((c) => c.call.activityId === messageId).at(-1)!;
    expect(text(update.card)).toContain('Actie bijgewerkt');
    expect(text(update.card)).toContain('Gereed');
    expect(text(update.card)).not.toContain('Schoolverzuim nagaan');
  });

  it('records a follow-up card whose sender stopped after Teams took it, without posting it again', async () => {
    const zaak = await seedCase(h, '13/300014-26', OFFICIER, besluit([], [], { op: '2026-12-03T08:00:00Z', reden: 'Wacht op het advies van het Veiligheidshuis.' }));
    const [job] = byKind(await jobs(h, zaak.id), 'plandatum');
    const opvolgkaart = { soort: 'plandatum' as const, ref: job!.ref, basis: '2026-12-03T08:00:00Z', lead: lid(OFFICIER), conversationId: zaak.thread!.conversationId };
    // Its sender wrote the message id and then stopped: the lease ran out, the job is still claimed.
    await h.store.updateJob({ ...job!, status: 'geclaimd', leaseOwner: 'gestopt', leaseUntil: '2026-12-03T08:00:05Z', sentMessageId: 'al-geplaatst', opvolgkaart, version: job!.version + 1 }, job!.version);
    expect(await at('2026-12-03T08:01:00Z')).toMatchObject({ verzonden: 1 });
    expect(posted(h)).toEqual([]);
    expect((await current(zaak)).opvolgkaarten).toEqual([{ ...opvolgkaart, messageId: 'al-geplaatst' }]);
  });

  it('replaces the answered card for everyone through the outbox: while Teams is busy the answer stands, and the card follows once Teams takes it', async () => {
    const { zaak, messageId, gereed } = await actieKaart('13/300010-26');
    let geweigerd = 0;
    h.connector.fault = (call) => (call.kind === 'update' && call.activityId === messageId ? (geweigerd++, { status: 429, headers: { 'retry-after': '0' } }) : undefined);
    const res = await act(HALT, zaak, Verb.actieBijwerken, gereed, messageId);
    expect(text(res.body.value)).toContain('De actie staat op gereed.');
    expect((await current(zaak)).besluit!.acties[0]!.status).toBe('gereed');
    // Tried right after the answer; the card waits in the outbox (the case's views are stale).
    expect(geweigerd).toBeGreaterThan(0);
    expect(h.connector.cards('update').filter((c) => c.call.activityId === messageId)).toEqual([]);

    h.connector.fault = undefined;
    h.clock.set('2026-12-01T08:00:30Z');
    d.wek();
    await d.rustig();
    const update = h.connector.cards('update').filter((c) => c.call.activityId === messageId).at(-1)!;
    expect(text(update.card)).toContain('Actie bijgewerkt');
    expect(text(update.card)).toContain('Gereed');
    expect(text(update.card)).toContain(HALT.name);
    expect(text(update.card)).not.toContain('Schoolverzuim nagaan');
    expect(knoppen(update.card).map((a) => a.verb)).toEqual([Verb.opvolgingBekijken]);
  });

  it('asks the case lead at each monitoring date; a second date done proposes closing with a leeropbrengst', async () => {
    const zaak = await seedCase(h, '13/300003-26', OFFICIER, besluit([], ['2026-12-02', '2026-12-16']));
    expect(await at('2026-12-02T08:00:00Z')).toMatchObject({ verzonden: 1 });
    const eerste = posted(h).at(-1)!;
    expect(eerste.call.conversationId).toBe(zaak.thread!.conversationId);
    expect(mentioned(eerste.card)).toEqual([OFFICIER.id]);
    expect(text(eerste.card)).not.toContain('Is er sinds het besluit een hermelding of recidive?');
    expect(text(eerste.card)).not.toContain('Halt op maximale uren');
    const messageId = byKind(await jobs(h, zaak.id), 'monitoring').find((j) => j.ref === '2026-12-02')!.sentMessageId!;
    const leadView = (await act(OFFICIER, zaak, Verb.opvolgingBekijken, bekijkKnop(eerste.card).data, messageId)).body.value;
    expect(text(leadView)).toContain('Is er sinds het besluit een hermelding of recidive?');
    expect(text(leadView)).toContain('Is de koers nog passend?');
    const data = executes(leadView).find((a) => a.verb === Verb.monitoringVastleggen).data;
    expect(executes((await act(VEILIG_THUIS, zaak, Verb.opvolgingBekijken, bekijkKnop(eerste.card).data, messageId)).body.value).filter((a) => a.verb === Verb.monitoringVastleggen)).toEqual([]);

    expect(text((await act(VEILIG_THUIS, zaak, Verb.monitoringVastleggen, { ...data, hermelding: 'nee', koers: 'ja' }, messageId)).body.value)).toContain('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie.');
    expect(text((await act(OFFICIER, zaak, Verb.monitoringVastleggen, { ...data, hermelding: 'ja', koers: 'ja' }, messageId)).body.value)).toContain('Wat was de hermelding of recidive?');
    expect((await current(zaak)).monitoring).toEqual([]);

    await act(OFFICIER, zaak, Verb.monitoringVastleggen, { ...data, hermelding: 'ja', hermelding_wat: 'Nieuwe winkeldiefstal, kleiner bedrag.', koers: 'ja' }, messageId);
    expect((await current(zaak)).monitoring).toEqual([expect.objectContaining({ datum: '2026-12-02', hermelding: 'ja', hermeldingWat: 'Nieuwe winkeldiefstal, kleiner bedrag.', koersPassend: true })]);
    const vastgelegd = h.connector.cards('update').filter((c) => c.call.activityId === messageId).at(-1)!;
    expect(text(vastgelegd.card)).toContain('Vastgelegd');
    expect(text(vastgelegd.card)).not.toContain('Nieuwe winkeldiefstal');
    expect(posted(h).filter((c) => executes(c.card).some((a) => a.verb === Verb.afsluitingOpenen))).toHaveLength(0);
    // Recorded twice? The card says it is done.
    expect(text((await act(OFFICIER, zaak, Verb.monitoringVastleggen, { ...data, hermelding: 'nee', koers: 'ja' }, messageId)).body.value)).toContain('al vastgelegd');

    expect(await at('2026-12-16T08:00:00Z')).toMatchObject({ verzonden: 1 });
    const tweede = posted(h).at(-1)!;
    const tweedeId = byKind(await jobs(h, zaak.id), 'monitoring').find((j) => j.ref === '2026-12-16')!.sentMessageId!;
    const tweedeData = { caseId: bekijkKnop(tweede.card).data.caseId, datum: '2026-12-16', hermelding: 'nee', koers: 'ja' };
    // The last check also asks whether the goals were reached; the first did not.
    expect(text(leadView)).not.toContain('zijn de doelen van het besluit bereikt?');
    expect(text((await act(OFFICIER, zaak, Verb.opvolgingBekijken, bekijkKnop(tweede.card).data, tweedeId)).body.value)).toContain('Dit is de laatste monitoring: zijn de doelen van het besluit bereikt?');
    expect(text((await act(OFFICIER, zaak, Verb.monitoringVastleggen, tweedeData, tweedeId)).body.value)).toContain('Zijn de doelen van het besluit bereikt? Kies ja, deels of nee.');
    const res = await act(OFFICIER, zaak, Verb.monitoringVastleggen, { ...tweedeData, doelen_bereikt: 'deels' }, tweedeId);
    expect(text(res.body.value)).toContain('Dit was de laatste');
    // The case's learning record counts both checks and the answer on the goals.
    expect(await h.store.listLeerregels(zaak.teamId)).toEqual([expect.objectContaining({ gesloten: false, checks: ['ja', 'nee'], doelenBereikt: 'deels' })]);
    const voorstel = posted(h).at(-1)!;
    expect(voorstel.call.conversationId).toBe(zaak.thread!.conversationId);
    expect(executes(voorstel.card).map((a) => [a.verb, a.data.caseId])).toEqual([[Verb.afsluitingOpenen, zaak.id]]);
    expect(text(voorstel.card)).toContain('leeropbrengst');
    expect(mentioned(voorstel.card)).toEqual([OFFICIER.id]);
  });

  it('takes the case back to duiding when the course no longer holds', async () => {
    const zaak = await seedCase(h, '13/300004-26', OFFICIER, besluit([], ['2026-12-02']));
    await at('2026-12-02T08:00:00Z');
    const card = posted(h).at(-1)!;
    const messageId = byKind(await jobs(h, zaak.id), 'monitoring')[0]!.sentMessageId!;
    const form = { caseId: zaak.id, datum: bekijkKnop(card.card).data.ref };
    const zonder = await act(OFFICIER, zaak, Verb.monitoringVastleggen, { ...form, hermelding: 'onbekend', koers: 'nee' }, messageId);
    expect(text(zonder.body.value)).toContain('Waarom past de koers niet meer?');
    await act(OFFICIER, zaak, Verb.monitoringVastleggen, { ...form, hermelding: 'onbekend', koers: 'nee', toelichting: 'Hij is weggelopen uit de opvang.', doelen_bereikt: 'nee' }, messageId);
    const after = await current(zaak);
    expect(after.fase).toBe('duiding');
    expect(after.monitoring[0]).toMatchObject({ koersPassend: false, hermelding: 'onbekend' });
    const heropend = posted(h).at(-1)!;
    expect(executes(heropend.card).map((a) => a.verb)).toEqual([Verb.duidingOpenen]);
    expect(posted(h).some((c) => executes(c.card).some((a) => a.verb === Verb.afsluitingOpenen))).toBe(false);
  });

  it('asks the case lead to record the postponed decision when the plandatum is reached', async () => {
    const zaak = await seedCase(h, '13/300005-26', OFFICIER, besluit([], [], { op: '2026-12-03T08:00:00Z', reden: 'Wacht op het advies van het Veiligheidshuis.' }));
    expect(await at('2026-12-03T07:59:00Z')).toMatchObject({ verzonden: 0 });
    expect(await at('2026-12-03T08:00:00Z')).toMatchObject({ verzonden: 1 });
    const card = posted(h).at(-1)!;
    expect(mentioned(card.card)).toEqual([OFFICIER.id]);
    expect(text(card.card)).not.toContain('Wacht op het advies van het Veiligheidshuis.');
    const messageIdPlan = byKind(await jobs(h, zaak.id), 'plandatum')[0]!.sentMessageId!;
    expect(text((await act(OFFICIER, zaak, Verb.opvolgingBekijken, bekijkKnop(card.card).data, messageIdPlan)).body.value)).toContain('Wacht op het advies van het Veiligheidshuis.');
    expect(text((await act(HALT, zaak, Verb.opvolgingBekijken, bekijkKnop(card.card).data, messageIdPlan)).body.value)).not.toContain('Wacht op het advies');
    const [knop] = executes(card.card);
    expect(knop).toMatchObject({ verb: Verb.besluitOpenen, data: { caseId: zaak.id } });
    const messageId = byKind(await jobs(h, zaak.id), 'plandatum')[0]!.sentMessageId!;
    const before = h.connector.calls.length;
    const res = await act(OFFICIER, zaak, Verb.besluitOpenen, knop.data, messageId);
    // The lead gets the besluit form (the postponed one, to revise) in the invoke response; nothing is posted.
    // Uitstel is spelen met tijd: vertragen until the plandatum.
    expect(inputs(res.body.value).find((i) => i.id === 'tijdstrategie')).toMatchObject({ value: 'vertragen' });
    expect(inputs(res.body.value).find((i) => i.id === 'strafrechtelijk')).toMatchObject({ value: 'nog_te_bepalen' });
    expect(executes(res.body.value).map((a) => a.verb)).toContain(Verb.besluitVastleggen);
    expect(h.connector.calls.slice(before).filter((c) => c.kind === 'send' || c.kind === 'update')).toEqual([]);
  });

  it('does not send what lost its reason: a dropped monitoring date, an action done early, a closed case', async () => {
    const zaak = await seedCase(h, '13/300006-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-12-02' }], ['2026-12-02', '2026-12-09']));
    const dicht = await seedCase(h, '13/300007-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-12-02' }], ['2026-12-02']));
    const b = (await current(zaak)).besluit!;
    // The besluit is revised without the first monitoring date; the action is done before its date.
    await recordAs(OFFICIER, await current(zaak), { type: 'besluit.vastgelegd', data: { ...b, monitoring: ['2026-12-09'] } });
    await recordAs(HALT, await current(zaak), { type: 'actie.bijgewerkt', data: { actieId: 'a1', status: 'gereed' } });
    await recordAs(OFFICIER, await current(dicht), { type: 'zaak.gesloten', data: { leeropbrengst: 'Eerder de school betrekken bij jeugdzaken.', uitkomst: 'Afgerond.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'monitoring', naar: 'gesloten' } });

    expect(await at('2026-12-02T08:00:00Z')).toEqual({ verzonden: 0, vervallen: 4, mislukt: 0, uitgesteld: 0 });
    expect(posted(h)).toHaveLength(0);
    const redenen = [...(await jobs(h, zaak.id)), ...(await jobs(h, dicht.id))].filter((j) => j.status === 'vervallen').map((j) => j.lastError).sort();
    expect(redenen).toEqual(['actie is gereed', 'monitoringdatum staat niet meer in het besluit', 'zaak is gesloten', 'zaak is gesloten']);
    expect(await at('2026-12-09T08:00:00Z')).toMatchObject({ verzonden: 1 });
  });

  it('posts the weekly digest in the channel on Monday 09:00, a missed one once, and follows a new schedule', async () => {
    await seedTeam(h);
    await seedCase(h, '13/300008-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-11-27' }]));
    // The first tick plans Monday 30 Nov 09:00, and delivers the action reminder that is already late.
    expect(await at(NOW)).toMatchObject({ verzonden: 1 });
    expect(await at('2026-11-30T08:00:00Z')).toMatchObject({ verzonden: 1 });
    const digest = posted(h).at(-1)!;
    expect(digest.call.conversationId).toBe(CHANNEL_ID);
    expect(text(digest.card)).toContain('Weekoverzicht verdiepingszaken');
    expect(text(digest.card)).toContain('13/300008-26');
    expect(text(digest.card)).toContain('3 dagen te laat');
    expect(text(digest.card)).not.toContain('Officier');
    const digestJobs = byKind(await jobs(h), 'digest');
    expect(digestJobs.map((j) => [j.dueAt, j.status])).toEqual([
      ['2026-11-30T08:00:00.000Z', 'verzonden'],
      ['2026-12-07T08:00:00.000Z', 'gepland'],
    ]);

    // Nobody ran for three weeks: on start the missed digest goes out once, not three times.
    expect(await at('2026-12-29T10:00:00Z')).toMatchObject({ verzonden: 1 });
    expect(await at('2026-12-29T10:05:00Z')).toMatchObject({ verzonden: 0 });
    expect(posted(h).filter((c) => c.call.conversationId === CHANNEL_ID)).toHaveLength(2);

    // The team moves it to Tuesday 08:30; the Monday already planned lapses.
    const res = await h.post(mention(h, OFFICIER, 'digest dinsdag 08:30'));
    expect(res.status).toBe(200);
    expect(h.connector.texts().at(-1)).toBe('Het weekoverzicht komt voortaan elke dinsdag om 08:30 (Europe/Amsterdam); het volgende op di 5 jan 2027, 08:30.');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBe('30 8 * * 2');
    expect(await at('2027-01-04T08:00:00Z')).toMatchObject({ verzonden: 0, vervallen: 1 });
    expect(await at('2027-01-05T07:30:00Z')).toMatchObject({ verzonden: 1 });
    expect(byKind(await jobs(h), 'digest').filter((j) => j.status === 'verzonden').map((j) => j.dueAt)).toEqual(['2026-11-30T08:00:00.000Z', '2026-12-07T08:00:00.000Z', '2027-01-05T07:30:00.000Z']);
  });
});
