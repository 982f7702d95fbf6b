import { afterEach, expect, it, vi } from 'vitest';
import type { Harness } from '../support/harness';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction } from '../support/activities';
import { text } from '../support/cards';
import { TEST_STORE_KIND } from '../support/cosmos';

/*
 * Bot instances on one SQLite file and one Teams, each with its own modules (so its own memory of
 * the cards it posted), each dispatcher driven by hand.
 */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function instantie(opties: Parameters<typeof import('../support/harness').startHarness>[0]): Promise<Harness> {
  vi.resetModules();
  const h = await (await import('../support/harness.js')).startHarness(opties);
  stops.push(() => h.stop());
  return h;
}

/** Instances a and b on one store and one Teams, and a case a flagged, with its thread and verdiepingskaart posted. */
async function gemarkeerdOpA(zaaknummer: string, signaal: string) {
  const a = await instantie({ dispatch: { mode: 'manual' } });
  // On SQLite a second connection to the same file; the Cosmos stand-in is one per module graph, so its store is shared.
  const zelfde = TEST_STORE_KIND === 'cosmos' ? { store: a.store } : { config: { SQLITE_PATH: a.sqlitePath } };
  const b = await instantie({ connector: a.connector, ...zelfde, dispatch: { mode: 'manual' } });
  a.connector.members = [OFFICIER, VEILIG_THUIS].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
  const form = { zaaknummer, zaaktypes: 'jeugd', signaal, betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1 };
  await a.post(cardAction(a, OFFICIER, Verb.markeringIndienen, form, 'flag-form'));
  const zaak = (await a.store.findCaseByReference(TEAM_ID, form.zaaknummer))!;
  const { rootMessageId: root, conversationId: thread } = zaak.thread!;
  await a.bot.dispatcher!.tick();
  const kaart = (await a.store.getCase(TEAM_ID, zaak.id))!.verdiepingskaartId!;
  /** Saves step 1 on instance h. */
  const stap1 = (h: Harness, basisVersie: number, zorgen: string) => h.post(cardAction(h, OFFICIER, Verb.principeOpslaan, { caseId: zaak.id, stap: 1, basisVersie, nvt: 'false', nvt_reden: '', v_zorgen: zorgen, v_tegenstrijdig: 'Feiten spreken elkaar tegen.' }, kaart, thread));
  /** How often a message was PUT. */
  const puts = (messageId: string) => a.connector.calls.filter((c) => c.kind === 'update' && c.activityId === messageId).length;
  return { a, b, zelfde, zaak, root, thread, kaart, stap1, puts };
}

it('puts a card again that this instance put before when another instance put a newer one since (the lead handed over and back)', async () => {
  const { a, b, zaak, root, thread, kaart, stap1, puts } = await gemarkeerdOpA('13/444555-26', 'Jongen (15) stal in een winkel; niet op school.');
  /** The casusregisseur the case card in Teams shows now (its root post, as last posted or put). */
  const getoond = () => {
    const zaakkaart = a.connector.cards().filter((c) => c.call.responseId === root || (c.call.kind === 'update' && c.call.activityId === root)).at(-1)!.card;
    return JSON.stringify(zaakkaart).match(/"title":"Casusregisseur","value":"([^"]*)"/)?.[1];
  };
  expect(getoond()).toBe(OFFICIER.name);

  // On instance b, the officier hands the casusregie to Veilig Thuis; b puts the case card.
  expect(text((await b.post(cardAction(b, OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: VEILIG_THUIS.id }, root, thread))).body.value)).toContain('overgedragen');
  await b.bot.dispatcher!.tick();
  expect(getoond()).toBe(VEILIG_THUIS.name);

  // On instance a, Veilig Thuis hands it back: the case card as a once put it, but b put another since.
  expect(text((await a.post(cardAction(a, VEILIG_THUIS, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: OFFICIER.id }, root, thread))).body.value)).toContain('overgedragen');
  await a.bot.dispatcher!.tick();
  expect((await a.store.getCase(TEAM_ID, zaak.id))!.lead.name).toBe(OFFICIER.name);
  expect(getoond()).toBe(OFFICIER.name);

  // One instance on its own does not put a card Teams already shows: a step revised changes only the verdiepingskaart.
  expect(text((await stap1(a, 0, 'Geen school.')).body.value)).toContain('is opgeslagen');
  await a.bot.dispatcher!.tick();
  const [root1, kaart1] = [puts(root), puts(kaart)];
  expect(text((await stap1(a, 1, 'Geen school, geen werk.')).body.value)).toContain('is opgeslagen');
  await a.bot.dispatcher!.tick();
  expect([puts(root), puts(kaart)]).toEqual([root1, kaart1 + 1]);
});

it('another instance, or one just started, puts only the cards that changed: the stale-views marker keeps what each message shows', async () => {
  const { a, b, zelfde, root, kaart, stap1, puts } = await gemarkeerdOpA('13/444556-26', 'Meisje (14) stal in een winkel; niet op school.');
  expect(text((await stap1(a, 0, 'Geen school.')).body.value)).toContain('is opgeslagen');
  await a.bot.dispatcher!.tick();
  const [root1, kaart1] = [puts(root), puts(kaart)];
  expect(kaart1).toBeGreaterThan(0);

  // b never put a card of this case, yet the case card it would put is the one Teams shows.
  expect(text((await stap1(b, 1, 'Geen school, geen werk.')).body.value)).toContain('is opgeslagen');
  await b.bot.dispatcher!.tick();
  expect([puts(root), puts(kaart)]).toEqual([root1, kaart1 + 1]);
  const laatste = () => JSON.stringify(a.connector.cards().filter((k) => k.call.kind === 'update' && k.call.activityId === kaart).at(-1)!.card);
  expect(laatste()).toContain('versie 2');

  // A third instance, started after both, knows it too.
  const c = await instantie({ connector: a.connector, ...zelfde, dispatch: { mode: 'manual' } });
  expect(text((await stap1(c, 2, 'Geen school, geen werk, geen vrienden.')).body.value)).toContain('is opgeslagen');
  await c.bot.dispatcher!.tick();
  expect([puts(root), puts(kaart)]).toEqual([root1, kaart1 + 2]);
  expect(laatste()).toContain('versie 3');
});
