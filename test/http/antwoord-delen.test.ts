import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { botInstalled, cardAction, mention, OFFICIER, TEAM_ID, VEILIG_THUIS, type User } from '../support/activities';
import { executes, submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';

const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const REFERENCE = '13/424242-26';
const ANTWOORD = 'Antwoord-VT-niet-gedeeld-Q7';
const REDEN = 'Reden-Halt-afwijzing-Q7';
const VERBORGEN = 'alleen zichtbaar voor de partner, de casusregisseur en de officieren';

describe('a partner\'s answer that is not shared, over HTTP', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  const act = async (u: User, verb: string, data: Record<string, unknown>, replyToId = zaak.thread!.rootMessageId) => (await h.post(cardAction(h, u, verb, data, replyToId, zaak.thread!.conversationId))).body;
  const current = async () => (zaak = (await h.store.getCase(TEAM_ID, zaak.id))!);
  /** Every part of the ketenkaart as this user gets it (the status card's Bekijken, then Volgende deel). */
  async function ketenkaart(u: User): Promise<string> {
    const voor = h.connector.calls.length;
    await h.post(mention(h, u, `ketenkaart ${REFERENCE}`));
    const status = h.connector.calls.slice(voor).map((c) => c.body?.attachments?.[0]?.content).find(Boolean);
    const bekijken = executes(status).find((a) => a.title === 'Bekijken')!;
    let alles = '';
    for (let deel = 1; ; deel++) {
      const kaart = (await act(u, bekijken.verb, { ...bekijken.data, deel })).value;
      alles += text(kaart);
      if (!executes(kaart).some((a) => a.title === 'Volgende deel')) return alles;
    }
  }

  beforeAll(async () => {
    h = await startHarness({ now: '2026-10-20T08:00:00Z', config: { OFFICIEREN: OFFICIER.aadObjectId } });
    h.connector.members = [OFFICIER, VEILIG_THUIS, HALT, WIJKAGENT].map(alsLid);
    await h.post(botInstalled(h, OFFICIER));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: REFERENCE, zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1 }, 'flag-form'));
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    for (const [partner, organisatie] of [[VEILIG_THUIS, 'veilig_thuis'], [HALT, 'halt']] as const) {
      const form = (await act(OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id })).value;
      await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { lid: partner.id, organisatie, vraag: `Is het gezin bij ${organisatie} bekend?`, waarom: 'Bepaalt de aanpak.' }), 'invite-form');
    }
    const [vt, halt] = (await current()).uitvragen;
    const vtForm = (await act(VEILIG_THUIS, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: vt!.id }, vt!.messageId)).value;
    await act(VEILIG_THUIS, Verb.uitvraagBeantwoorden, submit(vtForm, Verb.uitvraagBeantwoorden, { antwoord: ANTWOORD, bron: 'Eigen registratie', bekend: 'ja', gedeeld: 'false' }), vt!.messageId);
    const haltForm = (await act(HALT, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: halt!.id }, halt!.messageId)).value;
    await act(HALT, Verb.uitvraagAfwijzen, submit(haltForm, Verb.uitvraagAfwijzen, { afwijzing_soort: 'mag_niet_delen', afwijzing_reden: REDEN }), halt!.messageId);
    await verleenToegang(h, zaak.id, WIJKAGENT);
    expect((await current()).uitvragen.map((u) => [u.status, u.antwoord?.gedeeld])).toEqual([['beantwoord', false], ['afgewezen', undefined]]);
  });
  afterAll(async () => h.stop());

  it('shows in the ketenkaart each response only to who may read it: the partner, the casusregisseur and the officieren', async () => {
    const lead = await ketenkaart(OFFICIER);
    expect(lead).toContain(ANTWOORD);
    expect(lead).toContain(REDEN);
    const vt = await ketenkaart(VEILIG_THUIS);
    expect(vt).toContain(ANTWOORD);
    expect(vt).not.toContain(REDEN);
    expect(vt).toContain(`Niet beantwoord (${VERBORGEN})`);
    const halt = await ketenkaart(HALT);
    expect(halt).toContain(REDEN);
    expect(halt).not.toContain(ANTWOORD);
    expect(halt).toContain(`Beantwoord (${VERBORGEN})`);
    const wijkagent = await ketenkaart(WIJKAGENT);
    expect(wijkagent).not.toContain(ANTWOORD);
    expect(wijkagent).not.toContain(REDEN);
  });

  it('keeps it out of the duiding: the lead\'s form is not prefilled with it, so the duiding everyone on the case reads does not carry it', async () => {
    const form = (await act(OFFICIER, Verb.duidingDoorgaan, { caseId: zaak.id })).value;
    expect(JSON.stringify(form)).not.toContain(ANTWOORD);
    expect(JSON.stringify(form)).not.toContain(REDEN);
    await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: 'Zonder dagbesteding volgt een nieuw feit.', veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }), 'duiding-form');
    expect((await current()).duidingen).toHaveLength(1);
    expect(JSON.stringify(zaak.duidingen)).not.toContain(ANTWOORD);
    expect(JSON.stringify((await act(WIJKAGENT, Verb.duidingOpenen, { caseId: zaak.id })).value)).not.toContain(ANTWOORD);
    expect(await ketenkaart(WIJKAGENT)).not.toContain(ANTWOORD);
  });
});
