import { afterEach, describe, expect, it } from 'vitest';
import { passesElevenTest } from '../../src/domain/privacy';
import { oudeBekenden } from '../../src/domain/markering';
import { sknPseudoniem } from '../../src/bot/pseudoniem';
import type { Leeftijdsklasse, Patroon, Rol, Zaaktype } from '../../src/domain/catalogue';
import { ZaakService } from '../../src/domain/service';
import type { NewZaakEvent, Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention, type User } from '../support/activities';
import { executes, find, inputIds, submit, text } from '../support/cards';
import { storedBytes } from '../support/cosmos';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';
import { hermeldingVan } from '../../src/domain/leerregel';

const COLLEGA: User = { id: '29:collega', aadObjectId: 'aad-collega', name: 'Collega Jansen' };
const REFERENCE = '13/123456-26';
const flagForm = {
  zaaknummer: REFERENCE,
  zaaktypes: 'jeugd',
  signaal: 'Jongen (15) pakte voor de derde keer een telefoon uit een winkel; thuis is er een OTS.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: 'K.B.',
  betrokkene_0_leeftijd: '12-17',
  rijen: 1,
};

describe('casusoverstijgend leren over HTTP', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  let n = 0;

  const service = () => new ZaakService(h.store, h.clock, { next: () => `leer-${++n}` }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
  const act = (user: User, verb: string, data: Record<string, unknown>, replyToId = zaak.thread!.rootMessageId) => h.post(cardAction(h, user, verb, data, replyToId, zaak.thread!.conversationId));
  const connectorText = () => JSON.stringify(h.connector.calls.map((c) => c.body));

  /** An earlier case of the team, closed with a leeropbrengst (its learning record is written then). */
  async function eerdereZaak(i: number, types: Zaaktype[], rol: Rol, leeftijd: Leeftijdsklasse, patronen: Patroon[], hermelding: 'ja' | 'nee', leeropbrengst: string) {
    const s = service();
    const z = await s.flag(TEAM_ID, { reference: `13/90000${i}-26`, types, signaal: 'Eerder signaal', betrokkenen: [{ rol, leeftijd }] }, { id: OFFICIER.aadObjectId, name: OFFICIER.name });
    const change = (...events: NewZaakEvent[]) => s.change(TEAM_ID, z.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => events);
    await change({ type: 'duiding.vastgelegd', data: { patronen, perspectieven: [], tegenstrijdigheden: '', hypothesen: ['h'], instrumenten: [], veiligheid: [] } });
    await change({
      type: 'besluit.vastgelegd',
      data: { afdoening: 'halt', zorg: 'Gezinscoach', waaromMix: 'w', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [{ wat: 'Elke dag naar school', voorWie: 'hem', wanneer: '2027-01-01' }], acties: [], monitoring: ['2026-12-01'] },
    });
    await change({ type: 'monitoring.vastgelegd', data: { datum: '2026-12-01', hermelding, koersPassend: true, doelenBereikt: 'ja' } });
    await change({ type: 'zaak.gesloten', data: { leeropbrengst, uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'besluit', naar: 'gesloten' } });
  }

  async function start(config: Record<string, string> = {}) {
    h = await startHarness({ now: '2027-02-01T10:00:00Z', config });
    h.connector.members = [OFFICIER, VEILIG_THUIS, COLLEGA].map(alsLid);
  }

  async function flag(form: Record<string, unknown> = flagForm) {
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form, 'form-msg'));
    zaak = (await h.store.findCaseByReference(TEAM_ID, String(form.zaaknummer)))!;
    for (const stap of [2, 3]) await act(OFFICIER, Verb.principeOpslaan, { caseId: zaak.id, stap, nvt: 'true', nvt_reden: 'Alleen de verdachte is betrokken; alles is al bekend.' });
  }

  afterEach(async () => {
    await h.stop();
  });

  describe('lijkt op, on the duiding form', () => {
    it('shows the lead the most similar earlier cases, one line each with the overlap, and sends none of it to Teams', async () => {
      await start();
      await eerdereZaak(1, ['jeugd'], 'verdachte', '12-17', ['combinatieproblematiek'], 'ja', 'Gezinscoach eerder inzetten');
      await eerdereZaak(2, ['huiselijk_geweld'], 'slachtoffer', '23-64', ['partnerrelatie'], 'nee', 'Niets gemeen');
      await eerdereZaak(3, ['jeugd'], 'verdachte', '18-22', [], 'nee', 'School meteen betrekken');
      await flag();
      h.connector.reset();

      const form = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
      expect(inputIds(form)).toContain('hypothese_0');
      const t = text(form);
      expect(t).toContain('Lijkt deze zaak op een eerdere?');
      // Best first: the earlier boy of 12–17 shares the age band too.
      const eerste = t.indexOf('Halt-interventie met zorg; hermelding: ja; geleerd: Gezinscoach eerder inzetten');
      const tweede = t.indexOf('Halt-interventie met zorg; hermelding: nee; geleerd: School meteen betrekken');
      expect(eerste).toBeGreaterThan(0);
      expect(tweede).toBeGreaterThan(eerste);
      expect(t).toContain('ook: jeugd, verdachte, 12–17 jaar');
      // Sharing nothing with this case, the domestic-violence case is not listed.
      expect(t).not.toContain('Niets gemeen');
      // The lines are in the invoke answer only: nothing of them was posted or updated in Teams.
      expect(connectorText()).not.toContain('Gezinscoach eerder inzetten');
      expect(connectorText()).not.toContain('School meteen betrekken');
    });

    it('shows nothing of it to a team member who is not betrokken on the case', async () => {
      await start();
      await eerdereZaak(1, ['jeugd'], 'verdachte', '12-17', ['combinatieproblematiek'], 'ja', 'Gezinscoach eerder inzetten');
      await flag();
      const res = await act(COLLEGA, Verb.duidingOpenen, { caseId: zaak.id });
      expect(JSON.stringify(res.body)).not.toContain('Gezinscoach eerder inzetten');
      expect(inputIds(res.body.value ?? {})).not.toContain('hypothese_0');
    });
  });

  describe('hermelding → herhaalzaak', () => {
    const HYPOTHESE_A = 'Hij steelt om mee te kunnen doen met zijn vrienden; een sportclub geeft hem dat ook.';
    const SIGNAAL_B = 'Dezelfde jongen is opnieuw aangehouden, nu voor een beroving samen met twee oudere jongens.';

    /** Case A, flagged over HTTP, with a duiding and a besluit (monitoring on 2027-02-01), and its monitoring answered "hermelding: ja". */
    async function hermeldingOpA() {
      await start();
      await flag();
      const s = service();
      const door = { id: OFFICIER.aadObjectId, name: OFFICIER.name };
      await s.change(TEAM_ID, zaak.id, door, () => [
        { type: 'duiding.vastgelegd', data: { patronen: ['combinatieproblematiek'], perspectieven: [], tegenstrijdigheden: '', hypothesen: [HYPOTHESE_A], instrumenten: [], veiligheid: [] } },
      ]);
      await s.change(TEAM_ID, zaak.id, door, () => [
        {
          type: 'besluit.vastgelegd',
          data: { afdoening: 'halt', zorg: 'Sportcoach via het wijkteam', waaromMix: 'w', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [{ wat: 'Twee keer per week naar de voetbaltraining', voorWie: 'hem', wanneer: '2027-03-01' }], acties: [], monitoring: ['2027-02-01', '2027-04-01'] },
        },
      ]);
      return act(OFFICIER, Verb.monitoringVastleggen, { caseId: zaak.id, datum: '2027-02-01', hermelding: 'ja', hermelding_wat: 'Opnieuw aangehouden voor een beroving.', koers: 'ja', toelichting: '' }, 'monitoring-msg');
    }

    it('offers the lead a new case, prefilled from the earlier one without initials or signaal, linked to it; step 6 asks why it repeated', async () => {
      const res = await hermeldingOpA();
      const a = zaak;
      const monitoring = res.body.value;
      expect(text(monitoring)).toContain('Nieuwe verdiepingszaak starten?');
      const knop = executes(monitoring).find((x) => x.verb === Verb.herhaalzaakOpenen)!;
      expect(knop.data).toEqual({ caseId: a.id });
      // The card everyone sees (the answered card's status) does not offer it.
      expect(JSON.stringify(h.connector.cards().map((c) => c.card))).not.toContain(Verb.herhaalzaakOpenen);

      const form = (await act(OFFICIER, Verb.herhaalzaakOpenen, { caseId: a.id }, 'monitoring-msg')).body.value;
      const waarde = (id: string) => find(form, (n) => n.id === id)[0]?.value;
      expect(waarde('zaaktypes')).toBe('jeugd');
      expect(waarde('betrokkene_0_rol')).toBe('verdachte');
      expect(waarde('betrokkene_0_leeftijd')).toBe('12-17');
      expect(waarde('betrokkene_0_initialen')).toBe('');
      expect(waarde('signaal')).toBe('');
      expect(waarde('zaaknummer')).toBe('');
      expect(JSON.stringify(form)).not.toContain('K.B.');
      expect(JSON.stringify(form)).not.toContain('telefoon');

      await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, submit(form, Verb.markeringIndienen, { zaaknummer: '13/654321-27', signaal: SIGNAAL_B }), 'form-msg'));
      const b = (await h.store.findCaseByReference(TEAM_ID, '13/654321-27'))!;
      expect(b.herhaalVan).toBe(a.id);
      expect(b.types).toEqual(['jeugd']);
      expect(b.betrokkenen).toEqual([{ rol: 'verdachte', leeftijd: '12-17' }]);

      // Step 6 of the new case: the extra question, and the earlier duiding and besluit for its betrokkenen.
      zaak = b;
      const stap6 = (await act(OFFICIER, Verb.principeOpenen, { caseId: b.id, stap: 6 })).body.value;
      expect(find(stap6, (n) => n.label === 'Waarom heeft de herhaling zich voorgedaan?')).toHaveLength(1);
      expect(text(stap6)).toContain(`Eerdere zaak ${REFERENCE}`);
      expect(text(stap6)).toContain(HYPOTHESE_A);
      expect(text(stap6)).toContain('Halt-interventie');
      expect(text(stap6)).toContain('Twee keer per week naar de voetbaltraining');
      const opgeslagen = await act(OFFICIER, Verb.principeOpslaan, { caseId: b.id, stap: 6, basisVersie: 0, v_herhaling: 'De sportclub kwam er niet: wachtlijst van een half jaar.' });
      expect(text(opgeslagen.body.value)).toContain('Stap 6 is opgeslagen');
      expect((await h.store.getCase(TEAM_ID, b.id))!.principes[6]!.antwoorden.herhaling).toBe('De sportclub kwam er niet: wachtlijst van een half jaar.');
      // Step 6 of the earlier case does not ask it.
      zaak = a;
      const stap6a = (await act(OFFICIER, Verb.principeOpenen, { caseId: a.id, stap: 6 })).body.value;
      expect(find(stap6a, (n) => n.label === 'Waarom heeft de herhaling zich voorgedaan?')).toHaveLength(0);

      // A team member not betrokken on the new case sees none of the earlier case.
      zaak = b;
      const geweigerd = await act(COLLEGA, Verb.principeOpenen, { caseId: b.id, stap: 6 });
      expect(JSON.stringify(geweigerd.body)).not.toContain(HYPOTHESE_A);

      // The learning records: the first case counts the hermelding, the second is a repeat.
      const regels = await h.store.listLeerregels(TEAM_ID);
      const idA = (await h.store.getCase(TEAM_ID, a.id))!.leerregelId;
      const regelA = regels.find((r) => r.id === idA)!;
      expect(hermeldingVan(regelA)).toBe('ja');
      const door = { id: OFFICIER.aadObjectId, name: OFFICIER.name };
      const gesloten = await service().change(TEAM_ID, b.id, door, () => [{ type: 'zaak.gesloten', data: { leeropbrengst: 'Wachtlijsten meewegen.', uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
      expect((await h.store.listLeerregels(TEAM_ID)).find((r) => r.id === gesloten.leerregelId)).toMatchObject({ herhaling: true });
    });

    it('refuses a link to an earlier case the actor does not lead, and stores nothing', async () => {
      await hermeldingOpA();
      const a = zaak;
      await verleenToegang(h, a.id, VEILIG_THUIS);
      // Betrokken on A, but not its lead: no button, and a forged submit is refused.
      const knop = await act(VEILIG_THUIS, Verb.herhaalzaakOpenen, { caseId: a.id }, 'monitoring-msg');
      expect(inputIds(knop.body.value ?? {})).not.toContain('zaaknummer');
      for (const wie of [VEILIG_THUIS, COLLEGA]) {
        const res = await h.post(cardAction(h, wie, Verb.markeringIndienen, { ...flagForm, zaaknummer: '13/777777-27', betrokkene_0_initialen: '', herhaalVan: a.id }, 'form-msg'));
        expect(JSON.stringify(res.body)).toContain('Er is niets opgeslagen');
      }
      const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...flagForm, zaaknummer: '13/777777-27', herhaalVan: 'zaak-bestaat-niet' }, 'form-msg'));
      expect(JSON.stringify(res.body)).toContain('Er is niets opgeslagen');
      expect(await h.store.findCaseByReference(TEAM_ID, '13/777777-27')).toBeUndefined();
      expect(h.logs.filter((l) => l.msg === 'repeat case refused: earlier case unknown or not led by the actor')).toHaveLength(3);
    });
  });

  describe('oude bekenden, without storing numbers', () => {
    const SLEUTEL = 'test-sleutel-van-minstens-tweeendertig-tekens-lang';
    // An SKN that also passes the BSN 11-test: accepted here, never refused as a BSN.
    const SKN = '123456782';
    const bytes = () => storedBytes(h.sqlitePath);
    const metSkn = (zaaknummer: string, skn: string, initialen = '') => ({ ...flagForm, zaaknummer, betrokkene_0_initialen: initialen, betrokkene_0_skn: skn });

    it('asks for an SKN only with the setting, keeps only its keyed hash, and tells only the flagger of the earlier case', async () => {
      expect(passesElevenTest(SKN)).toBe(true);
      await start({ PSEUDONIEM_SLEUTEL: SLEUTEL });
      const leeg = await h.post(mention(h, OFFICIER, 'verdiep'));
      expect(leeg.status).toBe(200);
      const formulier = h.connector.cards().at(-1)!.card;
      expect(inputIds(formulier)).toContain('betrokkene_0_skn');

      await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/111111-26', '1234 567 82'), 'form-msg'));
      const eerste = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
      expect(eerste.betrokkenen[0]!.sknHash).toMatch(/^[0-9a-f]{64}$/);
      h.connector.reset();
      const tweede = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/222222-26', SKN), 'form-msg'));
      expect(text(tweede.body.value)).toContain('Let op, alleen voor jou: een betrokkene van deze zaak was eerder betrokken bij zaak 13/111111-26.');
      // Not in the channel: nothing sent or updated names the earlier case.
      expect(connectorText()).not.toContain('13/111111-26');
      expect(h.logs.find((l) => l.msg === 'case flagged' && l.oudeBekenden === 1)).toBeDefined();
      // Naming it is a view of the earlier case, on its inzage.
      expect((await h.store.listInzage(TEAM_ID, eerste.id, 50)).filter((r) => r.wat === 'oude-bekende').map((r) => r.door.id)).toEqual([OFFICIER.aadObjectId]);

      // A different SKN matches nothing.
      const derde = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/333333-26', '987654321'), 'form-msg'));
      expect(text(derde.body.value)).not.toContain('eerder betrokken');

      // The number is nowhere in the store's bytes (main file and WAL), nor in any log line.
      for (const vorm of [SKN, '1234 567 82']) {
        expect((await bytes()).includes(Buffer.from(vorm))).toBe(false);
        expect(JSON.stringify(h.logs)).not.toContain(vorm);
      }
    });

    it('names an earlier case only to someone who may read it', async () => {
      await start({ PSEUDONIEM_SLEUTEL: SLEUTEL });
      await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/111111-26', SKN), 'form-msg'));
      const eerste = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
      // A teamlid not on the earlier case learns nothing of it: an SKN is no way to probe a person's past.
      const tweede = await h.post(cardAction(h, VEILIG_THUIS, Verb.markeringIndienen, metSkn('13/222222-26', SKN), 'form-msg'));
      expect(JSON.stringify(tweede.body)).toContain('zaakgesprek');
      expect(JSON.stringify(tweede.body)).not.toContain('13/111111-26');
      expect(h.logs.find((l) => l.msg === 'case flagged' && l.caseId !== eerste.id)).toMatchObject({ oudeBekenden: 0 });
      expect(await h.store.listInzage(TEAM_ID, eerste.id, 50)).toEqual([]);

      // With access to the earlier case, the same teamlid is told of both earlier cases (it leads the second).
      await verleenToegang(h, eerste.id, VEILIG_THUIS);
      const derde = await h.post(cardAction(h, VEILIG_THUIS, Verb.markeringIndienen, metSkn('13/333333-26', SKN), 'form-msg'));
      expect(text(derde.body.value)).toContain('eerder betrokken bij zaak 13/111111-26, 13/222222-26.');
      expect((await h.store.listInzage(TEAM_ID, eerste.id, 50)).map((r) => [r.door.id, r.wat])).toEqual([[VEILIG_THUIS.aadObjectId, 'oude-bekende']]);
    });

    it('finds nothing under another key', async () => {
      await start({ PSEUDONIEM_SLEUTEL: SLEUTEL });
      await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/111111-26', SKN), 'form-msg'));
      const nieuw = (sleutel: string) => ({ id: 'nieuw', teamId: TEAM_ID, betrokkenen: [{ rol: 'verdachte' as const, leeftijd: '12-17' as const, sknHash: sknPseudoniem(sleutel, TEAM_ID)(SKN) }] });
      expect((await oudeBekenden(h.store, nieuw(SLEUTEL))).map((b) => b.reference)).toEqual(['13/111111-26']);
      expect(await oudeBekenden(h.store, nieuw(`${SLEUTEL}-ander`))).toEqual([]);
      // Nor in another team under the same key.
      expect(sknPseudoniem(SLEUTEL, '19:ander-team@thread.tacv2')(SKN)).not.toBe(nieuw(SLEUTEL).betrokkenen[0]!.sknHash);
    });

    it('without the setting, shows no SKN field and ignores a forged one', async () => {
      await start();
      await h.post(mention(h, OFFICIER, 'verdiep'));
      expect(inputIds(h.connector.cards().at(-1)!.card)).not.toContain('betrokkene_0_skn');
      await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/111111-26', SKN), 'form-msg'));
      const zaakZonder = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
      expect(zaakZonder.betrokkenen[0]).toEqual({ rol: 'verdachte', leeftijd: '12-17' });
      expect((await bytes()).includes(Buffer.from(SKN))).toBe(false);
    });

    it('refuses an SKN that is not 8 or 9 digits, with a message, and stores nothing', async () => {
      await start({ PSEUDONIEM_SLEUTEL: SLEUTEL });
      const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/111111-26', 'jan@example.nl'), 'form-msg'));
      expect(text(res.body.value)).toContain('Een strafrechtsketennummer bestaat uit 8 of 9 cijfers');
      expect(await h.store.findCaseByReference(TEAM_ID, '13/111111-26')).toBeUndefined();
    });

    it('lets the hashes go with the case at retention', async () => {
      await start({ PSEUDONIEM_SLEUTEL: SLEUTEL, BEWAARTERMIJN_DAGEN: '1' });
      await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, metSkn('13/111111-26', SKN), 'form-msg'));
      const z = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
      const hash = z.betrokkenen[0]!.sknHash!;
      expect((await bytes()).includes(Buffer.from(hash))).toBe(true);
      await service().change(TEAM_ID, z.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => [{ type: 'zaak.gesloten', data: { leeropbrengst: 'Klaar.', uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
      const later = new Date(Date.parse('2027-02-10T10:00:00Z')).toISOString();
      expect(await h.store.purgeClosedCases(later, later)).toBe(1);
      expect((await bytes()).includes(Buffer.from(hash))).toBe(false);
    });
  });
});
