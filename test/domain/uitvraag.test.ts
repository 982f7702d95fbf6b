import { describe, expect, it } from 'vitest';
import { caseCard } from '../../cards/case-card';
import { uitvraagNieuwAfgerond, uitvraagNieuwCard } from '../../cards/uitvraag-nieuw';
import { inputIds } from '../support/cards';
import { MAX_KEUZE_LEDEN } from '../../src/domain/teamlid';
import { huidigeReactie, uitvraagPromptCard, type PromptOpties } from '../../cards/uitvraag-prompt';
import { verdiepingskaartCard } from '../../cards/verdiepingskaart';
import { BSN_MESSAGE } from '../../src/domain/privacy';
import { plannedJobs } from '../../src/domain/planning';
import {
  ALLEEN_GENODIGDE_MESSAGE,
  ANTWOORD_MAX,
  BRON_MAX,
  REDEN_MAX,
  VRAAG_MAX,
  WAAROM_MAX,
  DUIDING_MESSAGE,
  GESLOTEN_MESSAGE,
  NietGenodigd,
  REDEN_MESSAGE,
  UitvraagGewijzigd,
  WAAROM_MESSAGE,
  ALLEEN_REGIE_INTREKKEN,
  GEREAGEERD_MESSAGE,
  INGETROKKEN_MESSAGE,
  INTREKKING_REDEN_MESSAGE,
  intrekken,
  magReactieZien,
  validateIntrekking,
  afwijzen,
  beantwoorden,
  isGenodigde,
  kaartGeplaatst,
  legeUitnodiging,
  magCorrigeren,
  PARTNER_DUIDING_MAX,
  reactieBasis,
  readReactie,
  readUitnodiging,
  uitnodigen,
  validateAfwijzing,
  validateAntwoord,
  validateUitnodiging,
  type Uitnodiging,
  type UitnodigingInvoer,
} from '../../src/domain/uitvraag';
import { CARD_MAX_BYTES, cardBytes, cardProblems } from '../support/card-schema';
import { rollenVan } from '../../src/domain/toegang';
import { vervalReden } from '../../src/domain/opvolging';
import { DomainError, record, uitvraagTelling, type Actor, type Lid, type NewZaakEvent, type Uitvraag, type Verdiepingszaak, type ZaakEvent } from '../../src/domain/zaak';

const OFFICIER: Actor = { id: 'aad-officier', name: 'Officier Van Dijk' };
const OFFICIER_IDS = ['aad-officier', '29:officier'];
const VT: Lid = { id: 'aad-vt', name: 'Medewerker Veilig Thuis', teamsId: '29:vt' };
const VT_IDS = ['aad-vt', '29:vt'];
const HALT: Lid = { id: 'aad-halt', name: 'Medewerker Halt', teamsId: '29:halt' };
const HALT_IDS = ['aad-halt', '29:halt'];
const LEDEN = [VT, HALT];
const NOW = new Date('2026-11-28T10:00:00Z');
const TZ = 'Europe/Amsterdam';
const HOUR = 3_600_000;
const ids = { teamId: 'team-1', caseId: 'zaak-1' };
const opties = { timeZone: TZ, deadlineMs: 2 * HOUR };

interface State {
  zaak: Verdiepingszaak;
  events: ZaakEvent[];
}

function flagged(): State {
  return record(undefined, ids, OFFICIER, NOW, [
    {
      type: 'zaak.gemarkeerd',
      data: { reference: '13/123456-26', types: ['jeugd'], signaal: 'Jongen (15) stal; niet op school, grote problemen thuis.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] },
    },
  ]);
}

function apply(state: State, actor: Actor, changes: NewZaakEvent[], at = NOW): State {
  const next = record(state.zaak, ids, actor, at, changes);
  return { zaak: next.zaak, events: [...state.events, ...next.events] };
}

function invoer(overrides: Partial<UitnodigingInvoer> = {}): UitnodigingInvoer {
  return {
    lid: VT.teamsId,
    lidNaam: '',
    organisatie: 'veilig_thuis',
    vraag: 'Is het gezin bekend bij Veilig Thuis, en loopt er hulp?',
    waarom: 'Bepaalt of we voor een Halt-traject kiezen of eerst zorg inzetten.',
    deadlineDatum: '2026-11-28',
    deadlineTijd: '13:00',
    ...overrides,
  };
}

function uitnodiging(invitee: Lid = VT, vraag = 'Is het gezin bekend bij Veilig Thuis?'): Uitnodiging {
  return { invitee, organisatie: 'veilig_thuis', vraag, waarom: 'Bepaalt de keuze tussen zorg en straf.', deadline: '2026-11-28T12:00:00.000Z' };
}

function invited(): State {
  const s = flagged();
  return apply(s, OFFICIER, uitnodigen(s.zaak, OFFICIER_IDS, uitnodiging(), 'u1'));
}

describe('uitvraag: the invitation form', () => {
  it('accepts a member of the team, a partner, the question and why, and a future deadline in Amsterdam time', () => {
    const result = validateUitnodiging(invoer(), LEDEN, NOW, opties);
    expect(result).toEqual({
      ok: true,
      value: {
        invitee: VT,
        organisatie: 'veilig_thuis',
        vraag: 'Is het gezin bekend bij Veilig Thuis, en loopt er hulp?',
        waarom: 'Bepaalt of we voor een Halt-traject kiezen of eerst zorg inzetten.',
        // 13:00 in Amsterdam in November (CET, UTC+1).
        deadline: '2026-11-28T12:00:00.000Z',
      },
    });
  });

  it('defaults the deadline to now plus the configured time, in the form and when left empty', () => {
    expect(legeUitnodiging(NOW, 2 * HOUR, TZ)).toMatchObject({ deadlineDatum: '2026-11-28', deadlineTijd: '13:00' });
    const result = validateUitnodiging(invoer({ deadlineDatum: '', deadlineTijd: '' }), LEDEN, NOW, opties);
    expect(result.ok && result.value.deadline).toBe('2026-11-28T12:00:00.000Z');
  });

  it('requires the question and why it matters for the decision, with Dutch messages', () => {
    const result = validateUitnodiging(invoer({ vraag: '  ', waarom: '' }), LEDEN, NOW, opties);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.vraag).toMatch(/gerichte vraag/);
    expect(result.errors.waarom).toBe(WAAROM_MESSAGE);
  });

  it('refuses someone who is not in the team, an unknown organisation, a past deadline and a BSN', () => {
    const result = validateUitnodiging(
      invoer({ lid: '29:vreemde', organisatie: 'fbi', deadlineTijd: '10:30', waarom: 'Zijn BSN is 111222333, nodig voor de koppeling.' }),
      LEDEN,
      NOW,
      opties,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        lid: 'Kies een lid van dit team.',
        organisatie: 'Kies de organisatie van wie je de informatie vraagt.',
        waarom: BSN_MESSAGE,
        deadline: 'De deadline moet in de toekomst liggen.',
      },
    });
    const leeg = validateUitnodiging(invoer({ lid: '', deadlineDatum: 'morgen' }), LEDEN, NOW, opties);
    expect(leeg.ok === false && leeg.errors).toEqual({ lid: 'Kies het teamlid dat de vraag beantwoordt.', deadline: 'Vul een geldige datum en tijd in voor de deadline.' });
  });

  it('reads the form payload and refuses one without a case', () => {
    expect(readUitnodiging({ lid: '29:vt' })).toBeUndefined();
    expect(readUitnodiging({ caseId: 'zaak-1', vraag: 'x'.repeat(5000) })?.invoer.vraag.length).toBe(1001);
    expect(readReactie({ caseId: 'zaak-1' })).toBeUndefined();
    expect(readReactie({ caseId: 'zaak-1', uitvraagId: 'u1', antwoord: 'Ja', bekend: 'ja' })).toMatchObject({ antwoord: { tekst: 'Ja', bron: '', bekend: 'ja', gedeeld: '' } });
    expect(readReactie({ caseId: 'zaak-1', uitvraagId: 'u1', gedeeld: 'true' })?.antwoord.gedeeld).toBe('true');
  });
});

describe('uitvraag: inviting', () => {
  it('records the invitation and moves the case to contextinformatie at the first one only', () => {
    const s = flagged();
    const events = uitnodigen(s.zaak, OFFICIER_IDS, uitnodiging(), 'u1');
    expect(events.map((e) => e.type)).toEqual(['uitvraag.verstuurd', 'zaak.fase_gewijzigd']);
    const after = apply(s, OFFICIER, events);
    expect(after.zaak.fase).toBe('contextinformatie');
    expect(after.zaak.uitvragen[0]).toMatchObject({ id: 'u1', invitee: VT, status: 'open', gevraagdDoor: OFFICIER });

    const second = uitnodigen(after.zaak, OFFICIER_IDS, uitnodiging(HALT, 'Eerder een Halt-traject gehad?'), 'u2');
    expect(second.map((e) => e.type)).toEqual(['uitvraag.verstuurd']);
    expect(uitvraagTelling(apply(after, OFFICIER, second).zaak)).toEqual({ open: 2, beantwoord: 0, afgewezen: 0, ingetrokken: 0 });
  });

  it('lets only the case lead invite', () => {
    const s = flagged();
    expect(() => uitnodigen(s.zaak, VT_IDS, uitnodiging(), 'u1')).toThrow('Alleen de casusregisseur (Officier Van Dijk) kan partners uitnodigen.');
    const handedOver = apply(s, OFFICIER, [{ type: 'zaak.casusregie_overgedragen', data: { naar: HALT } }]);
    expect(uitnodigen(handedOver.zaak, HALT_IDS, uitnodiging(), 'u1')).toHaveLength(2);
    expect(() => uitnodigen(handedOver.zaak, OFFICIER_IDS, uitnodiging(), 'u1')).toThrow(DomainError);
  });

  it('refuses the same open question to the same person twice, and any question on a closed case', () => {
    const s = invited();
    expect(() => uitnodigen(s.zaak, OFFICIER_IDS, uitnodiging(), 'u2')).toThrow('Deze vraag staat al open bij Medewerker Veilig Thuis.');
    const closed = apply(s, OFFICIER, [
      { type: 'zaak.fase_gewijzigd', data: { van: 'contextinformatie', naar: 'gesloten' } },
      { type: 'zaak.gesloten', data: { leeropbrengst: 'Vroeg vragen.', uitkomst: 'Sepot met hulp.' } },
    ]);
    expect(() => uitnodigen(closed.zaak, OFFICIER_IDS, uitnodiging(HALT), 'u3')).toThrow(GESLOTEN_MESSAGE);
  });

  it('records where the prompt card was posted', () => {
    const s = invited();
    const after = apply(s, OFFICIER, kaartGeplaatst(s.zaak, 'u1', 'msg-7'));
    expect(after.zaak.uitvragen[0]!.messageId).toBe('msg-7');
  });

  it('stores its card at once, a reminder before the deadline and the deadline itself as jobs, per invitation', () => {
    const s = flagged();
    const { zaak, events } = record(s.zaak, ids, OFFICIER, NOW, uitnodigen(s.zaak, OFFICIER_IDS, uitnodiging(), 'u1'));
    const jobs = plannedJobs(zaak, events, { timeZone: TZ, reminderBeforeMs: 30 * 60_000 });
    expect(jobs.map((j) => [j.kind, j.ref, j.dueAt, j.status])).toEqual([
      ['uitvraag.kaart', 'u1', NOW.toISOString(), 'gepland'],
      ['uitvraag.herinnering', 'u1', '2026-11-28T11:30:00.000Z', 'gepland'],
      ['uitvraag.verlopen', 'u1', '2026-11-28T12:00:00.000Z', 'gepland'],
    ]);
    // A reminder that would fall before the question was even asked is not stored.
    const kort = plannedJobs(zaak, events, { timeZone: TZ, reminderBeforeMs: 3 * HOUR });
    expect(kort.map((j) => j.kind)).toEqual(['uitvraag.kaart', 'uitvraag.verlopen']);
  });
});

describe('uitvraag: answering', () => {
  const antwoord = { tekst: 'Ja, twee meldingen in 2025; er loopt een gezinsvoogd.', bron: 'Eigen registratie', bekend: 'ja' as const, gedeeld: false };

  it('lets only the invitee answer, recognised by Teams user id or AAD object id', () => {
    const s = invited();
    const u = s.zaak.uitvragen[0]!;
    expect(isGenodigde(u, ['29:vt'])).toBe(true);
    expect(isGenodigde(u, ['aad-vt'])).toBe(true);
    expect(isGenodigde(u, OFFICIER_IDS)).toBe(false);
    expect(() => beantwoorden(s.zaak, 'u1', OFFICIER_IDS, antwoord)).toThrow(NietGenodigd);
    expect(() => afwijzen(s.zaak, 'u1', HALT_IDS, { soort: 'geen_informatie', reden: 'Niet bekend bij ons.' })).toThrow(ALLEEN_GENODIGDE_MESSAGE(VT.name));

    const after = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, antwoord, 'open'));
    expect(after.zaak.uitvragen[0]).toMatchObject({ status: 'beantwoord', antwoord: { ...antwoord, door: VT, op: NOW.toISOString(), versie: 1 } });
    expect(uitvraagTelling(after.zaak)).toEqual({ open: 0, beantwoord: 1, afgewezen: 0, ingetrokken: 0 });
  });

  it('validates the answer: text, source and bekend bij ons are required, no BSN', () => {
    expect(validateAntwoord({ tekst: '', bron: '', bekend: 'misschien', gedeeld: 'misschien' })).toEqual({
      ok: false,
      errors: {
        antwoord: 'Vul het antwoord in. Kun je niet antwoorden? Kies dan hieronder "geen informatie", "mag niet delen" of "geen rol voor onze organisatie".',
        bron: 'Vul de geraadpleegde bron in, bijvoorbeeld eigen registratie.',
        bekend: 'Kies of de betrokkenen bij jullie bekend zijn: ja, nee of onbekend.',
        gedeeld: 'Kies of het antwoord gedeeld mag worden met de andere betrokken partners.',
      },
    });
    expect(validateAntwoord({ tekst: 'Moeder: 111222333', bron: 'Registratie', bekend: 'ja', gedeeld: '' })).toEqual({ ok: false, errors: { antwoord: BSN_MESSAGE } });
    // Sharing is off unless the partner ticks it.
    expect(validateAntwoord({ tekst: ' Nee. ', bron: ' Eigen registratie ', bekend: 'nee', gedeeld: '' })).toEqual({ ok: true, value: { tekst: 'Nee.', bron: 'Eigen registratie', bekend: 'nee', gedeeld: false } });
    expect(validateAntwoord({ tekst: 'Nee.', bron: 'Eigen registratie', bekend: 'nee', gedeeld: 'true' })).toMatchObject({ ok: true, value: { gedeeld: true } });
  });

  it('takes the partner\'s own duiding as a second, optional answer, through the privacy filter; a changed duiding alone is a new version', () => {
    const met = validateAntwoord({ tekst: 'Twee meldingen.', bron: 'Registratie', bekend: 'ja', gedeeld: 'true', duiding: ' Wij zien een patroon van escalatie. ' });
    expect(met).toEqual({ ok: true, value: { tekst: 'Twee meldingen.', bron: 'Registratie', bekend: 'ja', gedeeld: true, duiding: 'Wij zien een patroon van escalatie.' } });
    expect(validateAntwoord({ tekst: 'Twee meldingen.', bron: 'Registratie', bekend: 'ja', gedeeld: '', duiding: 'Moeder: 111222333' })).toEqual({ ok: false, errors: { duiding: BSN_MESSAGE } });
    expect(validateAntwoord({ tekst: 'Twee meldingen.', bron: 'Registratie', bekend: 'ja', gedeeld: '', duiding: 'x'.repeat(PARTNER_DUIDING_MAX + 1) })).toMatchObject({ ok: false, errors: { duiding: expect.stringContaining('Te lang') } });
    expect(readReactie({ caseId: 'zaak-1', uitvraagId: 'u1', duiding: 'Zorg gaat voor straf.' })?.antwoord.duiding).toBe('Zorg gaat voor straf.');

    const s = invited();
    const eerste = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, antwoord));
    const duiding = { ...antwoord, duiding: 'Zorg gaat hier voor straf.' };
    const tweede = apply(eerste, VT, beantwoorden(eerste.zaak, 'u1', VT_IDS, duiding));
    expect(tweede.zaak.uitvragen[0]!.antwoord).toMatchObject({ duiding: 'Zorg gaat hier voor straf.', versie: 2 });
    expect(beantwoorden(tweede.zaak, 'u1', VT_IDS, duiding)).toEqual([]);
  });

  it('declines with a kind and a required reason', () => {
    expect(validateAfwijzing({ soort: 'mag_niet_delen', reden: '' })).toEqual({ ok: false, errors: { afwijzing_reden: REDEN_MESSAGE } });
    expect(validateAfwijzing({ soort: 'weet_niet', reden: 'Geen toestemming van de cliënt.' })).toEqual({ ok: false, errors: { afwijzing_soort: 'Kies "geen informatie", "mag niet delen" of "geen rol voor onze organisatie".' } });
    const s = invited();
    expect(() => afwijzen(s.zaak, 'u1', VT_IDS, { soort: 'mag_niet_delen', reden: ' ' })).toThrow(REDEN_MESSAGE);
    const after = apply(s, VT, afwijzen(s.zaak, 'u1', VT_IDS, { soort: 'mag_niet_delen', reden: 'Geen toestemming van de cliënt.' }));
    expect(after.zaak.uitvragen[0]).toMatchObject({ status: 'afgewezen', afwijzing: { soort: 'mag_niet_delen', reden: 'Geen toestemming van de cliënt.', door: VT } });
    expect(uitvraagTelling(after.zaak)).toEqual({ open: 0, beantwoord: 0, afgewezen: 1, ingetrokken: 0 });
  });

  it('lets the invitee correct until a duiding is recorded, keeping every version in the events', () => {
    let s = invited();
    s = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, antwoord, 'open'));
    expect(magCorrigeren(s.zaak, s.zaak.uitvragen[0]!)).toBe(true);
    const basis = reactieBasis(s.zaak.uitvragen[0]!);
    // The same answer again (a replay) stores nothing.
    expect(beantwoorden(s.zaak, 'u1', VT_IDS, antwoord, basis)).toEqual([]);
    const later = new Date(NOW.getTime() + 60_000);
    s = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, { ...antwoord, tekst: 'Ja, drie meldingen; de laatste in oktober.' }, basis), later);
    expect(s.zaak.uitvragen[0]!.antwoord).toMatchObject({ tekst: 'Ja, drie meldingen; de laatste in oktober.', versie: 2, op: later.toISOString() });
    expect(s.events.filter((e) => e.type === 'uitvraag.beantwoord').map((e) => (e.data as { tekst: string }).tekst)).toEqual([antwoord.tekst, 'Ja, drie meldingen; de laatste in oktober.']);

    // Only ticking "mag gedeeld worden" is a change too: a new version, shared from now on.
    const gedeeld = { ...antwoord, tekst: 'Ja, drie meldingen; de laatste in oktober.', gedeeld: true };
    s = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, gedeeld, reactieBasis(s.zaak.uitvragen[0]!)));
    expect(s.zaak.uitvragen[0]!.antwoord).toMatchObject({ gedeeld: true, versie: 3 });
    expect(beantwoorden(s.zaak, 'u1', VT_IDS, gedeeld, reactieBasis(s.zaak.uitvragen[0]!))).toEqual([]);

    s = apply(s, OFFICIER, [{ type: 'duiding.vastgelegd', data: { patronen: [], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['Gezin is oude bekende'], instrumenten: [], veiligheid: [] } }]);
    expect(magCorrigeren(s.zaak, s.zaak.uitvragen[0]!)).toBe(false);
    expect(() => beantwoorden(s.zaak, 'u1', VT_IDS, { ...antwoord, tekst: 'Toch anders.' })).toThrow(DUIDING_MESSAGE);
  });

  it('refuses a submit from a card that showed an older state', () => {
    let s = invited();
    s = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, antwoord, 'open'));
    expect(() => beantwoorden(s.zaak, 'u1', VT_IDS, { ...antwoord, tekst: 'Iets anders' }, 'open')).toThrow(UitvraagGewijzigd);
    expect(() => afwijzen(s.zaak, 'u1', VT_IDS, { soort: 'geen_informatie', reden: 'Niet bekend.' }, 'open')).toThrow(UitvraagGewijzigd);
  });

  it('lets the regie withdraw a question with a reason; after that the invitee cannot respond and is off the case', () => {
    let s = invited();
    const reden = 'Verkeerde partner uitgenodigd.';
    expect(() => intrekken(s.zaak, 'u1', false, reden)).toThrow(ALLEEN_REGIE_INTREKKEN(OFFICIER.name));
    expect(() => intrekken(s.zaak, 'u1', true, 'kort')).toThrow(INTREKKING_REDEN_MESSAGE);
    expect(validateIntrekking(' ')).toEqual({ ok: false, errors: { intrekking_reden: INTREKKING_REDEN_MESSAGE } });
    expect(() => intrekken(s.zaak, 'u9', true, reden)).toThrow('Deze vraag bestaat niet (meer) in deze zaak.');
    expect(rollenVan({ lid: true, officier: false, beheerder: false }, VT_IDS, s.zaak).has('betrokken')).toBe(true);

    // Answered meanwhile: a withdrawal from the card that showed it open is refused.
    const beantwoord = apply(s, VT, beantwoorden(s.zaak, 'u1', VT_IDS, antwoord, 'open'));
    expect(() => intrekken(beantwoord.zaak, 'u1', true, reden, 'open')).toThrow(GEREAGEERD_MESSAGE);

    s = apply(s, OFFICIER, intrekken(s.zaak, 'u1', true, reden, 'open'));
    const u = s.zaak.uitvragen[0]!;
    expect(u).toMatchObject({ status: 'ingetrokken', intrekking: { reden, door: OFFICIER, op: NOW.toISOString() } });
    expect(uitvraagTelling(s.zaak)).toEqual({ open: 0, beantwoord: 0, afgewezen: 0, ingetrokken: 1 });
    expect(intrekken(s.zaak, 'u1', true, reden)).toEqual([]);
    expect(() => beantwoorden(s.zaak, 'u1', VT_IDS, antwoord)).toThrow(INGETROKKEN_MESSAGE);
    expect(() => afwijzen(s.zaak, 'u1', VT_IDS, { soort: 'geen_informatie', reden: 'Niet bekend bij ons.' })).toThrow(INGETROKKEN_MESSAGE);
    expect(magCorrigeren(s.zaak, u)).toBe(false);
    // Off the case: asked (their own card stays theirs), no longer betrokken; its reason for them and the regie only.
    const rollen = rollenVan({ lid: true, officier: false, beheerder: false }, VT_IDS, s.zaak);
    expect([...rollen]).toEqual(['teamlid', 'genodigde']);
    expect(magReactieZien(u, VT_IDS, rollen)).toBe(true);
    expect(magReactieZien(u, HALT_IDS, new Set(['teamlid', 'betrokken']))).toBe(false);
    expect(magReactieZien(u, OFFICIER_IDS, new Set(['teamlid', 'casusregisseur', 'betrokken']))).toBe(true);
    // No reminder or deadline notice follows.
    const jobs = plannedJobs(invited().zaak, invited().events, { timeZone: TZ, reminderBeforeMs: 30 * 60_000 });
    expect(jobs.map((j) => [j.kind, vervalReden(s.zaak, j, NOW, TZ)])).toEqual([
      ['uitvraag.kaart', 'vraag is ingetrokken'],
      ['uitvraag.herinnering', 'vraag is ingetrokken'],
      ['uitvraag.verlopen', 'vraag is ingetrokken'],
    ]);
  });

  it('refuses answers on a closed case and for an unknown prompt', () => {
    let s = invited();
    expect(() => beantwoorden(s.zaak, 'u9', VT_IDS, antwoord)).toThrow('Deze vraag bestaat niet (meer) in deze zaak.');
    s = apply(s, OFFICIER, [{ type: 'zaak.fase_gewijzigd', data: { van: 'contextinformatie', naar: 'gesloten' } }]);
    expect(() => beantwoorden(s.zaak, 'u1', VT_IDS, antwoord)).toThrow(GESLOTEN_MESSAGE);
  });
});

describe('uitvraag: the cards', () => {
  /** Text at its limit that grows the most when rendered: markdown characters get escaped, é takes two bytes. */
  const worst = (n: number) => '*é'.repeat(Math.ceil(n / 2)).slice(0, n);
  const longName = 'Medewerker '.padEnd(64, 'x');
  const lid = (i: number): Lid => ({ id: `aad-${i}`.padEnd(36, '0'), name: `${longName}${i}`, teamsId: `29:${String(i).padStart(4, '0')}`.padEnd(90, 'Z') });

  function fullCase(): State {
    let s = flagged();
    const groot: Uitnodiging = { invitee: lid(1), organisatie: 'rvdk', vraag: worst(VRAAG_MAX), waarom: worst(WAAROM_MAX), deadline: '2026-11-28T12:00:00.000Z' };
    s = apply(s, OFFICIER, uitnodigen(s.zaak, OFFICIER_IDS, groot, 'u1'));
    s = apply(s, OFFICIER, uitnodigen(s.zaak, OFFICIER_IDS, { ...groot, invitee: lid(2) }, 'u2'));
    s = apply(s, OFFICIER, uitnodigen(s.zaak, OFFICIER_IDS, { ...groot, invitee: lid(3) }, 'u3'));
    const ids1 = [lid(1).teamsId];
    s = apply(s, lid(1), beantwoorden(s.zaak, 'u1', ids1, { tekst: worst(ANTWOORD_MAX), bron: worst(BRON_MAX), bekend: 'onbekend', gedeeld: false }));
    s = apply(s, lid(1), beantwoorden(s.zaak, 'u1', ids1, { tekst: worst(ANTWOORD_MAX - 1), bron: worst(BRON_MAX), bekend: 'ja', gedeeld: true }));
    s = apply(s, lid(2), afwijzen(s.zaak, 'u2', [lid(2).teamsId], { soort: 'mag_niet_delen', reden: worst(REDEN_MAX) }));
    return s;
  }

  it('every variant parses as an Adaptive Card 1.5 and stays under 28 KB, with every text at its limit', () => {
    const { zaak } = fullCase();
    const [beantwoord, afgewezen, open] = zaak.uitvragen as [Uitvraag, Uitvraag, Uitvraag];
    // The answered question withdrawn afterwards, with a reason at its limit: it keeps its answer.
    const ingetrokken = { ...record(zaak, ids, OFFICIER, NOW, intrekken(zaak, 'u1', true, worst(REDEN_MAX))).zaak.uitvragen[0]!, id: 'w1' };
    const invoer = { antwoord: worst(ANTWOORD_MAX), bron: worst(BRON_MAX), bekend: 'ja', gedeeld: 'true', afwijzingSoort: 'geen_informatie', afwijzingReden: worst(REDEN_MAX) };
    const errors = { antwoord: 'x'.repeat(200), bron: 'x'.repeat(200), bekend: 'x'.repeat(200), gedeeld: 'x'.repeat(200), afwijzing_soort: 'x'.repeat(200), afwijzing_reden: 'x'.repeat(200) };
    // Sixty invitees: the refresh carries sixty long Teams ids.
    const vol = { ...zaak, uitvragen: [...zaak.uitvragen, ingetrokken, ...Array.from({ length: 56 }, (_, i) => ({ ...open, id: `v${i}`, invitee: lid(10 + i) }))] };
    const melding = { tekst: worst(300), soort: 'let_op' } as const;
    const variants: [string, object][] = [
      ...([beantwoord, afgewezen, open, ingetrokken] as Uitvraag[]).flatMap((u) =>
        (
          [
            {},
            { beperkt: true },
            { weergave: 'inzage', toonReactie: true, melding },
            { weergave: 'eigen', kanCorrigeren: true, melding },
            { weergave: 'formulier', corrigeert: true, invoer: huidigeReactie(u), errors, melding },
            { weergave: 'formulier', invoer, errors },
          ] as PromptOpties[]
        ).map((o): [string, object] => [`prompt ${u.status} ${o.weergave ?? 'status'}`, uitvraagPromptCard(vol, u, TZ, o)]),
      ),
      ['prompt on a closed case', uitvraagPromptCard({ ...zaak, fase: 'gesloten' }, open, TZ)],
      ['prompt withdraw form with an error', uitvraagPromptCard(vol, beantwoord, TZ, { weergave: 'inzage', toonReactie: true, kanIntrekken: true, intrekkingReden: worst(REDEN_MAX), errors: { intrekking_reden: 'x'.repeat(200) }, melding })],
      [
        'invitation form, large team, all errors',
        uitvraagNieuwCard(zaak, Array.from({ length: 400 }, (_, i) => lid(i)), { lid: lid(1).teamsId, lidNaam: worst(100), organisatie: 'rvdk', vraag: worst(VRAAG_MAX), waarom: worst(WAAROM_MAX), deadlineDatum: '2026-11-28', deadlineTijd: '13:00' }, TZ, {
          errors: { lid: 'x'.repeat(200), organisatie: 'x'.repeat(200), vraag: 'x'.repeat(200), waarom: 'x'.repeat(200), deadline: 'x'.repeat(200) },
        }),
      ],
      ['invitation sent', uitvraagNieuwAfgerond(zaak, TZ, { verstuurd: open })],
      ['invitation cancelled', uitvraagNieuwAfgerond(zaak, TZ, { geannuleerd: true })],
      ['case card', caseCard(zaak, TZ)],
      ['verdiepingskaart', verdiepingskaartCard(zaak, TZ)],
    ];
    for (const [name, card] of variants) {
      expect(cardProblems(card), name).toEqual([]);
      expect(cardBytes(card), name).toBeLessThan(CARD_MAX_BYTES);
    }
  });

  it('lists at most a fixed number of members in the form, and says so', () => {
    const { zaak } = flagged();
    const card = uitvraagNieuwCard(zaak, Array.from({ length: MAX_KEUZE_LEDEN + 5 }, (_, i) => lid(i)), legeUitnodiging(NOW, 2 * HOUR, TZ), TZ);
    const json = JSON.stringify(card);
    expect(json).toContain(`Het team heeft ${MAX_KEUZE_LEDEN + 5} leden; de lijst toont de eerste ${MAX_KEUZE_LEDEN} op naam. Staat wie je zoekt er niet bij, typ dan de naam.`);
    expect(json).toContain(lid(MAX_KEUZE_LEDEN - 1).teamsId);
    expect(json).not.toContain(lid(MAX_KEUZE_LEDEN).teamsId);
    expect(inputIds(card)).toContain('lid_naam');
    // A small team gets the list only.
    expect(inputIds(uitvraagNieuwCard(zaak, LEDEN, legeUitnodiging(NOW, 2 * HOUR, TZ), TZ))).not.toContain('lid_naam');
  });

  it('invites a member beyond the list by their typed name: one match is the invitee, none or several is said plainly', () => {
    const groot = [...Array.from({ length: MAX_KEUZE_LEDEN + 5 }, (_, i) => lid(i)), { id: 'aad-zijlstra', name: 'Wijkteam Zijlstra', teamsId: '29:zijlstra' }];
    const uitnodiging = (lidNaam: string, gekozen = '') => validateUitnodiging(invoer({ lid: gekozen, lidNaam }), groot, NOW, opties);
    const gevonden = uitnodiging('zijlstra');
    expect(gevonden.ok && gevonden.value.invitee).toEqual({ id: 'aad-zijlstra', name: 'Wijkteam Zijlstra', teamsId: '29:zijlstra' });
    expect(uitnodiging('Pietersen')).toEqual({ ok: false, errors: { lid: 'Geen teamlid gevonden met "Pietersen" in de naam.' } });
    expect(uitnodiging('medewerker').ok).toBe(false);
    expect(JSON.stringify(uitnodiging('medewerker'))).toContain('Typ meer van de naam.');
    // A member picked from the list wins over a typed name; one not in the team is refused.
    const gekozen = uitnodiging('zijlstra', lid(3).teamsId);
    expect(gekozen.ok && gekozen.value.invitee.teamsId).toBe(lid(3).teamsId);
    expect(uitnodiging('', '29:vreemde')).toEqual({ ok: false, errors: { lid: 'Kies een lid van dit team.' } });
  });

  it('shows only the status on the channel card, and the answer (kept as text) in the inzage view', () => {
    const { zaak } = fullCase();
    const u = zaak.uitvragen[0]!;
    const status = JSON.stringify(uitvraagPromptCard(zaak, u, TZ));
    expect(status).not.toContain('*é');
    expect(status).toContain('Beantwoord op');
    const card = uitvraagPromptCard(zaak, u, TZ, { weergave: 'inzage', toonReactie: true });
    const json = JSON.stringify(card);
    expect(json).toContain('Antwoord (gecorrigeerd, versie 2)');
    expect(json).toContain('\\\\*é');
    expect(json).not.toContain('"id":"antwoord"');
    expect(JSON.stringify(uitvraagPromptCard(zaak, u, TZ, { weergave: 'inzage' }))).not.toContain('gecorrigeerd');
    // The invitee first, then the other betrokken professionals (the lead and the other invitees).
    expect((card.refresh as { userIds: string[] }).userIds).toEqual([lid(1).teamsId, OFFICIER.teamsId, lid(2).teamsId, lid(3).teamsId].filter(Boolean));
  });
});
