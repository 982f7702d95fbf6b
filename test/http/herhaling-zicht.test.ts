import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { botInstalled, cardAction, OFFICIER, TEAM_ID, VEILIG_THUIS, type User } from '../support/activities';
import { submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';

const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const HYPOTHESE = 'Eerdere-hypothese-Z4';

describe('step 6 of a repeat case, over HTTP', () => {
  let h: Harness;
  let eerder: Verdiepingszaak;
  let herhaling: Verdiepingszaak;
  const act = async (u: User, verb: string, data: Record<string, unknown>) => (await h.post(cardAction(h, u, verb, data, 'card-msg'))).body;
  const flag = (zaaknummer: string, extra: Record<string, unknown> = {}) =>
    act(OFFICIER, Verb.markeringIndienen, { zaaknummer, zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1, ...extra });

  beforeAll(async () => {
    h = await startHarness({ now: '2026-10-20T08:00:00Z', config: { OFFICIEREN: OFFICIER.aadObjectId } });
    h.connector.members = [OFFICIER, VEILIG_THUIS, WIJKAGENT].map(alsLid);
    await h.post(botInstalled(h, OFFICIER));
    await flag('13/111111-26');
    eerder = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
    const form = (await act(OFFICIER, Verb.duidingDoorgaan, { caseId: eerder.id })).value;
    await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: HYPOTHESE, veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }));
    await flag('13/222222-26', { herhaalVan: eerder.id });
    herhaling = (await h.store.findCaseByReference(TEAM_ID, '13/222222-26'))!;
    expect(herhaling.herhaalVan).toBe(eerder.id);
    await verleenToegang(h, herhaling.id, WIJKAGENT);
  });
  afterAll(async () => h.stop());

  it('shows the earlier case only to who may read that case too, and records that view on the earlier case', async () => {
    const inzageEerder = async () => (await h.store.listInzage(TEAM_ID, eerder.id, 50)).map((i) => `${i.door.name}: ${i.wat}`);
    const voor = await inzageEerder();
    // Given access to the new case only: its step 6 without the earlier case's content.
    expect(text((await act(WIJKAGENT, Verb.zaakBekijken, { caseId: eerder.id, kaart: 'zaakkaart' })).value)).toContain('Beperkt zichtbaar');
    const alsWijkagent = text((await act(WIJKAGENT, Verb.principeOpenen, { caseId: herhaling.id, stap: 6 })).value);
    expect(alsWijkagent).not.toContain(HYPOTHESE);
    expect(alsWijkagent).not.toContain('Eerdere zaak 13/111111-26');
    expect(await inzageEerder()).toEqual(voor);
    // The lead of both reads it there, and that view is on the earlier case's inzage.
    expect(text((await act(OFFICIER, Verb.principeOpenen, { caseId: herhaling.id, stap: 6 })).value)).toContain(HYPOTHESE);
    expect((await inzageEerder()).sort()).toEqual([`${OFFICIER.name}: eerdere-zaak`, ...voor].sort());
  });
});
