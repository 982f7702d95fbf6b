import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZaakService } from '../../src/domain/service';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention, type User } from '../support/activities';
import { executes, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';

const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const OVJ: User = { id: '29:ovj', aadObjectId: 'aad-ovj', name: 'Officier Bakker' };

const REFERENCE = '13/123456-26';
const SIGNAAL = 'Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen na het overlijden van zijn moeder.';
/** Text only the ketenkaart has (section titles): it must never reach Teams except in the allowed asker's invoke response. */
const KETENKAART = ['Overzicht en signaal', 'Partners: gerichte contextinformatie', 'Tijdlijn', 'Tik op een kop om die te openen'];

describe('inzage, toegang and personal views over HTTP', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;

  const say = async (user: User, words: string) => {
    const before = h.connector.calls.length;
    await h.post(mention(h, user, words));
    return h.connector.calls.slice(before).flatMap((c) => (c.kind === 'send' || c.kind === 'reply' ? [c.body] : []));
  };
  const act = async (user: User, verb: string, data: Record<string, unknown>, replyToId = 'card-msg') => (await h.post(cardAction(h, user, verb, data, replyToId))).body;
  const current = async () => (await h.store.getCase(TEAM_ID, zaak.id))!;
  const inzage = () => h.store.listInzage(TEAM_ID, zaak.id, 50);
  const noKetenkaartSent = () => {
    const sent = JSON.stringify(h.connector.calls);
    for (const fragment of KETENKAART) expect(sent).not.toContain(fragment);
  };

  /** A typed command's status card and what pressing its Bekijken returns to `user`. */
  async function bekijk(user: User, status: any) {
    const [knop] = executes(status).filter((a) => a.title === 'Bekijken');
    expect(knop).toBeDefined();
    return act(user, knop.verb, knop.data);
  }

  beforeEach(async () => {
    h = await startHarness({ now: '2026-10-20T10:00:00Z', config: { OFFICIEREN: OVJ.aadObjectId } });
    h.connector.members = [OFFICIER, WIJKAGENT, OVJ, VEILIG_THUIS].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await h.post(
      cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: REFERENCE, zaaktypes: 'lvb', signaal: SIGNAAL, betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '23-64', rijen: 1 }, 'form-msg'),
    );
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    expect(zaak.lead.id).toBe(OFFICIER.aadObjectId);
    h.connector.reset();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('ketenkaart: a status card in the channel for the asker; the content only in the invoke response, with its inzage recorded', async () => {
    const [reply] = await say(OFFICIER, `ketenkaart ${REFERENCE}`);
    const status = reply.attachments[0].content;
    expect(text(status)).toContain(`Ketenkaart ${REFERENCE}`);
    expect(text(status)).toContain('Alleen zichtbaar voor Officier Van Dijk: druk op Bekijken');
    expect(status.refresh).toMatchObject({ action: { verb: Verb.persoonlijkBekijken, data: { soort: 'ketenkaart', reference: REFERENCE } }, userIds: [OFFICIER.id] });
    expect(await inzage()).toEqual([]);

    const res = await bekijk(OFFICIER, status);
    const card = res.value;
    expect(card.body[0].text).toBe(`Ketenkaart ${REFERENCE}`);
    for (const fragment of KETENKAART) expect(text(card)).toContain(fragment);
    expect(text(card)).toContain('Man (61) stal drie blikjes cola');
    // The view stays the asker's own and is re-checked on every refresh.
    expect(card.refresh.userIds).toEqual([OFFICIER.id]);
    noKetenkaartSent();
    expect((await inzage()).map((i) => ({ door: i.door.id, wat: i.wat }))).toEqual([{ door: OFFICIER.aadObjectId, wat: 'ketenkaart' }]);
    // Looking is not a change of the case.
    expect((await current()).version).toBe(zaak.version);
  });

  it('records each view of content it shows (a step form, the verdiepingskaart, a partner\'s answer, the duiding and besluit forms), and none for a teamlid shown the status', async () => {
    const vt = { id: VEILIG_THUIS.aadObjectId, name: VEILIG_THUIS.name, teamsId: VEILIG_THUIS.id };
    const service = new ZaakService(h.store, h.clock, { next: () => 'x' }, { timeZone: h.config.timeZone, reminderBeforeMs: 0 });
    await service.change(TEAM_ID, zaak.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => [
      { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Bekend?', waarom: 'Patroon.', deadline: '2026-10-20T12:00:00Z' } },
      { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Eén melding in 2024.', bron: 'VT', bekend: 'ja', gedeeld: false } },
      { type: 'duiding.vastgelegd', data: { patronen: ['oude_bekenden'], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['Zijn netwerk viel weg.'], instrumenten: [], veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }] } },
    ]);
    const gezien = async () => (await inzage()).map((i) => `${i.door.name}: ${i.wat}`).sort();
    await act(OFFICIER, Verb.principeOpenen, { caseId: zaak.id, stap: 1 });
    await act(OFFICIER, Verb.verdiepingskaartTonen, { caseId: zaak.id });
    await act(OFFICIER, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: 'u1' });
    await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id });
    await act(OFFICIER, Verb.besluitOpenen, { caseId: zaak.id });
    expect(await gezien()).toEqual([`${OFFICIER.name}: antwoord:u1`, `${OFFICIER.name}: besluit`, `${OFFICIER.name}: duiding`, `${OFFICIER.name}: principe:1`, `${OFFICIER.name}: verdiepingskaart`]);
    // The wijkagent is in the team, not on the case: the status, and nothing recorded.
    expect(text((await act(WIJKAGENT, Verb.verdiepingskaartTonen, { caseId: zaak.id })).value)).not.toContain('Zijn netwerk viel weg.');
    expect(text((await act(WIJKAGENT, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: 'u1' })).value)).not.toContain('Eén melding');
    expect(await gezien()).toHaveLength(5);
    // The inzage card names each in words.
    const [status] = await say(OFFICIER, `inzage ${REFERENCE}`);
    const lijst = text((await bekijk(OFFICIER, status.attachments[0].content)).value);
    expect(lijst).toContain('leidend principe 1');
    expect(lijst).toContain('antwoord van');
  });

  it('ketenkaart: a teamlid without access gets the restricted card with "Toegang vragen", also when pressing someone else\'s Bekijken', async () => {
    const [reply] = await say(WIJKAGENT, `ketenkaart ${REFERENCE}`);
    const beperkt = reply.attachments[0].content;
    expect(text(beperkt)).toContain('Beperkt zichtbaar — vraag toegang aan de casusregisseur (Officier Van Dijk)');
    expect(executes(beperkt).map((a) => [a.title, a.verb, a.data])).toEqual([['Toegang vragen', Verb.toegangVragen, { caseId: zaak.id }]]);

    const [ander] = await say(OFFICIER, `ketenkaart ${REFERENCE}`);
    const res = await bekijk(WIJKAGENT, ander.attachments[0].content);
    expect(text(res.value)).toContain('Beperkt zichtbaar');
    expect(text(res.value)).not.toContain('blikjes cola');
    noKetenkaartSent();
    expect(await inzage()).toEqual([]);
  });

  it('shows no content when its inzage cannot be recorded', async () => {
    const [reply] = await say(OFFICIER, `ketenkaart ${REFERENCE}`);
    h.store.recordInzage = async () => {
      throw new Error('store down');
    };
    const res = await bekijk(OFFICIER, reply.attachments[0].content);
    expect(JSON.stringify(res)).not.toContain('blikjes cola');
    expect(res.value).toMatch(/^Sorry, er ging iets mis/);
    noKetenkaartSent();
  });

  it('toegang vragen → the casusregisseur allows → the requester gets the ketenkaart', async () => {
    const gevraagd = await act(WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id });
    expect(gevraagd.value).toBe(`Je hebt toegang gevraagd tot zaak ${REFERENCE}. De casusregisseur (Officier Van Dijk) beslist; je ziet het in het zaakgesprek.`);
    const verzoek = h.connector.cards('send').filter((c) => c.call.conversationId === zaak.thread!.conversationId).at(-1)!;
    expect(text(verzoek.card)).toContain(`<at>Officier Van Dijk</at>: Wijkagent De Boer vraagt toegang tot zaak ${REFERENCE}`);
    expect(verzoek.card.refresh.userIds).toEqual([OFFICIER.id]);
    expect(verzoek.card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Officier Van Dijk</at>', mentioned: { id: OFFICIER.id, name: 'Officier Van Dijk' } }]);
    const na = await current();
    expect(na.toegang?.verzoeken.map((l) => l.id)).toEqual([WIJKAGENT.aadObjectId]);
    expect(na.berichten).toHaveLength(1);

    // A second press while the request is open changes nothing.
    expect((await act(WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id })).value).toContain('ligt al bij de casusregisseur');
    expect((await current()).version).toBe(na.version);
    expect(h.connector.cards('send').filter((c) => text(c.card).includes('vraagt toegang'))).toHaveLength(1);

    const [knop] = executes(verzoek.card).filter((a) => a.title === 'Toestaan');
    const besloten = await act(OFFICIER, knop.verb, knop.data, na.berichten![0]);
    expect(text(besloten.value)).toContain('Toegestaan door Officier Van Dijk');
    // Decided: only taking it back is left.
    expect(executes(besloten.value).map((a) => a.title)).toEqual(['Toegang intrekken']);
    const update = h.connector.cards('update').find((c) => c.call.activityId === na.berichten![0]);
    expect(text(update!.card)).toContain('Toegestaan door Officier Van Dijk');
    expect(update!.card.refresh).toBeUndefined();
    const events = await h.store.listEvents(TEAM_ID, zaak.id);
    expect(events.filter((e) => e.type.startsWith('toegang.')).map((e) => [e.type, (e.data as any).lid.id])).toEqual([
      ['toegang.gevraagd', WIJKAGENT.aadObjectId],
      ['toegang.verleend', WIJKAGENT.aadObjectId],
    ]);

    const [reply] = await say(WIJKAGENT, `ketenkaart ${REFERENCE}`);
    const res = await bekijk(WIJKAGENT, reply.attachments[0].content);
    expect(text(res.value)).toContain('blikjes cola');
    noKetenkaartSent();
    expect((await inzage()).map((i) => i.door.id)).toEqual([WIJKAGENT.aadObjectId]);
  });

  it('a busy Teams does not fail a stored decision: the casusregisseur gets it at once, and the card it was made on shows it once Teams takes the update', async () => {
    await act(WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id });
    const berichtId = (await current()).berichten![0]!;
    let geweigerd = 0;
    h.connector.fault = (call) => (call.kind === 'update' && call.activityId === berichtId ? (geweigerd++, { status: 429, headers: { 'retry-after': '2' } }) : undefined);
    const besloten = await act(OFFICIER, Verb.toegangBeslissen, { caseId: zaak.id, lidId: WIJKAGENT.aadObjectId, besluit: 'toestaan' }, berichtId);
    expect(text(besloten.value)).toContain('Toegestaan door Officier Van Dijk');
    expect((await current()).toegang?.leden.map((l) => l.id)).toEqual([WIJKAGENT.aadObjectId]);
    // One try right after the turn; the update waits in the outbox as Teams asked.
    expect(geweigerd).toBe(1);
    expect(h.connector.cards('update').filter((c) => c.call.activityId === berichtId)).toEqual([]);

    h.connector.fault = undefined;
    h.clock.advance(3_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1 });
    const updates = h.connector.cards('update').filter((c) => c.call.activityId === berichtId);
    expect(updates).toHaveLength(1);
    expect(text(updates[0]!.card)).toContain('Toegestaan door Officier Van Dijk');
    expect(updates[0]!.call.conversationId).toBe(zaak.thread!.conversationId);
  });

  it('intrekken: the casusregisseur takes granted access back on the same card; from then on the member sees the status only', async () => {
    await act(WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id });
    const berichtId = (await current()).berichten![0]!;
    const verleend = await act(OFFICIER, Verb.toegangBeslissen, { caseId: zaak.id, lidId: WIJKAGENT.aadObjectId, besluit: 'toestaan' }, berichtId);
    const intrekken = executes(verleend.value).find((a) => a.title === 'Toegang intrekken');
    expect(intrekken).toMatchObject({ verb: Verb.toegangBeslissen, data: { caseId: zaak.id, lidId: WIJKAGENT.aadObjectId, besluit: 'intrekken' } });
    expect(text((await act(WIJKAGENT, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value)).toContain(SIGNAAL.slice(0, 20));
    // Only the casusregisseur or an officier may: the member pressing it on the channel's card changes nothing.
    const versie = (await current()).version;
    expect(text((await act(WIJKAGENT, intrekken!.verb, intrekken!.data, berichtId)).value)).not.toContain('Ingetrokken');
    expect((await current()).version).toBe(versie);

    const ingetrokken = await act(OFFICIER, intrekken!.verb, intrekken!.data, berichtId);
    expect(text(ingetrokken.value)).toContain('Ingetrokken door Officier Van Dijk');
    expect(executes(ingetrokken.value)).toEqual([]);
    expect((await current()).toegang).toEqual({ leden: [], verzoeken: [] });
    expect(text(h.connector.cards('update').filter((c) => c.call.activityId === berichtId).at(-1)!.card)).toContain('Ingetrokken');
    expect(text((await act(WIJKAGENT, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value)).toContain('Beperkt zichtbaar');
    // Pressed again: nothing more to take back.
    const na = (await current()).version;
    await act(OFFICIER, intrekken!.verb, intrekken!.data, berichtId);
    expect((await current()).version).toBe(na);
    // They may ask again.
    expect(await act(WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id })).toMatchObject({ value: expect.stringContaining('Je hebt toegang gevraagd') });
  });

  it('weigeren: the request is closed, the requester still sees only the status', async () => {
    await act(VEILIG_THUIS, Verb.toegangVragen, { caseId: zaak.id });
    const berichtId = (await current()).berichten![0]!;
    const besloten = await act(OFFICIER, Verb.toegangBeslissen, { caseId: zaak.id, lidId: VEILIG_THUIS.aadObjectId, besluit: 'weigeren' }, berichtId);
    expect(text(besloten.value)).toContain('Geweigerd door Officier Van Dijk');
    expect(text(h.connector.cards('update').find((c) => c.call.activityId === berichtId)!.card)).toContain('Geweigerd');
    const na = await current();
    expect(na.toegang).toEqual({ leden: [], verzoeken: [] });
    expect((await h.store.listEvents(TEAM_ID, zaak.id)).at(-1)?.type).toBe('toegang.geweigerd');
    // Deciding again changes nothing.
    await act(OFFICIER, Verb.toegangBeslissen, { caseId: zaak.id, lidId: VEILIG_THUIS.aadObjectId, besluit: 'toestaan' }, berichtId);
    expect((await current()).version).toBe(na.version);

    const [reply] = await say(VEILIG_THUIS, `ketenkaart ${REFERENCE}`);
    expect(text(reply.attachments[0].content)).toContain('Beperkt zichtbaar');
  });

  it('a forged toegang.beslissen from a non-lead stores nothing, and the member always comes from the stored request', async () => {
    await act(WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id });
    const voor = await current();
    const berichtId = voor.berichten![0]!;
    const updates = h.connector.cards('update').length;
    const geweigerd = await act(VEILIG_THUIS, Verb.toegangBeslissen, { caseId: zaak.id, lidId: WIJKAGENT.aadObjectId, besluit: 'toestaan' }, berichtId);
    expect(geweigerd.value).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
    const zelf = await act(WIJKAGENT, Verb.toegangBeslissen, { caseId: zaak.id, lidId: WIJKAGENT.aadObjectId, besluit: 'toestaan' }, berichtId);
    expect(zelf.value).toContain('Dit kan alleen de casusregisseur');
    // The lead naming someone who did not ask grants nothing.
    const niemand = await act(OFFICIER, Verb.toegangBeslissen, { caseId: zaak.id, lidId: VEILIG_THUIS.aadObjectId, besluit: 'toestaan' }, berichtId);
    expect(niemand.value).toContain('Er is geen verzoek om toegang');
    expect(await current()).toEqual(voor);
    expect(h.connector.cards('update')).toHaveLength(updates);

    // An officier from OFFICIEREN may decide too; a forged message id is not updated.
    await act(OVJ, Verb.toegangBeslissen, { caseId: zaak.id, lidId: WIJKAGENT.aadObjectId, besluit: 'toestaan' }, zaak.thread!.rootMessageId);
    expect((await current()).toegang?.leden.map((l) => l.id)).toEqual([WIJKAGENT.aadObjectId]);
    expect(h.connector.cards('update').filter((c) => c.call.activityId === zaak.thread!.rootMessageId && text(c.card).includes('Toegestaan'))).toEqual([]);
  });

  it('inzage: the casusregisseur sees who saw what and when; a teamlid is refused', async () => {
    const [k] = await say(OFFICIER, `ketenkaart ${REFERENCE}`);
    await bekijk(OFFICIER, k.attachments[0].content);
    h.clock.advance(60_000);
    await bekijk(OVJ, k.attachments[0].content);
    h.clock.advance(60_000);

    const [reply] = await say(OFFICIER, `inzage ${REFERENCE}`);
    const status = reply.attachments[0].content;
    expect(text(status)).toContain('Alleen zichtbaar voor Officier Van Dijk: druk op Bekijken');
    expect(text(status)).not.toContain('Officier Bakker');
    expect(status.refresh.userIds).toEqual([OFFICIER.id]);
    const res = await bekijk(OFFICIER, status);
    const t = text(res.value);
    expect(t).toContain(`Inzage zaak ${REFERENCE}`);
    expect(t.indexOf('Officier Bakker · ketenkaart')).toBeGreaterThan(-1);
    expect(t.indexOf('Officier Bakker · ketenkaart')).toBeLessThan(t.indexOf('Officier Van Dijk · ketenkaart'));
    expect(JSON.stringify(h.connector.calls)).not.toContain('Officier Bakker');

    const [nee] = await say(WIJKAGENT, `inzage ${REFERENCE}`);
    expect(nee.text).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
    const gedrukt = await bekijk(WIJKAGENT, status);
    expect(gedrukt.value).toBe('Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.');
    expect((await inzage()).map((i) => i.door.id)).not.toContain(WIJKAGENT.aadObjectId);
  });

  it('acts on a membership Teams confirmed at most a minute ago: an active member\'s check is renewed beside the turn, which does not wait for it; a member who left is refused once the minute is over', async () => {
    const lidVragen = () => h.connector.calls.filter((c) => c.method === 'GET' && decodeURIComponent(c.path).endsWith(`/members/${WIJKAGENT.id}`)).length;
    const bekijken = async () => (await act(WIJKAGENT, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value;
    expect(text(await bekijken())).toContain(REFERENCE);
    expect(lidVragen()).toBe(1);
    h.clock.advance(30_000);
    await bekijken();
    expect(lidVragen()).toBe(1);
    // 50 s after the check: the answer comes while Teams still holds the renewal.
    let laat!: () => void;
    const vrij = new Promise<void>((r) => (laat = r));
    h.connector.hold = (call) => (call.method === 'GET' && decodeURIComponent(call.path).includes('/members/') ? vrij : undefined);
    h.clock.advance(20_000);
    expect(text(await bekijken())).toContain(REFERENCE);
    expect(lidVragen()).toBe(1);
    laat();
    await vi.waitFor(() => expect(lidVragen()).toBe(2));
    h.connector.hold = undefined;
    // 40 s after the renewal (90 s after the first check): no look-up in the turn.
    h.clock.advance(40_000);
    expect(text(await bekijken())).toContain(REFERENCE);
    expect(lidVragen()).toBe(2);
    // Gone from the team: a member for the rest of that minute, refused after it.
    h.connector.members = h.connector.members.filter((m) => m.id !== WIJKAGENT.id);
    h.clock.advance(21_000);
    expect(await bekijken()).toBe('Verdiep is alleen voor leden van dit ZSM-team. Er is niets opgeslagen.');
    expect(lidVragen()).toBe(3);
  });

  it('tries a renewal beside the turn once more when Teams answers it with 429, after the turn has ended', async () => {
    const bekijken = async () => (await act(WIJKAGENT, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value;
    expect(text(await bekijken())).toContain(REFERENCE);
    let gevraagd = 0;
    h.connector.hold = (call) =>
      call.method === 'GET' && decodeURIComponent(call.path).endsWith(`/members/${WIJKAGENT.id}`) && gevraagd++ === 0 ? Promise.resolve({ status: 429, body: { error: { code: 'Throttled' } } }) : undefined;
    h.clock.advance(50_000);
    expect(text(await bekijken())).toContain(REFERENCE);
    // The retry waits (at most half a second) and is answered: the check holds a minute from then.
    await vi.waitFor(() => expect(gevraagd).toBe(2), { timeout: 2_000 });
    await new Promise((r) => setTimeout(r, 50));
    h.connector.hold = undefined;
    const lidVragen = () => h.connector.calls.filter((c) => c.method === 'GET' && decodeURIComponent(c.path).endsWith(`/members/${WIJKAGENT.id}`)).length;
    const voor = lidVragen();
    h.clock.advance(40_000);
    expect(text(await bekijken())).toContain(REFERENCE);
    expect(lidVragen()).toBe(voor);
  });

  it('logs a renewal beside the turn that Teams keeps refusing, and asks Teams in the turn once the check has run out', async () => {
    const bekijken = async () => (await act(WIJKAGENT, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value;
    expect(text(await bekijken())).toContain(REFERENCE);
    let gevraagd = 0;
    h.connector.hold = (call) => {
      if (call.method !== 'GET' || !decodeURIComponent(call.path).endsWith(`/members/${WIJKAGENT.id}`)) return undefined;
      gevraagd++;
      return Promise.resolve({ status: 503, body: { error: { code: 'ServiceUnavailable' } } });
    };
    h.clock.advance(50_000);
    expect(text(await bekijken())).toContain(REFERENCE);
    await vi.waitFor(() => expect(h.logs.some((l) => l.msg?.startsWith('could not renew a membership check beside the turn'))).toBe(true), { timeout: 2_000 });
    expect(gevraagd).toBe(2);
    h.connector.hold = undefined;
    h.clock.advance(11_000);
    expect(text(await bekijken())).toContain(REFERENCE);
    expect(h.connector.calls.filter((c) => c.method === 'GET' && decodeURIComponent(c.path).endsWith(`/members/${WIJKAGENT.id}`))).toHaveLength(2);
  });

  it('does not let a slow renewal of a member\'s check bring back a membership Teams has since denied', async () => {
    const bekijken = async () => (await act(WIJKAGENT, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).value;
    expect(text(await bekijken())).toContain(REFERENCE);
    // The renewal asked 50 s after the check is answered late, with the team as it was when asked.
    let laat!: () => void;
    const vrij = new Promise<void>((r) => (laat = r));
    const alsToen = { status: 200, body: { id: WIJKAGENT.id, name: WIJKAGENT.name, aadObjectId: WIJKAGENT.aadObjectId } };
    let vastgehouden = 0;
    h.connector.hold = (call) => (call.method === 'GET' && decodeURIComponent(call.path).includes('/members/') && vastgehouden++ === 0 ? vrij.then(() => alsToen) : undefined);
    h.clock.advance(50_000);
    await bekijken();
    await vi.waitFor(() => expect(vastgehouden).toBe(1));
    // Meanwhile the member leaves; once the minute is over Teams is asked again and says so.
    h.connector.members = h.connector.members.filter((m) => m.id !== WIJKAGENT.id);
    h.clock.advance(11_000);
    const weigering = 'Verdiep is alleen voor leden van dit ZSM-team. Er is niets opgeslagen.';
    expect(await bekijken()).toBe(weigering);
    laat();
    await new Promise((r) => setTimeout(r, 200));
    h.clock.advance(5_000);
    expect(await bekijken()).toBe(weigering);
  });
});
