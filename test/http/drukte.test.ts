import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaakService } from '../../src/domain/service';
import { kaartGeplaatst, uitnodigen } from '../../src/domain/uitvraag';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, cardAction, type User } from '../support/activities';
import { submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { TEST_STORE_KIND } from '../support/cosmos';

/*
 * Fifty invited partners answer their own question on one case at the same moment, each with an
 * Action.Execute over HTTP, as Teams sends it. Every answer must be stored and every partner must
 * get the confirmation, not the apology. The answer turn's time is measured and reported, not
 * asserted (the machine is shared).
 */

const PARTNERS = 50;
const REFERENCE = '13/555000-26';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe(`many answers on one case at once (${TEST_STORE_KIND})`, () => {
  let h: Harness;
  let zaak: Verdiepingszaak;

  beforeEach(async () => {
    h = await startHarness();
    await h.post(
      cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: REFERENCE, zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1 }, 'flag-form'),
    );
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
  });
  afterEach(async () => {
    await h.stop();
  });

  it('stores all fifty answers when fifty partners answer at the same moment, and apologises to none', { timeout: 120_000 }, async () => {
    const partners: User[] = Array.from({ length: PARTNERS }, (_, i) => ({ id: `29:partner-${i + 1}`, aadObjectId: `aad-partner-${i + 1}`, name: `Partner ${String(i + 1).padStart(2, '0')}` }));
    h.connector.members = [OFFICIER, ...partners].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    // The invitations are recorded as the invitation flow records them (that flow has its own tests).
    const service = new ZaakService(h.store, h.clock, { next: () => 'unused' }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
    const lead = { id: OFFICIER.aadObjectId, name: OFFICIER.name, teamsId: OFFICIER.id };
    const deadline = new Date(h.clock.now().getTime() + 7_200_000).toISOString();
    for (const [i, user] of partners.entries()) {
      const uitvraagId = `vraag-${i + 1}`;
      const invitee = { id: user.aadObjectId, name: user.name, teamsId: user.id };
      await service.change(TEAM_ID, zaak.id, lead, (z) =>
        uitnodigen(z, [OFFICIER.aadObjectId], { invitee, organisatie: 'wijkteam', vraag: `Vraag ${i + 1}: is het gezin bij jullie bekend?`, waarom: 'Bepaalt welke zorg we naast de straf inzetten.', deadline }, uitvraagId),
      );
      await service.change(TEAM_ID, zaak.id, lead, (z) => kaartGeplaatst(z, uitvraagId, `prompt-${i + 1}`));
    }
    const thread = zaak.thread!.conversationId;
    // Each partner's own view of their prompt card (the refresh Teams sends when they look at it).
    const forms = await Promise.all(
      partners.map(async (user, i) => {
        const activity = cardAction(h, user, Verb.uitvraagVernieuwen, { caseId: zaak.id, uitvraagId: `vraag-${i + 1}` }, `prompt-${i + 1}`, thread);
        return (await h.post({ ...activity, value: { ...activity.value, trigger: 'automatic' } })).body.value;
      }),
    );

    const durations: number[] = [];
    const responses = await Promise.all(
      partners.map(async (user, i) => {
        const start = performance.now();
        const res = await h.post(cardAction(h, user, Verb.uitvraagBeantwoorden, submit(forms[i], Verb.uitvraagBeantwoorden, { antwoord: `Antwoord van ${user.name}`, bron: 'Eigen registratie', bekend: 'nee' }), `prompt-${i + 1}`, thread));
        durations.push(performance.now() - start);
        return res;
      }),
    );

    const apologies = responses.filter((r) => r.status !== 200 || !text(r.body?.value).includes('Je antwoord is opgeslagen'));
    const stored = (await h.store.getCase(TEAM_ID, zaak.id))!;
    const sorted = durations.sort((a, b) => a - b);
    console.info(
      `[drukte ${TEST_STORE_KIND}] ${PARTNERS} answers: p50 ${Math.round(percentile(sorted, 50))} ms, p99 ${Math.round(percentile(sorted, 99))} ms, max ${Math.round(sorted.at(-1)!)} ms; apologies ${apologies.length}`,
    );
    expect(apologies).toEqual([]);
    expect(stored.uitvragen.map((u) => [u.status, u.antwoord?.tekst, u.antwoord?.door.id])).toEqual(partners.map((user) => ['beantwoord', `Antwoord van ${user.name}`, user.aadObjectId]));
    expect((await h.store.listEvents(TEAM_ID, zaak.id)).filter((e) => e.type === 'uitvraag.beantwoord')).toHaveLength(PARTNERS);
  });
});
