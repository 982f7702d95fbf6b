import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newJob, type ScheduledJob } from '../../src/domain/jobs';
import { oudeBekenden } from '../../src/domain/markering';
import { defaultRetryPolicy, ZaakService } from '../../src/domain/service';
import { zaakregel, type Actor, type NewZaakEvent, type Verdiepingszaak } from '../../src/domain/zaak';
import { ConcurrencyError, DuplicateReferenceError, type Store, type TeamRecord } from '../../src/store/store';

const actor: Actor = { id: 'aad-officier', name: 'Officier' };
const markering = {
  reference: '13/123456-26',
  types: ['jeugd' as const],
  signaal: 'Jongen (15) pleegt diefstal, niet op school, gezinsvoogd betrokken.',
  betrokkenen: [{ rol: 'verdachte' as const, leeftijd: '12-17' as const }],
};

/** A team record as the bot stores it on installation. */
export function team(teamId: string): TeamRecord {
  return {
    teamId,
    tenantId: 'tenant',
    channelId: `${teamId}-channel`,
    serviceUrl: 'http://127.0.0.1:1/',
    conversationReference: { conversation: { id: `${teamId}-channel` } },
    installedAt: '2026-11-28T10:00:00.000Z',
    updatedAt: '2026-11-28T10:00:00.000Z',
  };
}

/** Strings that occur only in the content of the case `levenVanEenZaak` writes. */
export const MARKERS = {
  signaal: 'Signaal-MRK7q: buikpijn over de jongen',
  antwoord: 'Antwoord-MRK8w van Veilig Thuis',
  duiding: 'Hypothese-MRK9e over het netwerk',
  leeropbrengst: 'Leeropbrengst-MRK0r voor de volgende zaak',
};

/** The ids of the messages the bot posted for the case `levenVanEenZaak` writes, in the order its erasure replaces them. */
export const THREAD = 't1-channel;messageid=root-1';
export const BERICHTEN = ['root-1', 'kaart-1', 'prompt-1', 'samenvatting-1'].map((messageId) => ({ conversationId: THREAD, messageId }));

/**
 * A case from flag to closing, with a marker in its signal, a partner's answer, its duiding and its
 * leeropbrengst, the message ids its thread cards got, and a recorded summary card.
 */
export async function levenVanEenZaak(store: Store, service: ZaakService, reference = '13/777777-26'): Promise<Verdiepingszaak> {
  const zaak = await service.flag('t1', { ...markering, reference, signaal: MARKERS.signaal }, actor);
  const change = (...changes: NewZaakEvent[]) => service.change('t1', zaak.id, actor, () => changes);
  const vt = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
  await change({ type: 'zaak.thread_geopend', data: { channelId: 't1-channel', conversationId: THREAD, rootMessageId: 'root-1' } });
  await change({ type: 'zaak.verdiepingskaart_geplaatst', data: { messageId: 'kaart-1' } });
  await change(
    { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Bekend?', waarom: 'Oude bekende?', deadline: '2026-11-28T12:00:00.000Z' } },
    { type: 'uitvraag.kaart_geplaatst', data: { uitvraagId: 'u1', messageId: 'prompt-1' } },
    { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: MARKERS.antwoord, bron: 'VT-registratie', bekend: 'ja' } },
  );
  await change({
    type: 'duiding.vastgelegd',
    data: { patronen: ['oude_bekenden'], perspectieven: [], tegenstrijdigheden: '', hypothesen: [MARKERS.duiding], instrumenten: [], veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }] },
  });
  await store.recordMessages('t1', zaak.id, [{ conversationId: THREAD, messageId: 'samenvatting-1' }, { conversationId: THREAD, messageId: 'kaart-1' }], '2026-11-28T10:00:00.000Z');
  return change(
    { type: 'zaak.gesloten', data: { leeropbrengst: MARKERS.leeropbrengst, uitkomst: 'Geen hermelding.' } },
    { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } },
  );
}

/**
 * The one contract every Store implementation must meet. Run it against each implementation
 * with a factory that gives a fresh, empty store.
 */
export function storeContract(
  name: string,
  open: () => Promise<Store>,
  close: (store: Store) => Promise<void> = (s) => s.close(),
  /** Every row or document the store holds, as stored (JSON), to see what a purge leaves behind. */
  raw?: (store: Store) => Promise<string[]>,
): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let n = 0;
    let now = Date.parse('2026-11-28T10:00:00Z');
    // The store must lose no update, however long the race takes on a loaded machine: a generous retry budget.
    const service = () =>
      new ZaakService(store, { now: () => new Date(now) }, { next: () => `case-${++n}` }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 1_800_000 }, { ...defaultRetryPolicy, budgetMs: 60_000 });

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });

    it('reports health', async () => {
      expect((await store.health()).ok).toBe(true);
    });

    it('saves, replaces and lists teams', async () => {
      await store.saveTeam(team('t1'));
      await store.saveTeam({ ...team('t1'), name: 'ZSM Haarlem', digestCron: '30 8 * * 1' });
      await store.saveTeam(team('t2'));
      expect((await store.getTeam('t1'))?.digestCron).toBe('30 8 * * 1');
      expect(await store.getTeam('nope')).toBeUndefined();
      expect((await store.listTeams()).map((t) => t.teamId).sort()).toEqual(['t1', 't2']);
    });

    it('creates a case with its events and finds it by id and by reference, within its team only', async () => {
      const zaak = await service().flag('t1', markering, actor);
      expect(await store.getCase('t1', zaak.id)).toEqual(zaak);
      expect(await store.findCaseByReference('t1', '13/123456-26')).toEqual(zaak);
      expect(await store.findCaseByReference('t2', '13/123456-26')).toBeUndefined();
      expect(await store.getCase('t2', zaak.id)).toBeUndefined();
      expect((await store.listEvents('t1', zaak.id)).map((e) => e.type)).toEqual(['zaak.gemarkeerd']);
    });

    it('refuses a duplicate reference in the same team but allows it in another team', async () => {
      await service().flag('t1', markering, actor);
      await expect(service().flag('t1', markering, actor)).rejects.toBeInstanceOf(DuplicateReferenceError);
      await expect(service().flag('t2', markering, actor)).resolves.toBeDefined();
    });

    it('appends events with optimistic concurrency and refuses a stale version', async () => {
      const zaak = await service().flag('t1', markering, actor);
      const moved = await service().change('t1', zaak.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'contextinformatie' } }]);
      expect(moved.version).toBe(2);
      const stale: Verdiepingszaak = { ...zaak, fase: 'duiding', version: 2 };
      await expect(
        store.appendEvents(stale, 1, [{ teamId: 't1', caseId: zaak.id, seq: 2, at: new Date(now).toISOString(), actor, type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'duiding' } }]),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.getCase('t1', zaak.id))?.fase).toBe('contextinformatie');
      expect((await store.listEvents('t1', zaak.id)).map((e) => e.seq)).toEqual([1, 2]);
    });

    it('marks the thread views of a changed case stale: one marker per case that learns the newest version, also while it is claimed', async () => {
      const zaak = await service().flag('t1', markering, actor);
      const fase = (van: Verdiepingszaak['fase'], naar: Verdiepingszaak['fase']) => service().change('t1', zaak.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van, naar } }]);
      await fase('gemarkeerd', 'contextinformatie');
      const later = '2100-01-01T00:00:00.000Z';
      const [claimed, ...rest] = await store.claimStaleViews(later, 'instance-a', '2100-01-01T00:01:00.000Z', 10);
      expect(rest).toEqual([]);
      expect(claimed).toMatchObject({ caseId: zaak.id, versie: 2, status: 'bijwerken', leaseOwner: 'instance-a' });

      await fase('contextinformatie', 'duiding');
      const opnieuw = await store.finishStaleViews(claimed!, 2);
      expect(opnieuw).toMatchObject({ soort: 'opnieuw', markering: { versie: 3, leaseOwner: 'instance-a' } });
      expect(await store.claimStaleViews(later, 'instance-b', '2100-01-01T00:01:00.000Z', 10)).toEqual([]);
      expect(await store.finishStaleViews(claimed!, 3)).toEqual({ soort: 'klaar' });
      expect(await store.claimStaleViews('2100-01-01T00:02:00.000Z', 'instance-b', '2100-01-01T00:03:00.000Z', 10)).toEqual([]);
    });

    it('keeps what the thread messages show once the views are up to date, for the first claimant after the next change', async () => {
      const zaak = await service().flag('t1', markering, actor);
      const later = '2100-01-01T00:00:00.000Z';
      const [eerste] = await store.claimStaleViews(later, 'instance-a', '2100-01-01T00:01:00.000Z', 10);
      expect(eerste).toMatchObject({ caseId: zaak.id, versie: 1, getoond: {} });
      expect(await store.finishStaleViews(eerste!, 1, { root: 'kaart-1', prompt: '' })).toEqual({ soort: 'klaar' });
      expect(await store.claimStaleViews('2100-01-01T00:02:00.000Z', 'instance-b', '2100-01-01T00:03:00.000Z', 10)).toEqual([]);

      await service().change('t1', zaak.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'contextinformatie' } }]);
      const [tweede] = await store.claimStaleViews('2100-01-01T00:04:00.000Z', 'instance-b', '2100-01-01T00:05:00.000Z', 10);
      expect(tweede).toMatchObject({ versie: 2, status: 'bijwerken', claims: 1, attempts: 1, getoond: { root: 'kaart-1', prompt: '' } });
      // Put off by its one claimant with what the messages show so far: the next claimant goes on from there.
      await store.putOffStaleViews(tweede!, '2100-01-01T00:04:00.000Z', 'Teams: 503', true, { root: 'kaart-2', prompt: '' });
      const [verder] = await store.claimStaleViews('2100-01-01T00:04:30.000Z', 'instance-c', '2100-01-01T00:05:00.000Z', 10);
      expect(verder).toMatchObject({ claims: 1, lastError: 'Teams: 503', getoond: { root: 'kaart-2', prompt: '' } });
      // Put off without it and claimed again: a second claimant records nothing, so the next round puts every card.
      await store.putOffStaleViews(verder!, '2100-01-01T00:04:00.000Z', 'Teams: 503');
      const [derde] = await store.claimStaleViews('2100-01-01T00:06:00.000Z', 'instance-c', '2100-01-01T00:07:00.000Z', 10);
      expect(derde).toMatchObject({ claims: 2 });
      expect(await store.finishStaleViews(derde!, 2, { root: 'kaart-2' })).toEqual({ soort: 'klaar' });
      await service().change('t1', zaak.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'contextinformatie', naar: 'duiding' } }]);
      const [vierde] = await store.claimStaleViews('2100-01-01T00:08:00.000Z', 'instance-a', '2100-01-01T00:09:00.000Z', 10);
      expect(vierde).toMatchObject({ versie: 3, claims: 1 });
      expect(vierde!.getoond).toBeUndefined();
    });

    it('loses no update when 20 writers change the same case at once', async () => {
      const zaak = await service().flag('t1', markering, actor);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          service().change('t1', zaak.id, { id: `aad-${i}`, name: `Partner ${i}` }, (z) => [
            { type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorg: `antwoord ${i} na ${z.version}` } } },
          ]),
        ),
      );
      const after = await store.getCase('t1', zaak.id);
      expect(after?.version).toBe(21);
      expect(after?.principes[1]?.versie).toBe(20);
      expect(await store.listEvents('t1', zaak.id)).toHaveLength(21);
    });

    it('lists open cases newest first and hides closed ones unless asked', async () => {
      const first = await service().flag('t1', markering, actor);
      now += 60_000;
      const second = await service().flag('t1', { ...markering, reference: '13/654321-26' }, actor);
      await service().change('t1', first.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
      expect((await store.listCases('t1')).map((z) => z.id)).toEqual([second.id]);
      expect((await store.listCases('t1', { includeClosed: true })).map((z) => z.id)).toEqual([second.id, first.id]);
      expect(await store.listCases('t2')).toEqual([]);
    });

    it('answers the newest open cases with their count, counts per phase and per type, and pages and counts of follow-up points, without closed cases or other teams', async () => {
      const lid = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
      const flag = async (teamId: string, reference: string, types: Verdiepingszaak['types']) => {
        now += 60_000;
        return service().flag(teamId, { ...markering, reference, types }, actor);
      };
      const change = (teamId: string, z: Verdiepingszaak, ...events: NewZaakEvent[]) => service().change(teamId, z.id, actor, () => events);
      const vraag = (id: string, deadline: string): NewZaakEvent => ({
        type: 'uitvraag.verstuurd',
        data: { id, invitee: lid, organisatie: 'veilig_thuis', vraag: 'Is er een melding?', waarom: 'Nodig voor de duiding.', deadline },
      });
      const a = await flag('t1', '13/100001-26', ['jeugd']);
      const b = await flag('t1', '13/100002-26', ['jeugd', 'lvb']);
      const c = await flag('t1', '13/100003-26', ['zeden']);
      const gesloten = await flag('t1', '13/100004-26', ['jeugd']);
      await flag('t2', '13/100005-26', ['jeugd']);
      await change('t1', b, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'contextinformatie' } }, vraag('u1', '2026-11-28T09:00:00.000Z'), vraag('u2', '2026-11-29T09:00:00.000Z'));
      await change('t1', c, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'monitoring' } }, {
        type: 'besluit.vastgelegd',
        data: {
          afdoening: 'sepot_met_hulp',
          zorg: 'Wijkteam.',
          waaromMix: 'Zorg eerst.',
          tijdstrategie: { keuze: 'geen', reden: '' },
          doelen: [],
          acties: [
            { id: 'x1', wat: 'Te laat', eigenaar: lid, datum: '2026-11-20', status: 'open' },
            { id: 'x2', wat: 'Gereed', eigenaar: lid, datum: '2026-11-20', status: 'gereed' },
            { id: 'x3', wat: 'Later', eigenaar: lid, datum: '2026-12-20', status: 'open' },
          ],
          monitoring: [],
        },
      });
      await change('t1', gesloten, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }, vraag('u3', '2026-11-01T09:00:00.000Z'));

      const newest = await store.listOpenCases('t1', { limit: 2 });
      expect(newest.total).toBe(3);
      expect(newest.zaken.map((z) => z.reference)).toEqual(['13/100003-26', '13/100002-26']);
      expect((await store.listOpenCases('t1', { limit: 5, oldestFirst: true })).zaken.map((z) => z.reference)).toEqual(['13/100001-26', '13/100002-26', '13/100003-26']);
      // Lists carry each case's line only (zaakregel), not the whole case.
      expect(await store.listOpenCases('t1', { limit: 5, fase: 'contextinformatie' })).toEqual({ total: 1, zaken: [zaakregel((await store.getCase('t1', b.id))!)] });
      expect(await store.listOpenCases('t3', { limit: 5 })).toEqual({ total: 0, zaken: [] });

      expect(await store.countOpenCases('t1')).toEqual({ open: 3, perFase: { gemarkeerd: 1, contextinformatie: 1, monitoring: 1 }, perType: { jeugd: 2, lvb: 1, zeden: 1 } });
      expect(await store.countOpenCases('t3')).toEqual({ open: 0, perFase: {}, perType: {} });
      // Follow-up points: counted and paged per kind and window, by date then reference; none of closed cases or other teams.
      const refs = (p: { punten: { reference: string }[] }) => p.punten.map((x) => x.reference);
      const vragen = await store.listFollowUps('t1', { soort: 'vraag', limit: 5 });
      expect(vragen.total).toBe(2);
      expect(vragen.punten.map((x) => [x.reference, x.sleutel, x.op, x.wat])).toEqual([
        ['13/100002-26', 'u1', '2026-11-28T09:00:00.000Z', 'veilig_thuis'],
        ['13/100002-26', 'u2', '2026-11-29T09:00:00.000Z', 'veilig_thuis'],
      ]);
      expect(await store.listFollowUps('t1', { soort: 'vraag', tot: '2026-11-28T10:00:00.000Z', limit: 5 })).toEqual({ total: 1, punten: [vragen.punten[0]] });
      expect(await store.listFollowUps('t1', { soort: 'vraag', limit: 1 })).toEqual({ total: 2, punten: [vragen.punten[0]] });
      expect(await store.listFollowUps('t1', { soort: 'vraag', limit: 0 })).toEqual({ total: 2, punten: [] });
      const acties = await store.listFollowUps('t1', { soort: 'actie', limit: 5 });
      expect(acties.punten.map((x) => [x.reference, x.sleutel, x.op])).toEqual([['13/100003-26', 'x1', '2026-11-20'], ['13/100003-26', 'x3', '2026-12-20']]);
      expect((await store.listFollowUps('t1', { soort: 'actie', van: '2026-11-21', tot: '2027-01-01', limit: 5 })).total).toBe(1);
      expect(refs(await store.listFollowUps('t1', { soort: 'gesloten', limit: 5 }))).toEqual(['13/100004-26']);
      expect(await store.listFollowUps('t2', { soort: 'vraag', limit: 5 })).toEqual({ total: 0, punten: [] });

      // A change moves the points with it: the answered question goes, a duiding's patterns are counted per value.
      await change('t1', b, { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Bekend.', bron: 'Registratie', bekend: 'ja' } });
      expect(refs(await store.listFollowUps('t1', { soort: 'vraag', limit: 5 }))).toEqual(['13/100002-26']);
      const duiding = (patronen: ('oude_bekenden' | 'partnerrelatie')[]): NewZaakEvent => ({
        type: 'duiding.vastgelegd',
        data: { patronen, perspectieven: [], tegenstrijdigheden: '', hypothesen: [], instrumenten: [], veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }] },
      });
      await change('t1', a, duiding(['oude_bekenden', 'partnerrelatie']));
      await change('t1', b, duiding(['oude_bekenden']));
      const vanaf = new Date(now - 1).toISOString();
      expect(await store.countFollowUps('t1', { soort: 'patroon', van: vanaf }, ['oude_bekenden', 'partnerrelatie', 'afwachten'])).toEqual({ oude_bekenden: 2, partnerrelatie: 1, afwachten: 0 });
      expect(await store.countFollowUps('t1', { soort: 'patroon', van: new Date(now + 1).toISOString() }, ['oude_bekenden'])).toEqual({ oude_bekenden: 0 });

      // A case's line follows its changes: the thread it got, the phase it moved to.
      const thread = { channelId: '19:kanaal', conversationId: '19:kanaal;messageid=9', rootMessageId: '9' };
      await change('t1', c, { type: 'zaak.thread_geopend', data: thread }, { type: 'zaak.fase_gewijzigd', data: { van: 'monitoring', naar: 'besluit' } });
      expect((await store.listOpenCases('t1', { limit: 1 })).zaken).toEqual([{ id: c.id, reference: '13/100003-26', types: ['zeden'], fase: 'besluit', flaggedAt: c.flaggedAt, thread }]);
    });

    it('finds the cases of a team that share a betrokkene by SKN hash, closed ones too, and nothing of other teams', async () => {
      const metSkn = (reference: string, ...hashes: string[]) => ({ ...markering, reference, betrokkenen: hashes.map((sknHash) => ({ rol: 'verdachte' as const, leeftijd: '18-22' as const, sknHash })) });
      const flag = async (teamId: string, reference: string, ...hashes: string[]) => {
        now += 60_000;
        return service().flag(teamId, metSkn(reference, ...hashes), actor);
      };
      const eerste = await flag('t1', '13/200001-26', 'hash-a', 'hash-b');
      await flag('t1', '13/200002-26', 'hash-c');
      await flag('t1', '13/200003-26', 'hash-b');
      await flag('t2', '13/200004-26', 'hash-a');
      await service().change('t1', eerste.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
      const refs = async (...wat: string[]) => (await store.listFollowUps('t1', { soort: 'betrokkene', wat, limit: 10 })).punten.map((p) => [p.reference, p.wat]);
      expect(await refs('hash-a')).toEqual([['13/200001-26', 'hash-a']]);
      expect(await refs('hash-b', 'hash-c')).toEqual([['13/200001-26', 'hash-b'], ['13/200002-26', 'hash-c'], ['13/200003-26', 'hash-b']]);
      expect(await refs('hash-x')).toEqual([]);
      // A full page is counted beyond itself; one that is not holds them all.
      expect((await store.listFollowUps('t1', { soort: 'betrokkene', wat: ['hash-b', 'hash-c'], limit: 2 })).total).toBe(3);
      expect((await store.listFollowUps('t1', { soort: 'betrokkene', wat: ['hash-b', 'hash-c'], limit: 4 })).total).toBe(3);
      expect((await oudeBekenden(store, { id: 'nieuw', teamId: 't1', betrokkenen: metSkn('x', 'hash-b', 'hash-a').betrokkenen })).map((b) => b.reference)).toEqual(['13/200001-26', '13/200003-26']);
      expect(await oudeBekenden(store, { id: 'nieuw', teamId: 't1', betrokkenen: metSkn('x').betrokkenen })).toEqual([]);
    });

    it('keeps the te bespreken points of open cases with every change: no duiding yet, onveilig in the latest duiding, niet passend at the latest check, goals by date; paged and counted per team', async () => {
      const flag = async (teamId: string, reference: string) => {
        now += 60_000;
        return service().flag(teamId, { ...markering, reference }, actor);
      };
      const change = (z: Verdiepingszaak, ...events: NewZaakEvent[]) => service().change('t1', z.id, actor, () => events);
      const zaken: Verdiepingszaak[] = [];
      for (let i = 0; i < 14; i++) zaken.push(await flag('t1', `13/2000${String(i).padStart(2, '0')}-26`));
      await flag('t2', '13/300000-26');
      const refs = (p: { punten: { reference: string }[] }) => p.punten.map((x) => x.reference);
      const zonder = await store.listFollowUps('t1', { soort: 'zonderduiding', limit: 12 });
      expect(zonder.total).toBe(14);
      expect(refs(zonder)).toEqual(zaken.slice(0, 12).map((z) => z.reference));
      expect((await store.listFollowUps('t1', { soort: 'zonderduiding', tot: zaken[3]!.flaggedAt, limit: 12 })).total).toBe(3);

      const duiding = (nu: 'veilig' | 'onveilig', straks: 'veilig' | 'onveilig'): NewZaakEvent => ({
        type: 'duiding.vastgelegd',
        data: { patronen: [], perspectieven: [], tegenstrijdigheden: '', hypothesen: [], instrumenten: [], veiligheid: [{ betrokkene: 0, nu: 'veilig', straks: 'veilig' }, { betrokkene: 0, nu, straks }] },
      });
      const [a, b, c] = zaken as [Verdiepingszaak, Verdiepingszaak, Verdiepingszaak];
      await change(a, duiding('onveilig', 'veilig'));
      await change(b, duiding('veilig', 'onveilig'));
      expect((await store.listFollowUps('t1', { soort: 'zonderduiding', limit: 0 })).total).toBe(12);
      expect(refs(await store.listFollowUps('t1', { soort: 'onveilig', limit: 12 }))).toEqual([a.reference, b.reference]);
      await change(a, duiding('veilig', 'veilig'));
      expect(refs(await store.listFollowUps('t1', { soort: 'onveilig', limit: 12 }))).toEqual([b.reference]);

      const doel = (wanneer: string) => ({ wat: 'Gaat weer naar school.', voorWie: 'Jongere', wanneer });
      const check = (datum: string, koersPassend: boolean): NewZaakEvent => ({ type: 'monitoring.vastgelegd', data: { datum, hermelding: 'nee', koersPassend } });
      await change(c, duiding('veilig', 'veilig'), {
        type: 'besluit.vastgelegd',
        data: { afdoening: 'sepot_met_hulp', zorg: 'Wijkteam.', waaromMix: 'Zorg eerst.', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [doel('2026-12-10'), doel('2026-12-01')], acties: [], monitoring: [] },
      });
      await change(c, check('2026-11-28', false));
      expect((await store.listFollowUps('t1', { soort: 'doel', van: '2026-11-30', tot: '2026-12-07', limit: 12 })).punten.map((p) => [p.reference, p.op])).toEqual([[c.reference, '2026-12-01']]);
      expect(refs(await store.listFollowUps('t1', { soort: 'nietpassend', limit: 12 }))).toEqual([c.reference]);
      await change(c, check('2026-11-29', true));
      expect((await store.listFollowUps('t1', { soort: 'nietpassend', limit: 12 })).total).toBe(0);
      await change(b, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } });
      await change(c, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } });
      for (const soort of ['onveilig', 'doel'] as const) expect((await store.listFollowUps('t1', { soort, limit: 12 })).total).toBe(0);
      expect(refs(await store.listFollowUps('t2', { soort: 'zonderduiding', limit: 12 }))).toEqual(['13/300000-26']);
    });

    it('counts follow-up points over any window as the points themselves: from or to a moment inside a day or a whole day, open-ended, after points moved to another day or went away', async () => {
      const lid = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
      const zaak = await service().flag('t1', markering, actor);
      await service().flag('t2', { ...markering, reference: '13/999999-26' }, actor);
      const change = (...events: NewZaakEvent[]) => service().change('t1', zaak.id, actor, () => events);
      const deadlines = ['2026-11-27T23:30:00.000Z', '2026-11-28T00:00:00.000Z', '2026-11-28T09:00:00.000Z', '2026-11-28T09:00:00.001Z', '2026-11-28T23:59:59.999Z', '2026-11-29T12:00:00.000Z', '2026-12-02T08:00:00.000Z'];
      await change(
        ...deadlines.map((deadline, i): NewZaakEvent => ({ type: 'uitvraag.verstuurd', data: { id: `q${i}`, invitee: lid, organisatie: 'veilig_thuis', vraag: 'Is er een melding?', waarom: 'Nodig.', deadline } })),
      );
      const grenzen = [undefined, '2026-11-27', '2026-11-28', '2026-11-28T00:00:00.000Z', '2026-11-28T09:00:00.000Z', '2026-11-28T09:00:00.001Z', '2026-11-28T12:00:00.000Z', '2026-11-29', '2026-12-31'];
      const klopt = async (soort: 'vraag' | 'actie', ops: string[]) => {
        for (const van of grenzen) {
          for (const tot of grenzen) {
            const pagina = await store.listFollowUps('t1', { soort, ...(van ? { van } : {}), ...(tot ? { tot } : {}), limit: 20 });
            const verwacht = ops.filter((op) => op >= (van ?? '') && op < (tot ?? '\uffff')).sort();
            expect({ van, tot, total: pagina.total, ops: pagina.punten.map((p) => p.op) }).toEqual({ van, tot, total: verwacht.length, ops: verwacht });
          }
        }
      };
      await klopt('vraag', deadlines);

      // Answered and refused questions go; an action moves to a later day when the besluit is revised.
      await change({ type: 'uitvraag.beantwoord', data: { uitvraagId: 'q2', tekst: 'Bekend.', bron: 'Registratie', bekend: 'ja' } }, { type: 'uitvraag.afgewezen', data: { uitvraagId: 'q5', soort: 'geen_informatie', reden: 'Niets bekend.' } });
      await klopt('vraag', deadlines.filter((_, i) => i !== 2 && i !== 5));
      const besluit = (datum: string): NewZaakEvent => ({
        type: 'besluit.vastgelegd',
        data: { afdoening: 'sepot_met_hulp', zorg: 'Wijkteam.', waaromMix: 'Zorg eerst.', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [], acties: [{ id: 'x1', wat: 'Gesprek', eigenaar: lid, datum, status: 'open' }], monitoring: [] },
      });
      await change(besluit('2026-11-28'));
      await klopt('actie', ['2026-11-28']);
      await change(besluit('2026-11-29'));
      await klopt('actie', ['2026-11-29']);
      expect((await store.listFollowUps('t2', { soort: 'vraag', limit: 0 })).total).toBe(0);
    });

    it('stores jobs with the events that schedule them, once per id', async () => {
      const zaak = await service().flag('t1', markering, actor);
      const job = newJob(zaak, 'monitoring', '2027-01-09', new Date('2027-01-09T08:00:00Z'), new Date(now).toISOString());
      const next = { ...zaak, version: 2 };
      const event = { teamId: 't1', caseId: zaak.id, seq: 2, at: new Date(now).toISOString(), actor, type: 'zaak.fase_gewijzigd' as const, data: { van: 'gemarkeerd' as const, naar: 'contextinformatie' as const } };
      await store.appendEvents(next, 1, [event], [job]);
      await store.scheduleJobs([{ ...job, status: 'vervallen' }]);
      const jobs = await store.listJobs('t1', { caseId: zaak.id });
      expect(jobs).toEqual([job]);
      expect(await store.getJob('t1', job.id)).toEqual(job);
      expect(await store.listJobs('t2')).toEqual([]);
    });

    it('claims each due job once, even when claimants race, and lets an expired lease be taken over', async () => {
      const jobs: ScheduledJob[] = Array.from({ length: 30 }, (_, i) => ({
        ...newJob({ teamId: i % 2 ? 't1' : 't2', id: `case-${i}` }, 'actie.vervaldatum', `actie-${i}`, new Date(Date.parse('2026-11-28T09:00:00Z') + i * 1000), '2026-11-28T08:00:00.000Z'),
      }));
      const later = newJob({ teamId: 't1', id: 'case-later' }, 'monitoring', 'later', new Date('2026-12-28T09:00:00Z'), '2026-11-28T08:00:00.000Z');
      await store.scheduleJobs([...jobs, later]);
      const at = '2026-11-28T10:00:00.000Z';
      const claims = await Promise.all(['a', 'b', 'c'].map((owner) => store.claimDueJobs(at, owner, '2026-11-28T10:05:00.000Z', 50)));
      const claimedIds = claims.flat().map((j) => j.id);
      expect(claimedIds.sort()).toEqual(jobs.map((j) => j.id).sort());
      expect(claims.flat().every((j) => j.status === 'geclaimd' && j.attempts === 1)).toBe(true);
      expect(await store.claimDueJobs(at, 'd', '2026-11-28T10:05:00.000Z', 50)).toEqual([]);

      const takenOver = await store.claimDueJobs('2026-11-28T10:06:00.000Z', 'd', '2026-11-28T10:11:00.000Z', 5);
      expect(takenOver).toHaveLength(5);
      expect(takenOver.every((j) => j.leaseOwner === 'd' && j.attempts === 2)).toBe(true);
    });

    it('updates a job only from the version it read', async () => {
      const job = newJob({ teamId: 't1', id: 'c' }, 'plandatum', 'p', new Date('2026-11-28T09:00:00Z'), '2026-11-28T08:00:00.000Z');
      await store.scheduleJobs([job]);
      const [claimed] = await store.claimDueJobs('2026-11-28T10:00:00.000Z', 'a', '2026-11-28T10:05:00.000Z', 1);
      await store.updateJob({ ...claimed!, status: 'verzonden', sentMessageId: 'm1', version: claimed!.version + 1 }, claimed!.version);
      await expect(store.updateJob({ ...claimed!, status: 'mislukt', version: claimed!.version + 1 }, claimed!.version)).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await store.getJob('t1', job.id))?.status).toBe('verzonden');
    });

    it('lets the holder put a claimed job off by moving its lease, and keeps what it records on the job', async () => {
      // The dispatcher relies on this: a job Teams asked to wait for stays claimed until leaseUntil, then anyone may take it.
      const job = newJob({ teamId: 't1', id: 'c' }, 'digest', 'd', new Date('2026-11-28T09:00:00Z'), '2026-11-28T08:00:00.000Z');
      await store.scheduleJobs([job]);
      const [claimed] = await store.claimDueJobs('2026-11-28T10:00:00.000Z', 'a', '2026-11-28T10:05:00.000Z', 5);
      const putOff: ScheduledJob = { ...claimed!, leaseUntil: '2026-11-28T12:00:00.000Z', lastError: '429', sentMessageId: 'm1', sentMessageIds: ['m1'], version: claimed!.version + 1 };
      await store.updateJob(putOff, claimed!.version);
      expect(await store.claimDueJobs('2026-11-28T11:59:59.999Z', 'b', '2026-11-28T12:10:00.000Z', 5)).toEqual([]);
      const [again] = await store.claimDueJobs('2026-11-28T12:00:00.000Z', 'b', '2026-11-28T12:10:00.000Z', 5);
      expect(again).toMatchObject({ id: job.id, leaseOwner: 'b', attempts: 2, lastError: '429', sentMessageId: 'm1', sentMessageIds: ['m1'], dueAt: job.dueAt });
      await store.updateJob({ ...again!, status: 'verzonden', version: again!.version + 1 }, again!.version);
      expect(await store.claimDueJobs('2026-11-29T12:00:00.000Z', 'c', '2026-11-29T12:10:00.000Z', 5)).toEqual([]);
    });

    it('records inzage without changing the case, lists it newest first per case, at most the limit', async () => {
      const zaak = await service().flag('t1', markering, actor);
      const other = await service().flag('t1', { ...markering, reference: '13/222222-26' }, actor);
      const lezer = { id: 'aad-lezer', name: 'Lezer', teamsId: '29:lezer' };
      const at = (minute: number) => new Date(Date.parse('2026-11-28T10:00:00Z') + minute * 60_000).toISOString();
      const [first] = await store.recordInzage([{ teamId: 't1', caseId: zaak.id, door: lezer, wat: 'ketenkaart', op: at(1) }]);
      expect(first).toEqual({ id: expect.any(String), teamId: 't1', caseId: zaak.id, door: lezer, wat: 'ketenkaart', op: at(1) });
      await store.recordInzage([{ teamId: 't1', caseId: zaak.id, door: actor, wat: 'antwoord:u1', op: at(3) }]);
      await store.recordInzage([{ teamId: 't1', caseId: zaak.id, door: lezer, wat: 'duiding', op: at(2) }]);
      // Several at once (a view of many cases), each with its own id.
      const samen = await store.recordInzage([
        { teamId: 't1', caseId: other.id, door: lezer, wat: 'besluit', op: at(4) },
        { teamId: 't2', caseId: zaak.id, door: lezer, wat: 'besluit', op: at(5) },
      ]);
      expect(new Set(samen.map((i) => i.id)).size).toBe(2);

      expect((await store.listInzage('t1', zaak.id, 50)).map((i) => i.wat)).toEqual(['antwoord:u1', 'duiding', 'ketenkaart']);
      expect((await store.listInzage('t1', zaak.id, 2)).map((i) => i.op)).toEqual([at(3), at(2)]);
      expect((await store.listInzage('t1', other.id, 50)).map((i) => i.wat)).toEqual(['besluit']);
      expect((await store.listInzage('t2', zaak.id, 50)).map((i) => i.wat)).toEqual(['besluit']);
      expect(await store.listInzage('t1', 'nope', 50)).toEqual([]);
      expect(await store.getCase('t1', zaak.id)).toEqual(zaak);
      expect((await store.listEvents('t1', zaak.id)).map((e) => e.type)).toEqual(['zaak.gemarkeerd']);
    });

    it('purges cases closed before the retention cut-off with their events, jobs and reference, and keeps the rest', async () => {
      const close = (caseId: string, teamId = 't1') => service().change(teamId, caseId, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
      const old = await service().flag('t1', markering, actor);
      const recent = await service().flag('t1', { ...markering, reference: '13/222222-26' }, actor);
      const open = await service().flag('t1', { ...markering, reference: '13/333333-26' }, actor);
      const reopened = await service().flag('t2', markering, actor);
      await store.scheduleJobs([newJob(old, 'monitoring', 'm', new Date('2027-01-09T08:00:00Z'), new Date(now).toISOString())]);
      await store.recordInzage([{ teamId: 't1', caseId: old.id, door: actor, wat: 'ketenkaart', op: new Date(now).toISOString() }]);
      await store.recordInzage([{ teamId: 't1', caseId: recent.id, door: actor, wat: 'ketenkaart', op: new Date(now).toISOString() }]);
      await close(old.id);
      await close(reopened.id, 't2');
      now += 24 * 3_600_000;
      // A later change to a closed case does not restart its retention.
      await service().change('t1', old.id, actor, () => [{ type: 'principe.vastgelegd', data: { stap: 1, status: 'nvt', antwoorden: {}, reden: 'na sluiting' } }]);
      await service().change('t2', reopened.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gesloten', naar: 'monitoring' } }]);
      const cutOff = new Date(now).toISOString();
      now += 60_000;
      await close(recent.id);

      const gesloten = async () => (await store.listFollowUps('t1', { soort: 'gesloten', limit: 0 })).total;
      expect(await gesloten()).toBe(2);
      expect(await store.purgeClosedCases(cutOff, new Date(now).toISOString())).toBe(1);
      expect(await gesloten()).toBe(1);
      expect(await store.getCase('t1', old.id)).toBeUndefined();
      expect(await store.findCaseByReference('t1', markering.reference)).toBeUndefined();
      expect(await store.listEvents('t1', old.id)).toEqual([]);
      expect(await store.listJobs('t1', { caseId: old.id })).toEqual([]);
      expect(await store.listInzage('t1', old.id, 50)).toEqual([]);
      expect(await store.listInzage('t1', recent.id, 50)).toHaveLength(1);
      expect((await store.listCases('t1', { includeClosed: true })).map((z) => z.id).sort()).toEqual([recent.id, open.id].sort());
      expect((await store.getCase('t2', reopened.id))?.fase).toBe('monitoring');
      // The reference is free again, and a second run finds nothing more to purge.
      await expect(service().flag('t1', markering, actor)).resolves.toBeDefined();
      expect(await store.purgeClosedCases(cutOff, new Date(now).toISOString())).toBe(0);
      expect(await store.purgeClosedCases(new Date(now + 1).toISOString(), new Date(now + 1).toISOString())).toBe(1);
      expect(await store.getCase('t1', recent.id)).toBeUndefined();
      expect(await gesloten()).toBe(0);
    });

    it('purges a case without leaving its content behind, after scheduling the erasure of its messages by ids only', async () => {
      const zaak = await levenVanEenZaak(store, service());
      const kept = await service().flag('t1', { ...markering, reference: '13/888888-26', signaal: 'Blijft-MRK1t staan' }, actor);
      if (raw) expect((await raw(store)).join('\n')).toContain(MARKERS.leeropbrengst);

      now += 60_000;
      expect(await store.purgeClosedCases(new Date(now).toISOString(), new Date(now).toISOString())).toBe(1);
      const [wissing, ...others] = (await store.listJobs('t1')).filter((j) => j.kind === 'wissing');
      expect(others).toEqual([]);
      expect(wissing).toMatchObject({ caseId: '', ref: zaak.id, status: 'gepland', dueAt: new Date(now).toISOString(), berichten: BERICHTEN });
      const [claimed] = await store.claimDueJobs(new Date(now).toISOString(), 'a', new Date(now + 60_000).toISOString(), 5);
      expect(claimed?.id).toBe(wissing!.id);
      expect(await store.getCase('t1', kept.id)).toBeDefined();

      if (!raw) return;
      const left = await raw(store);
      const all = left.join('\n');
      const { leeropbrengst, ...inhoud } = MARKERS;
      for (const marker of Object.values(inhoud)) expect(all).not.toContain(marker);
      expect(all).not.toContain('13/777777-26');
      // The leeropbrengst stays in the learning record only, which does not name the case.
      const leer = left.filter((doc) => doc.includes(leeropbrengst));
      expect(leer).toHaveLength(1);
      expect(leer[0]).not.toContain(zaak.id);
      expect(leer[0]).not.toContain(THREAD);
      expect(all).toContain('Blijft-MRK1t');
      // What still names the case is its erasure job, and that holds ids only.
      const naming = left.filter((doc) => doc.includes(`"${zaak.id}"`));
      expect(naming).toHaveLength(1);
      expect(naming[0]).toContain('"kind":"wissing"');
    });

    it('erases a message posted for a case that was purged meanwhile (a send racing the purge) with a job of its own', async () => {
      const zaak = await levenVanEenZaak(store, service());
      now += 60_000;
      const moment = new Date(now).toISOString();
      expect(await store.purgeClosedCases(moment, moment)).toBe(1);
      const [purge] = (await store.listJobs('t1')).filter((j) => j.kind === 'wissing');
      await store.updateJob({ ...purge!, status: 'verzonden', version: purge!.version + 1 }, purge!.version);

      const laat = [{ conversationId: THREAD, messageId: 'laat-1' }];
      await store.recordMessages('t1', zaak.id, laat, moment);
      await store.recordMessages('t1', zaak.id, laat, moment);
      const jobs = (await store.listJobs('t1')).filter((j) => j.kind === 'wissing');
      expect(jobs.map((j) => [j.status, j.berichten])).toEqual([
        ['verzonden', BERICHTEN],
        ['gepland', laat],
      ]);
      const [claimed] = await store.claimDueJobs(moment, 'a', new Date(now + 60_000).toISOString(), 5);
      expect(claimed).toMatchObject({ kind: 'wissing', ref: zaak.id, berichten: laat });
      // Recorded for the case, it would wait for a purge that already ran: only the job names it.
      if (raw) expect((await raw(store)).filter((doc) => doc.includes('laat-1'))).toHaveLength(1);
      expect(await store.purgeClosedCases(moment, moment)).toBe(0);
      expect((await store.listJobs('t1')).filter((j) => j.kind === 'wissing')).toHaveLength(2);
    });

    it('writes a learning record with the closing, brings it up to date, and keeps it when the case is purged', async () => {
      const zaak = await levenVanEenZaak(store, service());
      const [regel, ...rest] = await store.listLeerregels('t1');
      expect(rest).toEqual([]);
      expect(regel).toMatchObject({ teamId: 't1', maand: '2026-11', gesloten: true, zaaktypes: ['jeugd'], patronen: ['oude_bekenden'], leeropbrengst: MARKERS.leeropbrengst });
      expect(regel!.partners).toEqual({ gevraagd: 1, beantwoord: 1, afgewezen: 0 });
      const tekst = JSON.stringify(regel);
      for (const naam of [zaak.id, zaak.reference, MARKERS.signaal, MARKERS.antwoord, MARKERS.duiding, 'Officier']) expect(tekst).not.toContain(naam);
      expect(await store.listLeerregels('t2')).toEqual([]);
      expect(await store.listLeerregels('t1', { vanaf: '2026-12' })).toEqual([]);

      // Reopened and closed again: the same record (same id), brought up to date.
      await service().change('t1', zaak.id, actor, () => [{ type: 'zaak.heropend', data: { reden: 'hermelding' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gesloten', naar: 'duiding' } }]);
      now += 40 * 86_400_000;
      await service().change('t1', zaak.id, actor, () => [{ type: 'zaak.gesloten', data: { leeropbrengst: 'Tweede les voor het team', uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'duiding', naar: 'gesloten' } }]);
      const bijgewerkt = await store.listLeerregels('t1');
      expect(bijgewerkt).toHaveLength(1);
      expect(bijgewerkt[0]).toMatchObject({ id: regel!.id, maand: '2027-01', leeropbrengst: 'Tweede les voor het team' });

      now += 60_000;
      expect(await store.purgeClosedCases(new Date(now).toISOString(), new Date(now).toISOString())).toBe(1);
      expect(await store.getCase('t1', zaak.id)).toBeUndefined();
      expect(await store.listLeerregels('t1')).toEqual(bijgewerkt);
    });

    it('purges learning records of months before the cut-off, across teams, and keeps the rest', async () => {
      const close = async (teamId: string, at: string) => {
        now = Date.parse(at);
        const zaak = await service().flag(teamId, { ...markering, reference: `13/${++n}-26` }, actor);
        await service().change(teamId, zaak.id, actor, () => [{ type: 'zaak.gesloten', data: { leeropbrengst: 'Wat we leerden van deze zaak', uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
      };
      await close('t1', '2026-01-20T10:00:00Z');
      await close('t2', '2026-01-31T10:00:00Z');
      await close('t1', '2026-02-01T10:00:00Z');
      expect(await store.purgeLeerregels('2026-02')).toBe(2);
      expect((await store.listLeerregels('t1')).map((r) => r.maand)).toEqual(['2026-02']);
      expect(await store.listLeerregels('t2')).toEqual([]);
      expect(await store.purgeLeerregels('2026-02')).toBe(0);
    });
  });
}
