import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KAART_MAX_BYTES } from '../../cards/ketenkaart';
import { ALLEEN_OFFICIER_AFDOENING } from '../../src/domain/besluit';
import { ZaakService } from '../../src/domain/service';
import type { NewZaakEvent, Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention, personalMessage, type User } from '../support/activities';
import { executes, find, inputIds, submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';

const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const WIJKTEAM: User = { id: '29:wt', aadObjectId: 'aad-wt', name: 'Wijkteam Smit' };
const OVJ: User = { id: '29:ovj', aadObjectId: 'aad-ovj', name: 'Officier Bakker' };
const BUITENSTAANDER: User = { id: '29:extern', aadObjectId: 'aad-extern', name: 'Gast Extern' };

const REFERENCE = '13/123456-26';
const flagForm = {
  zaaknummer: REFERENCE,
  zaaktypes: 'lvb',
  signaal: 'Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen: moeder overleden, zwager met een beroerte.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: 'J.D.',
  betrokkene_0_leeftijd: '23-64',
  rijen: 1,
};

const HYPOTHESE = 'Het stelen komt voort uit het weggevallen netwerk: met een maatje en hulp bij boodschappen stopt het.';

describe('duiding, besluit and closing over HTTP', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  let thread: string;

  const act = (user: User, verb: string, data: Record<string, unknown>, replyToId = zaak.thread!.rootMessageId) => h.post(cardAction(h, user, verb, data, replyToId, thread));
  const current = async () => (await h.store.getCase(TEAM_ID, zaak.id))!;
  const threadCards = () => h.connector.cards('send').filter((c) => c.call.conversationId === thread);
  const lastThreadCard = () => threadCards().at(-1)!.card;
  const caseCardUpdates = () => h.connector.cards('update').filter((c) => c.call.activityId === zaak.thread!.rootMessageId);
  const service = () => new ZaakService(h.store, h.clock, { next: () => `test-${Math.random().toString(36).slice(2)}` }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
  const recordAs = (user: User, ...changes: NewZaakEvent[]) => service().change(TEAM_ID, zaak.id, { id: user.aadObjectId, name: user.name }, () => changes);

  async function start(now: string) {
    h = await startHarness({ now, config: { OFFICIEREN: `${OFFICIER.aadObjectId},${OVJ.aadObjectId}` } });
    h.connector.members = [OFFICIER, WIJKAGENT, WIJKTEAM, OVJ, VEILIG_THUIS].map(alsLid);
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, flagForm, 'form-msg'));
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    thread = zaak.thread!.conversationId;
    // The officier who flagged it leads the case; Veilig Thuis was given access (a betrokken professional, not a lead).
    await verleenToegang(h, zaak.id, VEILIG_THUIS);
  }

  /** Marks principle steps 2 and 3 as looked at, through the walkthrough's own form. */
  async function lookAtSteps2And3() {
    for (const stap of [2, 3]) {
      await act(OFFICIER, Verb.principeOpslaan, { caseId: zaak.id, stap, nvt: 'true', nvt_reden: 'Alleen de verdachte is betrokken; alles is al bekend.' });
    }
    expect(Object.keys((await current()).principes).sort()).toEqual(['2', '3']);
  }

  /** Opens the duiding form (steps 2 and 3 looked at) for the acting user only, and returns it. */
  async function openDuiding(user: User = OFFICIER) {
    const posted = threadCards().length;
    const res = await act(user, Verb.duidingOpenen, { caseId: zaak.id });
    expect(inputIds(res.body.value)).toContain('hypothese_0');
    expect(threadCards()).toHaveLength(posted);
    return res.body.value;
  }

  async function recordDuiding(user: User = OFFICIER, hypothese = HYPOTHESE) {
    const form = await openDuiding(user);
    const res = await act(user, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: hypothese, veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }), 'duiding-form');
    expect(text(res.body.value)).toContain('Duiding');
    return res;
  }

  const besluitValues = {
    vrijheidsbeneming: 'heenzenden',
    strafrechtelijk: 'beleidssepot',
    interventies: 'maatje_wmo,huisbezoek_wijkagent',
    zorg: 'WMO-ouderenmaatje; wijkteam komt twee keer per week.',
    waarom_mix: 'Straf helpt niet tegen een weggevallen netwerk; zorg wel. De winkel doet mee.',
    tijdstrategie: 'versnellen',
    tijdstrategie_reden: 'Hij eet nu al niet goed.',
    doel_0_wat: 'Hij doet twee keer per week samen met een maatje boodschappen',
    doel_0_voorwie: 'Verdachte (61)',
    doel_0_wanneer: '2026-11-30',
    actie_0_wat: 'Huisbezoek met ouderenwerker',
    actie_0_eigenaar: WIJKAGENT.aadObjectId,
    actie_0_datum: '2026-10-23',
    actie_1_wat: 'Maatje aanvragen via de WMO',
    actie_1_eigenaar: WIJKTEAM.aadObjectId,
    actie_1_datum: '2026-10-27',
  };

  /** Opens the besluit form for the acting user only, and returns it. */
  async function openBesluit(user: User = OFFICIER) {
    const posted = threadCards().length;
    const res = await act(user, Verb.besluitOpenen, { caseId: zaak.id });
    expect(inputIds(res.body.value)).toEqual(expect.arrayContaining(['vrijheidsbeneming', 'strafrechtelijk', 'interventies']));
    expect(threadCards()).toHaveLength(posted);
    return res.body.value;
  }

  /** The policy's refusal for an action only the case lead or an officier may take. */
  const ALLEEN_REGIE = 'Dit kan alleen de casusregisseur (Officier Van Dijk) of een officier van justitie. Er is niets opgeslagen.';

  afterEach(async () => {
    await h.stop();
  });

  describe('the duiding', () => {
    beforeEach(async () => start('2026-10-20T10:00:00Z'));

    it('says plainly that steps 2 and 3 were skipped and asks for confirmation before the form', async () => {
      const posted = threadCards().length;
      const res = await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id });
      const warning = res.body.value;
      expect(text(warning)).toContain('Stap 2 (Alle betrokkenen in beeld) en stap 3 (Gerichte contextinformatie) zijn nog niet bekeken');
      expect(threadCards()).toHaveLength(posted);
      expect(executes(warning).map((a) => a.title)).toEqual(['Toch doorgaan', 'Terug']);
      expect(inputIds(warning)).toEqual([]);

      const terug = await act(OFFICIER, Verb.duidingTerug, { caseId: zaak.id }, 'warning-msg');
      expect(text(terug.body.value)).toContain('Kijk eerst naar stap 2');
      expect(executes(terug.body.value)).toEqual([]);

      const doorgaan = await act(OFFICIER, Verb.duidingDoorgaan, { caseId: zaak.id }, 'warning-msg');
      expect(inputIds(doorgaan.body.value)).toContain('hypothese_0');
      expect(h.logs.some((l) => l.msg === 'duiding started without principle steps 2 and 3' && l.caseId === zaak.id)).toBe(true);
    });

    it('shows the form at once when steps 2 and 3 were looked at, pre-filled with the partners\' shared answers (not with what a partner did not share, also not for the lead)', async () => {
      await lookAtSteps2And3();
      const vt = { id: VEILIG_THUIS.aadObjectId, name: VEILIG_THUIS.name, teamsId: VEILIG_THUIS.id };
      await recordAs(
        VEILIG_THUIS,
        { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Is hij bij jullie bekend?', waarom: 'Oude bekende?', deadline: '2026-10-20T12:00:00Z' } },
        { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Eén melding van vervuiling in huis, 2024.', bron: 'VT-registratie', bekend: 'ja', gedeeld: true } },
        { type: 'uitvraag.verstuurd', data: { id: 'u2', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Loopt er hulp?', waarom: 'Dubbel werk voorkomen', deadline: '2026-10-20T12:00:00Z' } },
        { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u2', tekst: 'Ja, een gezinscoach-VERTROUWELIJK.', bron: 'VT-registratie', bekend: 'ja', gedeeld: false } },
      );
      const form = await openDuiding();
      const perspectief = find(form, (n) => n.id === 'perspectief_0_tekst')[0];
      expect(perspectief.value).toContain('Eén melding van vervuiling in huis, 2024.');
      expect(perspectief.value).toContain('Loopt er hulp? → beantwoord (alleen zichtbaar voor de casusregisseur en de officieren)');
      expect(JSON.stringify(form)).not.toContain('gezinscoach-VERTROUWELIJK');
      expect(find(form, (n) => n.id === 'perspectief_0_organisatie')[0].value).toBe('veilig_thuis');
    });

    it('refuses a duiding without a hypothesis, with a message, and stores nothing', async () => {
      await lookAtSteps2And3();
      const form = await openDuiding();
      const res = await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig' }), 'duiding-form');
      expect(text(res.body.value)).toContain('Stel ten minste één toetsbare hypothese op');
      expect((await current()).duidingen).toEqual([]);
      expect((await current()).fase).toBe('gemarkeerd');
    });

    it('records the duiding: phase duiding, a compact summary in the thread, the case card updated', async () => {
      await lookAtSteps2And3();
      h.connector.reset();
      const res = await recordDuiding();
      // The actor sees the whole summary; the thread gets a notice with who and when, not what.
      const summary = text(res.body.value);
      expect(summary).toContain(`Duiding ${REFERENCE} vastgelegd`);
      expect(summary).toContain(HYPOTHESE);
      expect(summary).toContain('Zorgelijk → Veilig');
      expect(threadCards()).toHaveLength(1);
      const notice = text(lastThreadCard());
      expect(notice).toContain('Duiding vastgelegd');
      expect(notice).toContain(`Zaak ${REFERENCE}`);
      expect(notice).toContain('Versie 1 door Officier Van Dijk, di 20 okt 2026, 12:00.');
      expect(notice).not.toContain('blikjes cola');
      expect(notice).not.toContain('netwerk');
      expect(executes(lastThreadCard())).toMatchObject([{ title: 'Bekijken', verb: Verb.zaakBekijken, data: { caseId: zaak.id, kaart: 'zaakkaart' } }]);
      expect(h.connector.calls.filter((c) => c.kind === 'update' && c.activityId === 'duiding-form')).toEqual([]);
      const events = await h.store.listEvents(TEAM_ID, zaak.id);
      // The notice is no change of the case: the duiding's own events are the last.
      expect(events.slice(-2).map((e) => e.type)).toEqual(['duiding.vastgelegd', 'zaak.fase_gewijzigd']);
      const zaakNu = await current();
      expect(zaakNu.fase).toBe('duiding');
      expect(zaakNu.duidingen[0]!.door.name).toBe(OFFICIER.name);
      const caseCard = caseCardUpdates().at(-1)!.card;
      expect(text(caseCard)).toContain('Duiding');
      expect(text(caseCard)).not.toContain(HYPOTHESE);
      expect(executes(caseCard).map((a) => a.title)).toContain('Besluit vastleggen');
    });

    it('answers the duiding before its thread notice goes out: the notice waits in the outbox while Teams holds it, then is posted once', async () => {
      await lookAtSteps2And3();
      const form = await openDuiding();
      h.connector.reset();
      let loslaten: (() => void) | undefined;
      h.connector.hold = (call) => (call.kind === 'send' && call.conversationId === thread ? new Promise<void>((r) => (loslaten = r)) : undefined);
      const activity = cardAction(h, OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: HYPOTHESE, veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }), 'duiding-form', thread);
      const res = await fetch(`http://127.0.0.1:${h.bot.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      // The user has the saved duiding while Teams has not taken the notice yet.
      expect(text(((await res.json()) as { value: unknown }).value)).toContain(`Duiding ${REFERENCE} vastgelegd`);
      for (let i = 0; i < 200 && !loslaten; i++) await new Promise((r) => setTimeout(r, 10));
      expect(loslaten).toBeDefined();
      const wachtend = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'melding');
      expect(wachtend).toMatchObject([{ status: 'geclaimd', verzendpoging: { deel: 0 } }]);
      expect(threadCards()).toEqual([]);
      loslaten!();
      await h.bot.dispatcher!.rustig();
      expect(threadCards().map((c) => text(c.card)).filter((t) => t.includes('Duiding vastgelegd'))).toHaveLength(1);
      const [job] = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'melding');
      expect(job).toMatchObject({ status: 'verzonden', sentMessageId: threadCards()[0]!.call.responseId });
      // Nothing is left to send: a round of the dispatcher finds no due job.
      expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0 });
    });

    it('revises the duiding and keeps both versions with author and time', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      h.clock.advance(86_400_000);
      const form = await openDuiding(VEILIG_THUIS);
      expect(text(form)).toContain('herzien (versie 2)');
      expect(find(form, (n) => n.id === 'hypothese_0')[0].value).toBe(HYPOTHESE);
      const nieuw = 'Hij kan zijn geld niet meer beheren sinds de zwager uitviel; bewindvoering lost het stelen op.';
      const res = await act(VEILIG_THUIS, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: nieuw }), 'duiding-form-2');
      expect(text(res.body.value)).toContain(`Duiding ${REFERENCE} herzien (versie 2)`);
      expect(text(res.body.value)).toContain(nieuw);
      const zaakNu = await current();
      expect(zaakNu.duidingen.map((d) => [d.versie, d.door.name, d.op, d.hypothesen[0]])).toEqual([
        [1, OFFICIER.name, '2026-10-20T10:00:00.000Z', HYPOTHESE],
        [2, VEILIG_THUIS.name, '2026-10-21T10:00:00.000Z', nieuw],
      ]);
      expect(text(lastThreadCard())).toContain('Versie 2 door Medewerker Veilig Thuis, wo 21 okt 2026, 12:00.');
      expect(text(lastThreadCard())).not.toContain(nieuw);
    });
  });

  describe('the besluit', () => {
    beforeEach(async () => start('2026-10-20T10:00:00Z'));

    it('keeps what was recorded out of everything sent to the channel; only the answers to the actor carry it', async () => {
      // Markers without characters the cards escape, so a markdown escape cannot hide one.
      const MARKERS = { hypothese: 'HypotheseMarker7f3a het netwerk valt weg', doel: 'DoelMarker91c2 samen boodschappen', actie: 'ActieMarkerb84e bel de winkel' };
      await lookAtSteps2And3();
      h.connector.reset();
      const duiding = await recordDuiding(OFFICIER, MARKERS.hypothese);
      const form = await openBesluit();
      const besluit = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, doel_0_wat: MARKERS.doel, actie_0_wat: MARKERS.actie }), 'besluit-form');
      expect((await current()).besluit).toMatchObject({ doelen: [{ wat: MARKERS.doel }], acties: [{ wat: MARKERS.actie }, {}] });

      expect(text(duiding.body.value)).toContain(MARKERS.hypothese);
      expect(text(besluit.body.value)).toContain(MARKERS.doel);
      expect(text(besluit.body.value)).toContain(MARKERS.actie);

      const naarTeams = h.connector.calls.filter((c) => c.method === 'POST' || c.method === 'PUT');
      expect(naarTeams.map((c) => c.kind)).toEqual(expect.arrayContaining(['send', 'update']));
      const verzonden = text(naarTeams.map((c) => c.body));
      for (const marker of Object.values(MARKERS)) expect(verzonden).not.toContain(marker.split(' ')[0]);
    });

    it('is refused without a duiding', async () => {
      const res = await act(OFFICIER, Verb.besluitOpenen, { caseId: zaak.id });
      expect(res.body.value).toContain('Leg eerst de duiding vast');
      const direct = await act(OFFICIER, Verb.besluitVastleggen, { caseId: zaak.id, doelen: 1, acties: 2, monitoringen: 0, ...besluitValues });
      expect(direct.body.value).toContain('Leg eerst de duiding vast');
      expect((await current()).besluit).toBeUndefined();
    });

    it('leaves the criminal-law disposal to the officieren: a casusregisseur who is not one is refused, keeps the form, and may record uitstel', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      // Officier Van Dijk hands the casusregie to the wijkteam, who is no officier.
      expect((await act(OFFICIER, Verb.casusregieOverdragen, { caseId: zaak.id, nieuweRegie: WIJKTEAM.id })).status).toBe(200);
      expect((await current()).lead.name).toBe(WIJKTEAM.name);
      const form = await openBesluit(WIJKTEAM);
      const before = await h.store.listEvents(TEAM_ID, zaak.id);
      const res = await act(WIJKTEAM, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, besluitValues), 'besluit-form');
      expect(text(res.body.value)).toContain(ALLEEN_OFFICIER_AFDOENING);
      expect(text(res.body.value)).toContain(besluitValues.zorg);
      expect((await current()).besluit).toBeUndefined();
      expect(await h.store.listEvents(TEAM_ID, zaak.id)).toHaveLength(before.length);
      // Vrijheidsbeneming is the officier's too.
      const vast = await act(WIJKTEAM, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, strafrechtelijk: 'nog_te_bepalen', vrijheidsbeneming: 'inverzekeringstelling' }), 'besluit-form');
      expect(text(vast.body.value)).toContain(ALLEEN_OFFICIER_AFDOENING);
      // The interventies and the care are the casusregisseur's: with the afdoening still to be decided, the besluit stands.
      const zorg = await act(WIJKTEAM, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, strafrechtelijk: 'nog_te_bepalen', vrijheidsbeneming: 'nvt', tijdstrategie: 'vertragen', tijdstrategie_reden: 'Eerst het VHH-overleg afwachten.' }), 'besluit-form');
      expect(text(zorg.body.value)).not.toContain(ALLEEN_OFFICIER_AFDOENING);
      expect((await current()).besluit).toMatchObject({ strafrechtelijk: { afdoening: 'nog_te_bepalen' }, interventies: [{ soort: 'maatje_wmo', organisatie: 'wijkteam' }, { soort: 'huisbezoek_wijkagent', organisatie: 'politie' }] });
    });

    it('is refused for someone who is neither the case lead nor an officier', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      // Veilig Thuis is on the case, but neither leads it nor is an officier.
      const res = await act(VEILIG_THUIS, Verb.besluitOpenen, { caseId: zaak.id });
      expect(res.body.value).toBe(ALLEEN_REGIE);
      const form = await openBesluit(OFFICIER);
      const direct = await act(VEILIG_THUIS, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, besluitValues), 'besluit-form');
      expect(direct.body.value).toBe(ALLEEN_REGIE);
      expect((await current()).besluit).toBeUndefined();
      const refusals = h.logs.filter((l) => l.msg === 'refused by the access policy' && l.caseId === zaak.id);
      expect(refusals.map((l) => l.handeling)).toEqual([Verb.besluitOpenen, Verb.besluitVastleggen]);
      expect(refusals.every((l) => !l.rollen.includes('casusregisseur') && l.rollen.includes('betrokken'))).toBe(true);
      // An officier listed in the configuration may.
      await openBesluit(OVJ);
    });

    it('refuses the second of two leads who opened the form at once, keeps their text and says what changed', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      const formLead = await openBesluit(OFFICIER);
      const formOvj = await openBesluit(OVJ);
      h.clock.advance(5 * 60_000);
      await act(OVJ, Verb.besluitVastleggen, submit(formOvj, Verb.besluitVastleggen, besluitValues), 'besluit-form-ovj');
      expect((await current()).besluit).toMatchObject({ versie: 1, zorg: besluitValues.zorg, door: { name: OVJ.name } });

      const eigenZorg = 'Ouderenmaatje via de WMO en een vaste contactpersoon bij het wijkteam.';
      const refused = await act(OFFICIER, Verb.besluitVastleggen, submit(formLead, Verb.besluitVastleggen, { ...besluitValues, zorg: eigenZorg }), 'besluit-form-lead');
      const card = refused.body.value;
      expect(text(card)).toContain(`Intussen heeft ${OVJ.name} een nieuw besluit vastgelegd (versie 1) om 12:05; bekijk dat en sla opnieuw op.`);
      expect(find(card, (n) => n.id === 'zorg')[0].value).toBe(eigenZorg);
      expect((await current()).besluit).toMatchObject({ versie: 1, zorg: besluitValues.zorg });
      expect(h.logs.some((l) => l.msg === 'besluit refused: stale form' && l.caseId === zaak.id)).toBe(true);

      // Having seen it, the lead saves again from the refused form: that is a new version.
      await act(OFFICIER, Verb.besluitVastleggen, submit(card, Verb.besluitVastleggen), 'besluit-form-lead');
      expect((await current()).besluit).toMatchObject({ versie: 2, zorg: eigenZorg, door: { name: OFFICIER.name } });
    });

    it('offers the team members as action owners and flags a generic goal until it is confirmed', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      const form = await openBesluit();
      const owners = find(form, (n) => n.id === 'actie_0_eigenaar')[0].choices.map((c: any) => c.title);
      expect(owners).toEqual([WIJKTEAM.name, VEILIG_THUIS.name, OFFICIER.name, OVJ.name, WIJKAGENT.name].sort((a, b) => a.localeCompare(b, 'nl')));
      expect(find(form, (n) => n.id === 'monitoring_0')[0].value).toBe('2026-12-01');

      const generiek = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, doel_0_wat: 'Hulp op gang brengen' }), 'besluit-form');
      const flagged = generiek.body.value;
      expect(text(flagged)).toContain('Hulp op gang brengen\\" is een algemene formulering');
      expect(inputIds(flagged)).toContain('doel_0_bevestigd');
      expect((await current()).besluit).toBeUndefined();

      const confirmed = await act(OFFICIER, Verb.besluitVastleggen, submit(flagged, Verb.besluitVastleggen, { ...besluitValues, doel_0_wat: 'Hulp op gang brengen', doel_0_bevestigd: 'true' }), 'besluit-form');
      expect(text(confirmed.body.value)).toContain(`Besluit ${REFERENCE} vastgelegd`);
      expect((await current()).besluit?.doelen).toEqual([{ wat: 'Hulp op gang brengen', voorWie: 'Verdachte (61)', wanneer: '2026-11-30', algemeenBevestigd: true }]);
    });

    it('asks Teams for the members when the form opens, not again for each row added or the form sent within a minute', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      const ledenVragen = () => h.connector.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/pagedmembers')).length;
      const voor = ledenVragen();
      let form = await openBesluit();
      expect(ledenVragen()).toBe(voor + 1);
      // Someone joins the team meanwhile: the open form keeps the list it showed.
      h.connector.members = [...h.connector.members, alsLid({ id: '29:nieuw', aadObjectId: 'aad-nieuw', name: 'Nieuw Teamlid' })];
      form = (await act(OFFICIER, Verb.besluitRijToevoegen, submit(form, Verb.besluitRijToevoegen, { ...besluitValues, rij: 'actie' }), 'besluit-form')).body.value;
      expect(inputIds(form)).toContain('actie_2_wat');
      expect(JSON.stringify(form)).not.toContain('Nieuw Teamlid');
      // Sent with a goal too general: the form comes back, checked against the same list.
      const terug = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, doel_0_wat: 'Hulp op gang brengen' }), 'besluit-form');
      expect(inputIds(terug.body.value)).toContain('doel_0_bevestigd');
      expect(ledenVragen()).toBe(voor + 1);
      // A minute later a row added asks again; so does opening the form, at once.
      h.clock.advance(61_000);
      form = (await act(OFFICIER, Verb.besluitRijToevoegen, submit(form, Verb.besluitRijToevoegen, { ...besluitValues, rij: 'actie' }), 'besluit-form')).body.value;
      expect(ledenVragen()).toBe(voor + 2);
      expect(JSON.stringify(form)).toContain('Nieuw Teamlid');
      await openBesluit();
      expect(ledenVragen()).toBe(voor + 3);
    });

    it('moves the case to monitoring, updates the case card, mentions each owner once and schedules the follow-ups at 09:00 across the clock change', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      let form = await openBesluit();
      form = (await act(OFFICIER, Verb.besluitRijToevoegen, submit(form, Verb.besluitRijToevoegen, { ...besluitValues, rij: 'actie' }), 'besluit-form')).body.value;
      expect(inputIds(form)).toContain('actie_2_wat');
      h.connector.reset();
      await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, actie_2_wat: 'Afspraak met de winkel: hij mag met zijn maatje binnen', actie_2_eigenaar: WIJKAGENT.aadObjectId, actie_2_datum: '2026-11-02' }), 'besluit-form');

      const zaakNu = await current();
      expect(zaakNu.fase).toBe('monitoring');
      const events = await h.store.listEvents(TEAM_ID, zaak.id);
      expect(events.filter((e) => e.type === 'zaak.fase_gewijzigd').map((e) => (e.data as any).naar)).toEqual(['duiding', 'besluit', 'monitoring']);

      const posted = threadCards();
      expect(posted).toHaveLength(1);
      const notice = posted[0]!.card;
      expect(text(notice)).toContain('Besluit vastgelegd');
      expect(notice.msteams.entities.map((e: any) => e.mentioned.id)).toEqual([WIJKAGENT.id, WIJKTEAM.id]);
      const body = JSON.stringify(notice.body);
      expect(body.split(`<at>${WIJKAGENT.name}</at>`)).toHaveLength(2);
      expect(body.split(`<at>${WIJKTEAM.name}</at>`)).toHaveLength(2);
      for (const inhoud of ['Huisbezoek', 'Maatje aanvragen', 'winkel', 'Beleidssepot', 'Heenzenden', 'WMO-maatje']) expect(body).not.toContain(inhoud);

      // In the channel the case card says a besluit is there and how many actions are open; the lead's view says which.
      const caseCard = text(caseCardUpdates().at(-1)!.card);
      expect(caseCard).toContain('Monitoring');
      expect(caseCard).toContain('vastgelegd (versie 1), 3 open acties');
      expect(caseCard).not.toContain('Beleidssepot');
      const eigen = text((await act(OFFICIER, Verb.zaakBekijken, { caseId: zaak.id, kaart: 'zaakkaart' })).body.value);
      expect(eigen).toContain('Heenzenden, Beleidssepot, 2 interventies · 3 open acties · volgende monitoring: di 1 dec 2026');

      const alle = await h.store.listJobs(TEAM_ID, { caseId: zaak.id });
      // The notices of the duiding and the besluit went out right after their turns.
      expect(alle.filter((j) => j.kind === 'melding').map((j) => j.status)).toEqual(['verzonden', 'verzonden']);
      const jobs = alle.filter((j) => j.kind !== 'melding' && j.kind !== 'zaakgesprek');
      const acties = zaakNu.besluit!.acties;
      expect(jobs.map((j) => [j.kind, j.ref, j.dueAt])).toEqual([
        ['actie.vervaldatum', acties[0]!.id, '2026-10-23T07:00:00.000Z'], // 09:00 CEST
        ['actie.vervaldatum', acties[1]!.id, '2026-10-27T08:00:00.000Z'], // 09:00 CET, after 25 October
        ['actie.vervaldatum', acties[2]!.id, '2026-11-02T08:00:00.000Z'],
        ['monitoring', '2026-12-01', '2026-12-01T08:00:00.000Z'],
        ['monitoring', '2027-01-19', '2027-01-19T08:00:00.000Z'],
      ]);
    });

    it('revises the besluit: actions keep their id and state, follow-ups are planned once, a new date gets its own', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      const form = await openBesluit();
      await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, besluitValues), 'besluit-form');
      const eerste = (await current()).besluit!;
      await recordAs(WIJKAGENT, { type: 'actie.bijgewerkt', data: { actieId: eerste.acties[0]!.id, status: 'gereed' } });
      h.clock.advance(2 * 86_400_000);

      const revision = await openBesluit();
      expect(text(revision)).toContain('herzien (versie 2)');
      expect(find(revision, (n) => n.id === 'actie_1_wat')[0].value).toBe('Maatje aanvragen via de WMO');
      await act(OFFICIER, Verb.besluitVastleggen, submit(revision, Verb.besluitVastleggen, { actie_1_datum: '2026-11-03' }), 'besluit-form-2');
      const tweede = (await current()).besluit!;
      expect(tweede.versie).toBe(2);
      expect(tweede.acties.map((a) => [a.id, a.status, a.datum])).toEqual([
        [eerste.acties[0]!.id, 'gereed', '2026-10-23'],
        [eerste.acties[1]!.id, 'open', '2026-11-03'],
      ]);
      const jobs = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'actie.vervaldatum');
      expect(jobs.map((j) => [j.ref, j.dueAt])).toEqual([
        [eerste.acties[0]!.id, '2026-10-23T07:00:00.000Z'],
        [eerste.acties[1]!.id, '2026-10-27T08:00:00.000Z'],
        [eerste.acties[1]!.id, '2026-11-03T08:00:00.000Z'],
      ]);
      // Only the owner of the open action is called on again.
      expect(lastThreadCard().msteams.entities.map((e: any) => e.mentioned.id)).toEqual([WIJKTEAM.id]);
    });

    it('in a big team the owner picker lists who is involved, and anyone else is found by typing a name', async () => {
      const extra = Array.from({ length: 20 }, (_, i) => ({ id: `29:lid-${i}`, name: `Collega ${String(i).padStart(2, '0')}`, aadObjectId: `aad-lid-${i}` }));
      h.connector.members = [...h.connector.members, ...extra, { id: '29:jeugd', name: 'Jeugdzorgwerker Özdemir', aadObjectId: 'aad-jeugd' }];
      await lookAtSteps2And3();
      await recordDuiding();
      const form = await openBesluit();
      expect(find(form, (n) => n.id === 'actie_0_eigenaar')[0].choices.map((c: any) => c.title)).toEqual([OFFICIER.name]);
      expect(text(form)).toContain('Het team heeft 26 leden');

      const ambiguous = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...besluitValues, actie_0_naam: 'collega' }), 'besluit-form');
      expect(text(ambiguous.body.value)).toContain('Meerdere teamleden passen bij \\"collega\\"');
      expect((await current()).besluit).toBeUndefined();

      await act(OFFICIER, Verb.besluitVastleggen, submit(ambiguous.body.value, Verb.besluitVastleggen, { ...besluitValues, actie_0_naam: 'ozdemir' }), 'besluit-form');
      expect((await current()).besluit!.acties[0]!.eigenaar).toEqual({ id: 'aad-jeugd', name: 'Jeugdzorgwerker Özdemir', teamsId: '29:jeugd' });
    });

    it('postpones the decision to a plandatum with a reason, which becomes a follow-up', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      const form = await openBesluit();
      const values = { tijdstrategie: 'vertragen', tijdstrategie_reden: 'Eerst het VHH-overleg afwachten.', monitoring_0: '', monitoring_1: '', monitoring_2: '' };
      const refused = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...values, plandatum: '2026-10-30' }), 'besluit-form');
      expect(text(refused.body.value)).toContain('Waarop wachten we?');
      const uitgesteld = await act(OFFICIER, Verb.besluitVastleggen, submit(form, Verb.besluitVastleggen, { ...values, plandatum: '2026-10-30', plandatum_reden: 'Wachten op informatie van het Veiligheidshuis.' }), 'besluit-form');
      const zaakNu = await current();
      expect(zaakNu.fase).toBe('besluit');
      expect(zaakNu.besluit?.plandatum).toEqual({ op: '2026-10-30T08:00:00.000Z', reden: 'Wachten op informatie van het Veiligheidshuis.' });
      const jobs = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind !== 'melding' && j.kind !== 'zaakgesprek');
      expect(jobs.map((j) => [j.kind, j.dueAt])).toEqual([['plandatum', '2026-10-30T08:00:00.000Z']]);
      expect(text(uitgesteld.body.value)).toContain(`Besluit ${REFERENCE} uitgesteld`);
      expect(text(lastThreadCard())).not.toContain('Veiligheidshuis');
    });
  });

  describe('closing and reopening', () => {
    beforeEach(async () => start('2027-03-20T10:00:00Z'));

    it('closes with a leeropbrengst (lead or officier only) and reopens with a reason', async () => {
      await lookAtSteps2And3();
      await recordDuiding();
      expect((await act(VEILIG_THUIS, Verb.afsluitingOpenen, { caseId: zaak.id })).body.value).toBe(ALLEEN_REGIE);

      const posted = threadCards().length;
      const form = (await act(OFFICIER, Verb.afsluitingOpenen, { caseId: zaak.id })).body.value;
      expect(inputIds(form)).toContain('leeropbrengst');
      expect(threadCards()).toHaveLength(posted);
      const short = await act(OFFICIER, Verb.afsluitingVastleggen, submit(form, Verb.afsluitingVastleggen, { leeropbrengst: 'Kort', uitkomst: '' }), 'close-form');
      expect(text(short.body.value)).toContain('Schrijf ten minste');
      expect((await current()).fase).toBe('duiding');

      const leeropbrengst = 'Bij een LVB-verdachte eerst het netwerk in kaart brengen; de winkel wilde meedenken.';
      const closed = await act(OFFICIER, Verb.afsluitingVastleggen, submit(form, Verb.afsluitingVastleggen, { stopreden: 'doel_bereikt', leeropbrengst, vergelijking: 'Lijkt op de zaak van vorig jaar, maar nu zonder familie.', uitkomst: 'Geen hermelding na drie maanden.' }), 'close-form');
      expect(text(closed.body.value)).toContain(`Zaak ${REFERENCE} gesloten`);
      let zaakNu = await current();
      expect(zaakNu.fase).toBe('gesloten');
      expect(zaakNu.afsluiting).toMatchObject({ leeropbrengst, uitkomst: 'Geen hermelding na drie maanden.' });
      expect(caseCardUpdates().at(-1)!.card.actions.map((a: any) => a.title)).toEqual(['Bekijken', 'Heropenen']);
      expect((await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value).toContain('gesloten');

      // Reopening is for the lead or an officier too; the form opens for them only.
      expect((await act(VEILIG_THUIS, Verb.heropeningOpenen, { caseId: zaak.id })).body.value).toBe(ALLEEN_REGIE);
      const reopenForm = (await act(OVJ, Verb.heropeningOpenen, { caseId: zaak.id })).body.value;
      expect(inputIds(reopenForm)).toContain('reden');
      expect(threadCards()).toHaveLength(posted);
      const noReason = await act(OVJ, Verb.heropeningVastleggen, submit(reopenForm, Verb.heropeningVastleggen, { reden: '' }), 'reopen-form');
      expect(text(noReason.body.value)).toContain('Waarom heropenen we de zaak');
      await act(OVJ, Verb.heropeningVastleggen, submit(reopenForm, Verb.heropeningVastleggen, { reden: 'Hermelding: weer gestolen in dezelfde winkel.' }), 'reopen-form');
      zaakNu = await current();
      expect(zaakNu.fase).toBe('duiding');
      expect(zaakNu.heropeningen.map((r) => [r.reden, r.door.name])).toEqual([['Hermelding: weer gestolen in dezelfde winkel.', OVJ.name]]);
      expect(executes(caseCardUpdates().at(-1)!.card).map((a) => a.title)).toContain('Zaak sluiten');
    });
  });

  describe('the ketenkaart', () => {
    beforeEach(async () => start('2026-10-20T10:00:00Z'));

    /** A case with everything in it, and long texts: many steps, prompts, duiding versions, actions. */
    async function fillLargeCase() {
      const lang = (s: string) => `${s} `.repeat(40).trim().slice(0, 1400);
      for (let stap = 1; stap <= 9; stap++) {
        await recordAs(OFFICIER, { type: 'principe.vastgelegd', data: { stap, status: 'ingevuld', antwoorden: { zorgen: lang(`Zorg bij stap ${stap}.`), vragen: lang('Welke vraag?') } } });
      }
      for (let i = 0; i < 12; i++) {
        const id = `u${i}`;
        await recordAs(
          OFFICIER,
          { type: 'uitvraag.verstuurd', data: { id, invitee: { id: VEILIG_THUIS.aadObjectId, name: VEILIG_THUIS.name, teamsId: VEILIG_THUIS.id }, organisatie: i % 2 ? 'halt' : 'veilig_thuis', vraag: lang(`Vraag ${i}`), waarom: lang('Nodig voor het besluit.'), deadline: '2026-10-20T12:00:00Z' } },
          { type: 'uitvraag.beantwoord', data: { uitvraagId: id, tekst: lang(`Antwoord ${i}`), bron: 'Registratie', bekend: 'ja', gedeeld: true } },
        );
      }
      for (let v = 0; v < 5; v++) {
        await recordAs(OFFICIER, {
          type: 'duiding.vastgelegd',
          data: {
            patronen: ['combinatieproblematiek', 'oude_bekenden'],
            perspectieven: [{ organisatie: 'veilig_thuis', tekst: lang(`Perspectief ${v}`) }, { organisatie: 'halt', tekst: lang(`Halt ${v}`) }],
            tegenstrijdigheden: lang('Tegenstrijdig.'),
            hypothesen: [lang(`Hypothese ${v}`)],
            instrumenten: [{ instrument: 'b_safer', uitkomst: 'Laag risico' }],
            veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }],
          },
        });
      }
      const owner = { id: WIJKAGENT.aadObjectId, name: WIJKAGENT.name, teamsId: WIJKAGENT.id };
      await recordAs(OFFICIER, {
        type: 'besluit.vastgelegd',
        data: {
          afdoening: 'sepot_met_hulp',
          zorg: lang('Zorg.'),
          waaromMix: lang('Mix.'),
          tijdstrategie: { keuze: 'versnellen', reden: 'Nu al nodig.' },
          doelen: [{ wat: lang('Doel'), voorWie: 'Verdachte', wanneer: '2026-12-01' }],
          acties: Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, wat: lang(`Actie ${i}`), eigenaar: owner, datum: '2026-11-01', status: 'open' as const })),
          monitoring: ['2026-12-01', '2027-01-19'],
        },
      });
    }

    it('shows the whole record in collapsible sections, split to stay under the size limit, roles without initials', async () => {
      await fillLargeCase();
      h.connector.reset();
      await h.post(mention(h, WIJKAGENT, `ketenkaart ${REFERENCE}`));
      const [status] = h.connector.cards().map((c) => c.card);
      expect(text(status)).toContain('Alleen zichtbaar voor Wijkagent De Boer: druk op Bekijken');
      // The parts, one invoke response at a time: Bekijken, then "Volgende deel" until the last.
      const cards: any[] = [];
      let knop = executes(status).find((a) => a.title === 'Bekijken');
      while (knop) {
        const card = (await h.post(cardAction(h, WIJKAGENT, knop.verb, knop.data, 'status-msg'))).body.value;
        cards.push(card);
        knop = card.actions.find((a: any) => a.title === 'Volgende deel');
        expect(cards.length).toBeLessThan(20);
      }
      expect(cards.length).toBeGreaterThan(1);
      expect(cards[1].actions.map((a: any) => a.title)).toEqual(cards.length > 2 ? ['Vorige deel', 'Volgende deel'] : ['Vorige deel']);
      expect(h.connector.cards().map((c) => c.card)).toEqual([status]);
      for (const card of cards) expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(KAART_MAX_BYTES);
      expect(cards[0].body[0].text).toBe(`Ketenkaart ${REFERENCE} (deel 1 van ${cards.length})`);
      expect(cards.at(-1).body[0].text).toBe(`Ketenkaart ${REFERENCE} (deel ${cards.length} van ${cards.length})`);
      const all = text(cards);
      for (const section of ['Overzicht en signaal', 'Betrokkenen', 'Leidende principes', 'Partners: gerichte contextinformatie', 'Duiding', 'Besluit', 'Acties', 'Opvolging', 'Tijdlijn']) {
        expect(all).toContain(`"text":"${section}`);
      }
      expect(all).toContain('Antwoord 11');
      expect(all).toContain('Versie 5');
      expect(all).toContain('Actie 9');
      expect(all).toContain('Verdachte, 23–64 jaar');
      expect(all).not.toContain('J.D.');
      expect(find(cards, (n) => n.type === 'Action.ToggleVisibility').length).toBeGreaterThan(8);
      const hidden = find(cards, (n) => n.isVisible === false).map((n) => n.id);
      expect(hidden).toContain('ketenkaart-tijdlijn');
    });

    it('is for team members in the team\'s channel only', async () => {
      await h.post(personalMessage(h, OFFICIER, `ketenkaart ${REFERENCE}`));
      expect(h.connector.texts().at(-1)).toContain('alleen te zien in het kanaal van je ZSM-team');
      await h.post(mention(h, BUITENSTAANDER, `ketenkaart ${REFERENCE}`));
      expect(h.connector.texts().at(-1)).toContain('Verdiep is alleen voor leden van dit ZSM-team');
      expect(h.connector.cards().filter((c) => text(c.card).includes('Ketenkaart'))).toEqual([]);
      await h.post(mention(h, OFFICIER, `ketenkaart ${REFERENCE}`));
      const status = h.connector.cards().at(-1)!.card;
      const bekijken = executes(status).find((a) => a.title === 'Bekijken');
      const buiten = await h.post(cardAction(h, BUITENSTAANDER, bekijken.verb, bekijken.data, 'status-msg'));
      expect(buiten.body.value).toContain('Verdiep is alleen voor leden van dit ZSM-team');
      const card = (await h.post(cardAction(h, OFFICIER, bekijken.verb, bekijken.data, 'status-msg'))).body.value;
      expect(card.body[0].text).toBe(`Ketenkaart ${REFERENCE}`);
    });
  });
});
