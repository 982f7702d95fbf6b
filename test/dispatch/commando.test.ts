import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention, personalMessage, type User } from '../support/activities';
import { executes, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { actorOf, besluit, byKind, DISPATCH_CONFIG, jobs, lid, seedCase, seedTeam, service } from './support';

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const NOW = '2026-12-02T10:00:00Z'; // Wednesday 11:00 in Amsterdam

describe('overzicht, digest and mijn acties in the team channel', () => {
  let h: Harness;
  const say = async (user: User, words: string) => {
    const before = h.connector.calls.length;
    await h.post(mention(h, user, words));
    return h.connector.calls.slice(before).filter((c) => c.kind === 'send' || c.kind === 'reply');
  };
  const cardsOf = (calls: { body: any }[]) => calls.map((c) => c.body?.attachments?.[0]?.content).filter(Boolean);

  beforeEach(async () => {
    h = await startHarness({ now: NOW, config: { ...DISPATCH_CONFIG, OFFICIEREN: OFFICIER.aadObjectId, BEHEERDERS: OFFICIER.aadObjectId } });
    h.connector.members = [OFFICIER, VEILIG_THUIS, HALT].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await seedTeam(h);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('"overzicht" gives the digest now, in the conversation, without names', async () => {
    await seedCase(h, '13/800001-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-11-30', wat: 'Gesprek met meneer Jansen' }]));
    await seedCase(h, '13/800002-26', OFFICIER);
    const [reply] = cardsOf(await say(OFFICIER, 'overzicht'));
    const t = text(reply);
    expect(t).toContain('Overzicht verdiepingszaken');
    expect(t).toContain('2 open verdiepingszaken');
    expect(t).toContain('Gemarkeerd (1)');
    expect(t).toContain('Monitoring (1)');
    expect(t).toContain('13/800001-26');
    expect(t).toContain('actie van ma 30 nov 2026 · 2 dagen te laat');
    expect(t).toMatch(/\[13\/800002-26\]\(https:\/\/teams\.microsoft\.com\/l\/message\//);
    for (const naam of ['Jansen', 'Medewerker Halt', 'Officier']) expect(t).not.toContain(naam);
  });

  it('"overzicht" shows a case closed last week by reference and date only: no leeropbrengst, no outcome', async () => {
    const dicht = await seedCase(h, '13/800005-26', OFFICIER, besluit([]));
    const leeropbrengst = 'Bij meneer J. (61, LVB) eerst het netwerk in kaart brengen.';
    await service(h).change(TEAM_ID, dicht.id, actorOf(OFFICIER), () => [
      { type: 'zaak.gesloten', data: { leeropbrengst, uitkomst: 'Geen hermelding; buurvrouw kookt weer.' } },
      { type: 'zaak.fase_gewijzigd', data: { van: 'monitoring', naar: 'gesloten' } },
    ]);
    await seedCase(h, '13/800006-26', OFFICIER);
    h.clock.advance(24 * 3_600_000);
    const t = text(cardsOf(await say(OFFICIER, 'overzicht'))[0]);
    expect(t).toMatch(/\[13\/800005-26\]\([^)]*\) · gesloten wo 2 dec 2026 · leeropbrengst in het zaakgesprek/);
    for (const vrij of ['meneer J.', 'netwerk', 'buurvrouw', 'hermelding;']) expect(t).not.toContain(vrij);
  });

  it('"overzicht" in a team without open cases says so in one short card', async () => {
    const cards = cardsOf(await say(OFFICIER, 'overzicht'));
    expect(cards).toHaveLength(1);
    expect(text(cards[0])).toContain('Geen open verdiepingszaken');
  });

  it('"digest" tells when the weekly digest comes, and refuses a schedule it cannot read', async () => {
    await say(OFFICIER, 'digest');
    expect(h.connector.texts().at(-1)).toBe('Het weekoverzicht komt elke maandag om 09:00 (standaard); het volgende op ma 7 dec 2026, 09:00. Wijzig het met bijvoorbeeld: weekoverzicht maandag 08:30.');
    await say(OFFICIER, 'digest maandag 25:00');
    expect(h.connector.texts().at(-1)).toContain('25:00 is geen tijd.');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBeUndefined();
    expect(h.logs.some((l) => l.msg === 'digest schedule refused')).toBe(true);

    await say(OFFICIER, 'digest vrijdag 16:00');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBe('0 16 * * 5');
    expect(byKind(await jobs(h), 'digest').map((j) => j.dueAt)).toContain('2026-12-04T15:00:00.000Z');
    await say(OFFICIER, 'digest standaard');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBeUndefined();
    expect(h.connector.texts().at(-1)).toContain('elke maandag om 09:00');
  });

  it('"digest <schema>" is for a beheerder or officier: a teamlid is refused and nothing is stored', async () => {
    await say(HALT, 'digest vrijdag 16:00');
    expect(h.connector.texts().at(-1)).toBe('Dit kan alleen een beheerder of een officier van justitie. Er is niets opgeslagen.');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBeUndefined();
    expect(byKind(await jobs(h), 'digest')).toEqual([]);
    // Asking when it comes is for every member.
    await say(HALT, 'digest');
    expect(h.connector.texts().at(-1)).toContain('Het weekoverzicht komt elke maandag om 09:00 (standaard)');

    await say(OFFICIER, 'digest vrijdag 16:00');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBe('0 16 * * 5');
    // The command as the help names it: the same access rule.
    await say(HALT, 'weekoverzicht woensdag 08:30');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBe('0 16 * * 5');
    await say(OFFICIER, 'weekoverzicht woensdag 08:30');
    expect((await h.store.getTeam(TEAM_ID))?.digestCron).toBe('30 8 * * 3');
  });

  it('"mijn acties" answers in the channel with a status card; the asker\'s open actions come only in their own view', async () => {
    await seedCase(h, '13/800003-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-12-09', wat: 'Halt-traject starten' }, { id: 'a2', eigenaar: lid(VEILIG_THUIS), datum: '2026-12-03' }]));
    await seedCase(h, '13/800004-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-11-30', wat: 'Schoolverzuim nagaan' }]));
    const [status] = cardsOf(await say(HALT, 'mijn acties'));
    expect(text(status)).toContain('Alleen zichtbaar voor Medewerker Halt: druk op Bekijken');
    expect(status.refresh.userIds).toEqual([HALT.id]);
    const [bekijken] = executes(status).filter((a) => a.title === 'Bekijken');
    expect(bekijken).toMatchObject({ verb: Verb.persoonlijkBekijken, data: { soort: 'mijn-acties' } });
    expect(status.refresh.action).toMatchObject({ verb: Verb.persoonlijkBekijken, data: bekijken.data });

    const view = async (user: User) => (await h.post(cardAction(h, user, bekijken.verb, bekijken.data, 'status-msg'))).body.value;
    const t = text(await view(HALT));
    expect(t).toContain('Open acties van Medewerker Halt (2)');
    expect(t.indexOf('Schoolverzuim nagaan')).toBeLessThan(t.indexOf('Halt-traject starten'));
    expect(t).toContain('2 dagen te laat');
    expect(t).toContain('over 7 dagen');
    expect(t).not.toContain('Actie a2');
    // Someone else pressing the same button gets their own list.
    expect(text(await view(OFFICIER))).toContain('Je hebt geen open acties in de zaken van dit team.');
    // Nothing the bot sent to Teams carries the actions.
    expect(JSON.stringify(h.connector.calls)).not.toContain('Halt-traject starten');
    const zaak = (await h.store.findCaseByReference(TEAM_ID, '13/800003-26'))!;
    expect((await h.store.listInzage(TEAM_ID, zaak.id, 50)).map((i) => [i.door.id, i.wat])).toEqual([[HALT.aadObjectId, 'mijn-acties']]);
  });

  it('"mijn acties" also lists the partner questions waiting for my answer, with their deadline; answered ones and other people\'s are left out', async () => {
    const zaak = await seedCase(h, '13/800007-26', OFFICIER);
    const vraag = (id: string, wie: User, tekst: string, deadline: string) => ({ type: 'uitvraag.verstuurd' as const, data: { id, invitee: lid(wie), organisatie: 'halt' as const, vraag: tekst, waarom: 'Bepaalt of een Halt-traject past.', deadline } });
    await service(h).change(TEAM_ID, zaak.id, actorOf(OFFICIER), () => [
      vraag('u1', HALT, 'Heeft hij eerder een Halt-traject gehad?', '2026-12-02T15:00:00Z'),
      vraag('u2', HALT, 'Loopt er nu een traject bij Halt?', '2026-12-01T15:00:00Z'),
      vraag('u3', HALT, 'Is de school al ingelicht?', '2026-12-04T15:00:00Z'),
      vraag('u4', VEILIG_THUIS, 'Is het gezin bekend bij Veilig Thuis?', '2026-12-02T15:00:00Z'),
    ]);
    await service(h).change(TEAM_ID, zaak.id, actorOf(HALT), () => [{ type: 'uitvraag.beantwoord', data: { uitvraagId: 'u3', tekst: 'Ja.', bron: 'School', bekend: 'ja' } }]);
    const [status] = cardsOf(await say(HALT, 'mijn acties'));
    const [bekijken] = executes(status).filter((a) => a.title === 'Bekijken');
    const t = text((await h.post(cardAction(h, HALT, bekijken.verb, bekijken.data, 'status-msg'))).body.value);
    expect(t).toContain('Vragen die op jouw antwoord wachten (2)');
    // Earliest deadline first; a passed one says so.
    expect(t.indexOf('Loopt er nu een traject bij Halt?')).toBeLessThan(t.indexOf('Heeft hij eerder een Halt-traject gehad?'));
    expect(t).toContain('deadline verstreken di 1 dec 2026, 16:00');
    expect(t).toContain('deadline wo 2 dec 2026, 16:00');
    expect(t).not.toContain('Is de school al ingelicht?');
    expect(t).not.toContain('Is het gezin bekend bij Veilig Thuis?');
    expect(t).toMatch(/\[13\/800007-26\]\(https:\/\/teams\.microsoft\.com/);
    // The officier, who asked, has no question waiting.
    const [bekijkenOfficier] = executes(cardsOf(await say(OFFICIER, 'mijn acties'))[0]).filter((a) => a.title === 'Bekijken');
    expect(text((await h.post(cardAction(h, OFFICIER, bekijkenOfficier.verb, bekijkenOfficier.data, 'status-msg'))).body.value)).not.toContain('Vragen die op jouw antwoord wachten');
  });

  it('"mijn acties" counts every open action of mine from the index, reads and records only the cases it shows, and leaves out a closed case', async () => {
    // Seven cases with five actions each for Halt, a week apart per case: 35, of which the 30 earliest are shown.
    for (let c = 0; c < 7; c++) {
      const acties = Array.from({ length: 5 }, (_, k) => ({ id: `a${k}`, eigenaar: lid(HALT), datum: `2026-12-${String(10 + c).padStart(2, '0')}`, wat: `Actie ${c}-${k}` }));
      await seedCase(h, `13/81000${c}-26`, OFFICIER, besluit(acties));
    }
    const gesloten = await seedCase(h, '13/819999-26', OFFICIER, besluit([{ id: 'a1', eigenaar: lid(HALT), datum: '2026-11-30', wat: 'Van een gesloten zaak' }]));
    await service(h).change(TEAM_ID, gesloten.id, actorOf(OFFICIER), () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'monitoring', naar: 'gesloten' } }]);
    const [status] = cardsOf(await say(HALT, 'mijn acties'));
    const [bekijken] = executes(status).filter((a) => a.title === 'Bekijken');
    const t = text((await h.post(cardAction(h, HALT, bekijken.verb, bekijken.data, 'status-msg'))).body.value);
    expect(t).toContain('Open acties van Medewerker Halt (35)');
    expect(t).toContain('Hieronder de 30 met de vroegste datum.');
    expect(t).toContain('Actie 0-0');
    expect(t).toContain('Actie 5-4');
    expect(t).not.toContain('Actie 6-0');
    expect(t).not.toContain('Van een gesloten zaak');
    // Only the cases whose actions were shown record the inzage.
    const inzage = async (reference: string) => (await h.store.listInzage(TEAM_ID, (await h.store.findCaseByReference(TEAM_ID, reference))!.id, 50)).length;
    expect(await inzage('13/810000-26')).toBe(1);
    expect(await inzage('13/810005-26')).toBe(1);
    expect(await inzage('13/810006-26')).toBe(0);
    expect(await inzage('13/819999-26')).toBe(0);
  });

  it('works only in the team channel', async () => {
    for (const words of ['overzicht', 'digest', 'mijn acties']) {
      await h.post(personalMessage(h, OFFICIER, words));
      expect(h.connector.texts().at(-1)).toBe('Deze opdracht werkt in het kanaal van je ZSM-team: daar staan de verdiepingszaken.');
    }
    expect(h.connector.calls.filter((c) => c.conversationId === CHANNEL_ID)).toEqual([]);
  });
});
