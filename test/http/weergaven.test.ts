import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, type User } from '../support/activities';
import { submit, text } from '../support/cards';
import { FakeConnector } from '../support/fake-connector';
import { startHarness, type Harness } from '../support/harness';

/*
 * The thread's cards follow a change through the outbox: the card action answers once the change
 * is stored, and the dispatcher brings the case card, the verdiepingskaart and the prompt cards up
 * to date from a fresh read — also after the process that stored the change stopped before it could.
 */

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const flagForm = { zaaknummer: '13/444555-26', zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkene_0_rol: 'verdachte', betrokkene_0_initialen: 'R.', betrokkene_0_leeftijd: '12-17', rijen: 1 };
const vraag = (user: User, organisatie: string) => ({ lid: user.id, organisatie, vraag: `Is het gezin bekend bij ${user.name}?`, waarom: 'Bepaalt welke zorg we naast de straf inzetten.' });
const ANTWOORD = { antwoord: 'Ja, er loopt hulp in het gezin.', bron: 'Eigen registratie', bekend: 'ja' };

/** A case with its thread and an open question to each partner, flagged and asked over HTTP. */
async function caseWithQuestions(h: Harness, partners: [User, string][]): Promise<{ zaak: Verdiepingszaak; thread: string }> {
  h.connector.members = [OFFICIER, ...partners.map(([u]) => u)].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
  await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, flagForm, 'flag-form'));
  let zaak = (await h.store.findCaseByReference(TEAM_ID, flagForm.zaaknummer))!;
  const thread = zaak.thread!.conversationId;
  for (const [user, organisatie] of partners) {
    const form = (await h.post(cardAction(h, OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id }, zaak.thread!.rootMessageId, thread))).body.value;
    await h.post(cardAction(h, OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, vraag(user, organisatie)), 'invite-form', thread));
  }
  zaak = (await h.store.getCase(TEAM_ID, zaak.id))!;
  return { zaak, thread };
}

/** The partner's answer, as Teams sends it from their form on the prompt card. */
async function answerActivity(h: Harness, zaak: Verdiepingszaak, thread: string, user: User) {
  const uitvraag = zaak.uitvragen.find((u) => u.invitee.teamsId === user.id)!;
  const refresh = cardAction(h, user, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: uitvraag.id }, uitvraag.messageId!, thread);
  const form = (await h.post(refresh)).body.value;
  return cardAction(h, user, Verb.uitvraagBeantwoorden, submit(form, Verb.uitvraagBeantwoorden, ANTWOORD), uitvraag.messageId!, thread);
}

/** The card Teams shows now in each of the case's thread messages: the last PUT to it (or what was posted). */
function shown(connector: FakeConnector, messageId: string): string {
  const last = connector.cards().filter((c) => c.call.responseId === messageId || (c.call.kind === 'update' && c.call.activityId === messageId)).at(-1);
  return text(last!.card);
}

describe('thread views through the outbox', () => {
  const harnesses: Harness[] = [];
  const connectors: FakeConnector[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop();
    for (const c of connectors.splice(0)) await c.stop();
  });

  it('answers the card action while the thread cards are still being put (a slow Teams), and the cards end on the newest state', async () => {
    const h = await startHarness();
    harnesses.push(h);
    const { zaak, thread } = await caseWithQuestions(h, [[VEILIG_THUIS, 'veilig_thuis'], [HALT, 'halt']]);
    const vt = await answerActivity(h, zaak, thread, VEILIG_THUIS);
    const halt = await answerActivity(h, zaak, thread, HALT);

    // Teams holds every PUT until the test lets go.
    const held: (() => void)[] = [];
    h.connector.hold = (call) => (call.kind === 'update' ? new Promise<void>((resolve) => held.push(resolve)) : undefined);
    const url = `http://127.0.0.1:${h.bot.port}/api/messages`;
    const post = async (activity: object): Promise<any> => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })).json();

    const first = await post(vt);
    expect(text(first.value)).toContain('Je antwoord is opgeslagen');
    await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
    // The second answer is stored and answered while the first one's thread cards are still held by Teams.
    const second = await post(halt);
    expect(text(second.value)).toContain('Je antwoord is opgeslagen');
    expect(held.length).toBeGreaterThan(0);
    expect(h.connector.calls.filter((c) => c.kind === 'update' && c.body && text(c.body).includes('2 beantwoord'))).toEqual([]);

    h.connector.hold = undefined;
    for (const release of held) release();
    await h.bot.dispatcher!.rustig();
    const na = (await h.store.getCase(TEAM_ID, zaak.id))!;
    expect(shown(h.connector, na.thread!.rootMessageId)).toContain('0 open · 2 beantwoord · 0 afgewezen');
    for (const u of na.uitvragen) expect(shown(h.connector, u.messageId!)).toContain('Beantwoord');
    expect(shown(h.connector, na.verdiepingskaartId!)).not.toContain(ANTWOORD.antwoord);
  });

  it('goes on after a put-off round where it stopped: the cards already put are not put again', async () => {
    const h = await startHarness({ dispatch: { mode: 'manual', sleep: async () => undefined } });
    harnesses.push(h);
    const { zaak, thread } = await caseWithQuestions(h, [[VEILIG_THUIS, 'veilig_thuis'], [HALT, 'halt']]);
    await h.bot.dispatcher!.tick();
    const answer = await answerActivity(h, zaak, thread, VEILIG_THUIS);
    const prompt = zaak.uitvragen.find((u) => u.invitee.teamsId === VEILIG_THUIS.id)!.messageId!;
    const berichten = [zaak.thread!.rootMessageId, zaak.verdiepingskaartId!, prompt];
    const puts = () => berichten.map((id) => h.connector.calls.filter((c) => c.kind === 'update' && c.activityId === id).length);

    // The answer changes the case card, the verdiepingskaart and the prompt card; Teams refuses the prompt card's PUT for a while.
    h.connector.fault = (call) => (call.kind === 'update' && call.activityId === prompt ? { status: 502 } : undefined);
    const voor = puts();
    // The turn that stores the answer wakes this process's dispatcher: it puts the cards at once.
    expect(text((await h.post(answer)).body.value)).toContain('Je antwoord is opgeslagen');
    await h.bot.dispatcher!.rustig();
    const na = puts();
    expect([na[0]! - voor[0]!, na[1]! - voor[1]!, na[2]! - voor[2]!]).toEqual([1, 1, 0]);
    expect(h.logs.some((l) => l.msg === 'thread views put off' && l.caseId === zaak.id)).toBe(true);

    h.connector.fault = undefined;
    h.clock.advance(10 * 60_000);
    h.bot.dispatcher!.wek();
    await h.bot.dispatcher!.rustig();
    expect(puts()).toEqual([na[0], na[1], na[2]! + 1]);
    expect(shown(h.connector, prompt)).toContain('Beantwoord');
  });

  it('brings the thread cards up to date after a restart when the process that stored the change could not', async () => {
    const connector = await new FakeConnector().start();
    connectors.push(connector);
    const instant = async () => undefined;
    const first = await startHarness({ connector, dispatch: { mode: 'manual', sleep: instant } });
    harnesses.push(first);
    const { zaak, thread } = await caseWithQuestions(first, [[VEILIG_THUIS, 'veilig_thuis']]);
    const answer = await answerActivity(first, zaak, thread, VEILIG_THUIS);

    // From here Teams fails every PUT until the first process is gone.
    connector.fault = (call) => (call.kind === 'update' ? { status: 502 } : undefined);
    const res = await first.post(answer);
    expect(text(res.body.value)).toContain('Je antwoord is opgeslagen');
    expect((await first.store.getCase(TEAM_ID, zaak.id))!.uitvragen[0]!.status).toBe('beantwoord');
    const uitvraag = zaak.uitvragen[0]!;
    expect(shown(connector, uitvraag.messageId!)).not.toContain('Beantwoord');
    expect(shown(connector, zaak.thread!.rootMessageId)).toContain('1 open · 0 beantwoord');
    harnesses.splice(harnesses.indexOf(first), 1);
    await first.stop();

    // Another instance on the same store, polling, a few minutes later (past the backoff).
    connector.fault = undefined;
    const second = await startHarness({ connector, config: { SQLITE_PATH: first.sqlitePath }, now: '2026-11-28T10:10:00Z', dispatch: { mode: 'auto', owner: 'second' } });
    harnesses.push(second);
    await vi.waitFor(() => expect(second.logs.some((l) => l.msg === 'thread views updated' && l.caseId === zaak.id)).toBe(true), { timeout: 10_000 });
    expect(shown(connector, uitvraag.messageId!)).toContain('Beantwoord');
    expect(shown(connector, zaak.thread!.rootMessageId)).toContain('0 open · 1 beantwoord · 0 afgewezen');
  });
});
