import { describe, expect, it } from 'vitest';
import { redenFout, validateAfsluiting } from '../../src/domain/afsluiting';
import { validateBesluit, type BesluitInvoer } from '../../src/domain/besluit';
import { validateDuiding, type DuidingInvoer } from '../../src/domain/duiding';
import { validateActieAntwoord, validateMonitoring } from '../../src/domain/opvolging';
import { privacyMelding, type Gevonden } from '../../src/domain/privacy';
import { validateAfwijzing, validateAntwoord, validateUitnodiging } from '../../src/domain/uitvraag';
import { record, type Lid } from '../../src/domain/zaak';

// Every free-text field of every form goes through the privacy filter: each field below gets one
// kind of personal data in otherwise valid input, and must come back with that kind's message.

const TZ = 'Europe/Amsterdam';
const NOW = new Date('2026-11-28T10:00:00Z');
const LID: Lid = { id: 'aad-vt', name: 'Medewerker Veilig Thuis', teamsId: '29:vt' };

const MET: Record<Gevonden, string> = {
  bsn: 'Zijn nummer is 111.222.333 volgens de gemeente.',
  telefoon: 'Bereikbaar via 06-12345678 na vijf uur.',
  email: 'Stuur het naar moeder@example.nl vandaag.',
  iban: 'Betaalt via NL91 ABNA 0417 1643 00 elke maand.',
  adres: 'Woont sinds kort op 1234 AB 12 bij een tante.',
  datum: 'Geboren op 12 maart 2008 in het ziekenhuis.',
};
const KINDS = Object.keys(MET) as Gevonden[];

const zaak = record(undefined, { teamId: 't', caseId: 'z' }, { id: 'aad-lead', name: 'Lead' }, NOW, [
  { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['lvb'], signaal: 'Man (61) stal drie blikjes cola.', betrokkenen: [{ rol: 'verdachte', leeftijd: '23-64' }] } },
]).zaak;

const duiding: DuidingInvoer = {
  patronen: 'combinatieproblematiek',
  patroonAnders: '',
  perspectieven: [{ organisatie: 'politie', tekst: 'Eerder aangehouden voor winkeldiefstal.' }],
  tegenstrijdigheden: 'De winkel spreekt van brutaal gedrag; de wijkagent kent hem als vriendelijk.',
  hypothesen: ['Het stelen is een gevolg van het weggevallen netwerk; met een maatje stopt het.'],
  instrumenten: [{ instrument: 'b_safer', uitkomst: 'Laag risico.' }],
  veiligheid: [{ nu: 'zorgelijk', straks: 'veilig', toelichting: 'Eet niet goed.' }],
};

const besluit: BesluitInvoer = {
  vrijheidsbeneming: 'nvt',
  strafrechtelijk: 'anders',
  afdoeningToelichting: 'Voorwaardelijk sepot met begeleiding.',
  interventies: [{ soort: 'maatje_wmo', organisatie: '', toelichting: 'Ouderenmaatje.' }],
  zorg: 'WMO-ouderenmaatje; wijkteam twee keer per week.',
  waaromMix: 'Straf helpt niet tegen een weggevallen netwerk; zorg wel.',
  tijdstrategie: 'versnellen',
  tijdstrategieReden: 'Hij eet nu al niet goed.',
  doelen: [{ wat: 'Hij heeft een maatje dat twee keer per week met hem boodschappen doet', voorWie: 'Verdachte (61)', wanneer: '2026-12-15', bevestigd: false }],
  acties: [{ id: '', wat: 'Huisbezoek met ouderenwerker', eigenaar: LID.teamsId, naam: '', datum: '2026-12-03' }],
  monitoring: [],
  plandatum: '',
  plandatumReden: '',
};
const besluitCtx = { now: NOW, timeZone: TZ, monitoringDagen: [42], leden: [LID], newId: () => 'actie-1' };

/** [form and field, the error key, validate with `tekst` in that field → its errors (or {} when valid)] */
const FIELDS: [string, string, (tekst: string) => Record<string, string>][] = [
  ['duiding patroonAnders', 'patroonAnders', (t) => errors(validateDuiding({ ...duiding, patroonAnders: t }, zaak))],
  ['duiding perspectief', 'perspectief_0', (t) => errors(validateDuiding({ ...duiding, perspectieven: [{ organisatie: 'politie', tekst: t }] }, zaak))],
  ['duiding tegenstrijdigheden', 'tegenstrijdigheden', (t) => errors(validateDuiding({ ...duiding, tegenstrijdigheden: t }, zaak))],
  ['duiding hypothese', 'hypothese_0', (t) => errors(validateDuiding({ ...duiding, hypothesen: [t] }, zaak))],
  ['duiding instrument uitkomst', 'instrument_0', (t) => errors(validateDuiding({ ...duiding, instrumenten: [{ instrument: 'b_safer', uitkomst: t }] }, zaak))],
  ['duiding veiligheid toelichting', 'veiligheid_0', (t) => errors(validateDuiding({ ...duiding, veiligheid: [{ nu: 'veilig', straks: 'veilig', toelichting: t }] }, zaak))],
  ['besluit afdoening toelichting', 'afdoeningToelichting', (t) => errors(validateBesluit({ ...besluit, afdoeningToelichting: t }, besluitCtx))],
  ['besluit interventie toelichting', 'interventies', (t) => errors(validateBesluit({ ...besluit, interventies: [{ soort: 'anders', organisatie: 'wijkteam', toelichting: t }] }, besluitCtx))],
  ['besluit zorg', 'zorg', (t) => errors(validateBesluit({ ...besluit, zorg: t }, besluitCtx))],
  ['besluit waarom de mix', 'waaromMix', (t) => errors(validateBesluit({ ...besluit, waaromMix: t }, besluitCtx))],
  ['besluit tijdstrategie reden', 'tijdstrategie', (t) => errors(validateBesluit({ ...besluit, tijdstrategieReden: t }, besluitCtx))],
  ['besluit doel wat', 'doel_0', (t) => errors(validateBesluit({ ...besluit, doelen: [{ ...besluit.doelen[0]!, wat: t }] }, besluitCtx))],
  ['besluit doel voor wie', 'doel_0', (t) => errors(validateBesluit({ ...besluit, doelen: [{ ...besluit.doelen[0]!, voorWie: t }] }, besluitCtx))],
  ['besluit actie', 'actie_0', (t) => errors(validateBesluit({ ...besluit, acties: [{ ...besluit.acties[0]!, wat: t }] }, besluitCtx))],
  ['besluit plandatum reden', 'plandatum', (t) => errors(validateBesluit({ ...besluit, tijdstrategie: 'vertragen', plandatum: '2026-12-10', plandatumReden: t }, besluitCtx))],
  ['afsluiting leeropbrengst', 'leeropbrengst', (t) => errors(validateAfsluiting({ stopreden: 'doel_bereikt', leeropbrengst: t, vergelijking: '', uitkomst: 'Geen hermelding; doelen bereikt.' }))],
  ['afsluiting vergelijking', 'vergelijking', (t) => errors(validateAfsluiting({ stopreden: 'doel_bereikt', leeropbrengst: 'Eerder het wijkteam bellen.', vergelijking: t, uitkomst: 'Geen hermelding; doelen bereikt.' }))],
  ['afsluiting uitkomst', 'uitkomst', (t) => errors(validateAfsluiting({ stopreden: 'doel_bereikt', leeropbrengst: 'Eerder het wijkteam bellen.', vergelijking: '', uitkomst: t }))],
  ['heropenen reden', 'reden', (t): Record<string, string> => (redenFout(t) ? { reden: redenFout(t)! } : {})],
  ['actie vervalt, reden', 'toelichting', (t) => errors(validateActieAntwoord({ keuze: 'vervalt', datum: '', toelichting: t }, NOW, TZ))],
  ['monitoring hermelding wat', 'hermeldingWat', (t) => errors(validateMonitoring({ hermelding: 'ja', hermeldingWat: t, koers: 'ja', toelichting: '' }))],
  ['monitoring toelichting', 'toelichting', (t) => errors(validateMonitoring({ hermelding: 'nee', hermeldingWat: '', koers: 'nee', toelichting: t }))],
  ['uitvraag vraag', 'vraag', (t) => errors(validateUitnodiging({ lid: LID.teamsId, lidNaam: '', organisatie: 'veilig_thuis', vraag: t, waarom: 'Bepaalt de keuze voor zorg.', deadlineDatum: '', deadlineTijd: '' }, [LID], NOW, { timeZone: TZ, deadlineMs: 7_200_000 }))],
  ['uitvraag waarom', 'waarom', (t) => errors(validateUitnodiging({ lid: LID.teamsId, lidNaam: '', organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend bij jullie?', waarom: t, deadlineDatum: '', deadlineTijd: '' }, [LID], NOW, { timeZone: TZ, deadlineMs: 7_200_000 }))],
  ['uitvraag antwoord', 'antwoord', (t) => errors(validateAntwoord({ tekst: t, bron: 'Eigen registratie', bekend: 'ja', gedeeld: 'false' }))],
  ['uitvraag bron', 'bron', (t) => errors(validateAntwoord({ tekst: 'Ja, twee meldingen.', bron: t, bekend: 'ja', gedeeld: 'false' }))],
  ['uitvraag afwijzing reden', 'afwijzing_reden', (t) => errors(validateAfwijzing({ soort: 'mag_niet_delen', reden: t }))],
];

function errors(result: { ok: true } | { ok: false; errors: Record<string, string> }): Record<string, string> {
  return result.ok ? {} : result.errors;
}

describe('every free-text field refuses personal data, naming what kind', () => {
  it.each(FIELDS)('%s: valid as filled in', (_name, _key, validate) => {
    expect(validate('Gewone tekst over de zaak, zonder gegevens van personen.')).toEqual({});
  });

  it.each(FIELDS.map((field, i) => [...field, KINDS[i % KINDS.length]!] as const))('%s refuses %s', (_name, key, validate, kind) => {
    expect(validate(MET[kind])).toEqual({ [key]: privacyMelding([kind]) });
  });

  it('the action owner search refuses personal data instead of echoing it in "no member found"', () => {
    const zoek = (naam: string) => errors(validateBesluit({ ...besluit, acties: [{ ...besluit.acties[0]!, eigenaar: '', naam }] }, besluitCtx));
    expect(zoek('Veilig Thuis')).toEqual({});
    expect(zoek('bsn 111222333')).toEqual({ actie_0: privacyMelding(['bsn']) });
  });

  it('stores the normalised text: no bidi override or zero-width character', () => {
    const result = validateAntwoord({ tekst: 'Ja,\u202e twee\u200b meldingen.', bron: 'Eigen\u2066 registratie', bekend: 'ja', gedeeld: 'false' });
    expect(result).toEqual({ ok: true, value: { tekst: 'Ja, twee meldingen.', bron: 'Eigen registratie', bekend: 'ja', gedeeld: false } });
  });
});
