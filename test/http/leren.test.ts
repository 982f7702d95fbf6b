import { afterEach, describe, expect, it } from 'vitest';
import type { Leeftijdsklasse, Patroon, Rol, Zaaktype } from '../../src/domain/catalogue';
import { ZaakService } from '../../src/domain/service';
import type { NewZaakEvent, Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, type User } from '../support/activities';
import { inputIds, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid } from '../support/toegang';

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
});
