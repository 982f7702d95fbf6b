import { afterEach, describe, expect, it } from 'vitest';
import { ZaakService } from '../../src/domain/service';
import { Verb } from '../../src/verbs';
import { VERWIJDERD_TEKST } from '../../cards/verwijderd';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, botInstalled, cardAction, mention } from '../support/activities';
import { submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';

const form = (zaaknummer: string) => ({
  zaaknummer,
  zaaktypes: 'jeugd',
  signaal: 'Jongen (15) pleegt diefstal, niet op school, gezinsvoogd betrokken.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: '',
  betrokkene_0_leeftijd: '12-17',
  deadline_datum: '',
  deadline_tijd: '',
  rijen: 1,
});

const DAY = 86_400_000;

describe('retention of closed cases', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  it('purges a case once it has been closed longer than BEWAARTERMIJN_DAGEN, and keeps open cases', async () => {
    h = await startHarness({ config: { BEWAARTERMIJN_DAGEN: '30' } });
    await h.post(botInstalled(h, OFFICIER));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form('13/111111-26')));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form('13/222222-26')));
    const closing = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
    const service = new ZaakService(h.store, h.clock, { next: () => 'unused' }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
    await service.change(TEAM_ID, closing.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);

    h.clock.advance(29 * DAY);
    expect(await h.bot.retention.run()).toBe(0);
    await h.post(mention(h, OFFICIER, 'zaak 13/111111-26'));
    expect(JSON.stringify(h.connector.cards().at(-1)!.card)).toContain('Verdiepingszaak 13/111111-26');

    h.clock.advance(2 * DAY);
    expect(await h.bot.retention.run()).toBe(1);
    await h.post(mention(h, OFFICIER, 'zaak 13/111111-26'));
    expect(h.connector.texts().at(-1)).toContain('geen verdiepingszaak met zaaknummer 13/111111-26');
    expect(await h.store.listEvents(TEAM_ID, closing.id)).toEqual([]);
    expect((await h.store.listCases(TEAM_ID, { includeClosed: true })).map((z) => z.reference)).toEqual(['13/222222-26']);
    const line = h.logs.find((l) => l.msg === 'retention: closed cases purged');
    expect(line).toMatchObject({ purged: 1, bewaartermijnDagen: 30 });
    expect(JSON.stringify(line)).not.toContain('13/111111-26');
  });

  it('replaces every card the bot posted for the case with one line, through the dispatcher: retried after a 503, not after a 404, once each', async () => {
    h = await startHarness({ config: { BEWAARTERMIJN_DAGEN: '30' }, dispatch: { mode: 'manual', sleep: async () => undefined } });
    await h.post(botInstalled(h, OFFICIER));
    h.connector.reset();
    h.connector.members = [OFFICIER, VEILIG_THUIS].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    const signaal = 'Jongen (15) pleegt diefstal; Signaal-MRK5z.';
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...form('13/111111-26'), signaal }, 'flag-form-msg'));
    const zaak = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
    const thread = zaak.thread!.conversationId;
    const act = (verb: string, data: Record<string, unknown>, replyToId: string) => h.post(cardAction(h, OFFICIER, verb, data, replyToId, thread));
    for (const stap of [2, 3]) await act(Verb.principeOpslaan, { caseId: zaak.id, stap, nvt: 'true', nvt_reden: 'Alleen de verdachte is betrokken.' }, zaak.verdiepingskaartId!);
    // The invitation, duiding and closing forms come back to the lead in the invoke response (for the lead only, never posted).
    const root = zaak.thread!.rootMessageId;
    const inviteForm = (await act(Verb.uitvraagNieuw, { caseId: zaak.id }, root)).body.value;
    await act(Verb.uitvraagVersturen, submit(inviteForm, Verb.uitvraagVersturen, { lid: VEILIG_THUIS.id, organisatie: 'veilig_thuis', vraag: 'Vraag-MRK8q: is het gezin bekend?', waarom: 'Bepaalt de aanpak.' }), root);
    const prompt = `${thread}|${(await h.store.getCase(TEAM_ID, zaak.id))!.uitvragen[0]!.messageId}`;
    const duidingForm = (await act(Verb.duidingOpenen, { caseId: zaak.id }, root)).body.value;
    await act(Verb.duidingVastleggen, submit(duidingForm, Verb.duidingVastleggen, { hypothese_0: 'Hypothese-MRK6x.', veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig' }), root);
    const closeForm = (await act(Verb.afsluitingOpenen, { caseId: zaak.id }, root)).body.value;
    const leeropbrengst = 'Leeropbrengst-MRK7y: eerst het netwerk in kaart brengen.';
    await act(Verb.afsluitingVastleggen, submit(closeForm, Verb.afsluitingVastleggen, { stopreden: 'doel_bereikt', leeropbrengst, uitkomst: 'Geen hermelding na drie maanden.' }), root);
    expect((await h.store.getCase(TEAM_ID, zaak.id))!.fase).toBe('gesloten');
    await h.post(mention(h, OFFICIER, 'zaak 13/111111-26'));

    // Every card the bot posted for the case: the case card (thread root), the verdiepingskaart, the prompt card,
    // the status notice after the duiding, and the answer in the channel.
    const posted = h.connector.cards().filter((c) => c.call.responseId).map((c) => (c.call.kind === 'create' ? `${thread}|${c.call.responseId}` : `${c.call.conversationId}|${c.call.responseId}`));
    const rootKey = `${thread}|${root}`;
    const kaart = `${thread}|${zaak.verdiepingskaartId}`;
    const notice = h.connector.cards('send').find((c) => text(c.card).includes('Duiding vastgelegd'))!;
    expect(posted).toEqual(expect.arrayContaining([rootKey, kaart, prompt, `${thread}|${notice.call.responseId}`]));
    expect(posted).toHaveLength(5);

    h.clock.advance(31 * DAY);
    expect(await h.bot.retention.run()).toBe(1);
    h.connector.reset();
    const attempts = new Map<string, number>();
    h.connector.fault = (call) => {
      if (call.kind !== 'update') return undefined;
      const key = `${call.conversationId}|${call.activityId}`;
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      if (key === rootKey && attempts.get(key) === 1) return { status: 503 };
      if (key === kaart) return { status: 404, body: { error: { code: 'ConversationNotFound', message: 'gone' } } };
      return undefined;
    };
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1, mislukt: 0, uitgesteld: 0 });

    const replaced = h.connector.cards('update');
    expect(replaced.map((u) => `${u.call.conversationId}|${u.call.activityId}`).sort()).toEqual(posted.filter((k) => k !== kaart).sort());
    for (const { card } of replaced) {
      expect(text(card)).toContain(VERWIJDERD_TEKST);
      expect(text(card)).not.toMatch(/MRK|13\/111111-26/);
    }
    expect(attempts.get(rootKey)).toBe(2);
    expect(attempts.get(kaart)).toBe(1);
    expect([...attempts].filter(([k]) => k !== rootKey).every(([, n]) => n === 1)).toBe(true);
    expect(h.connector.calls.filter((c) => c.kind !== 'update')).toEqual([]);

    // Done once: the next tick replaces nothing, and the job no longer holds the message ids.
    await h.bot.dispatcher!.tick();
    expect(h.connector.cards('update')).toHaveLength(replaced.length);
    const jobs = await h.store.listJobs(TEAM_ID);
    expect(jobs.filter((j) => j.kind === 'wissing')).toEqual([expect.objectContaining({ status: 'verzonden', ref: zaak.id })]);
    expect(jobs.find((j) => j.kind === 'wissing')!.berichten).toBeUndefined();
    expect(JSON.stringify(h.logs.filter((l) => l.msg?.includes('purged')))).not.toContain('MRK');
  });
});
