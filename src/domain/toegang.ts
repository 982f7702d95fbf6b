import { Command, Opdracht, Verb } from '../verbs';
import { geldend, toegangVan, type Uitvraag, type Verdiepingszaak } from './zaak';

/**
 * Need-to-know: the one access policy. Every verb, message command and message-extension command
 * has a row saying which roles may do it; every part of a case says which roles may see it.
 */
export type Rol = 'niet_lid' | 'teamlid' | 'betrokken' | 'genodigde' | 'casusregisseur' | 'officier' | 'beheerder';

export type Handeling = Verb | Opdracht | `extensie:${Command}`;

export interface Regel {
  /** Any of these roles may do it. */
  wie: readonly Rol[];
  /** The case's own roles (betrokken, genodigde, casusregisseur) decide, so the handler checks it once it has read the case. */
  opZaak: boolean;
}

export const ROL_NAMEN: Record<Rol, string> = {
  niet_lid: 'niet-lid',
  teamlid: 'teamlid',
  betrokken: 'betrokken professional',
  genodigde: 'genodigde partner',
  casusregisseur: 'casusregisseur',
  officier: 'officier van justitie',
  beheerder: 'beheerder',
};

const IEDEREEN: readonly Rol[] = ['niet_lid', 'teamlid'];
const TEAM: readonly Rol[] = ['teamlid'];
const BETROKKEN: readonly Rol[] = ['betrokken', 'casusregisseur', 'officier'];
const REGIE: readonly Rol[] = ['casusregisseur', 'officier'];

const team = (wie: readonly Rol[] = TEAM): Regel => ({ wie, opZaak: false });
const zaak = (wie: readonly Rol[]): Regel => ({ wie, opZaak: true });

/** The policy table. A route without a row here does not compile (and a test walks every route). */
export const BELEID: Record<Handeling, Regel> = {
  [Verb.markeringBetrokkeneToevoegen]: team(),
  [Verb.markeringIndienen]: team(),
  // After a hermelding: a new case prefilled from (and linked to) this one, offered to its lead.
  [Verb.herhaalzaakOpenen]: zaak(REGIE),
  'extensie:verdiepen': team(),
  [Opdracht.verdiep]: team(),
  [Opdracht.zaken]: team(),
  [Opdracht.zaak]: team(),
  [Opdracht.overzicht]: team(),
  [Opdracht.digestTonen]: team(),
  [Opdracht.digestWijzigen]: team(['beheerder', 'officier']),
  [Opdracht.mijnActies]: team(),
  // Anonymised learning records of the team: counts and categories only.
  [Opdracht.leerbeeld]: team(),
  [Opdracht.help]: team(IEDEREEN),
  [Opdracht.ketenkaart]: zaak(BETROKKEN),
  [Opdracht.inzage]: zaak(REGIE),
  // Status views: every member sees the status; the handler shows content only to those allowed.
  [Verb.zaakBekijken]: zaak(TEAM),
  [Verb.verdiepingskaartTonen]: zaak(TEAM),
  [Verb.uitvraagVernieuwen]: zaak(TEAM),
  [Verb.persoonlijkBekijken]: team(),
  // A follow-up card's own view: the handler shows content to its addressee (or the lead/officier) only.
  [Verb.opvolgingBekijken]: zaak(TEAM),
  [Verb.toegangVragen]: zaak(TEAM),
  [Verb.toegangBeslissen]: zaak(REGIE),
  [Verb.principeOpenen]: zaak(BETROKKEN),
  [Verb.principeOpslaan]: zaak(BETROKKEN),
  [Verb.duidingOpenen]: zaak(BETROKKEN),
  [Verb.duidingDoorgaan]: zaak(BETROKKEN),
  [Verb.duidingTerug]: zaak(BETROKKEN),
  [Verb.duidingVastleggen]: zaak(BETROKKEN),
  [Verb.besluitOpenen]: zaak(REGIE),
  [Verb.besluitRijToevoegen]: zaak(REGIE),
  [Verb.besluitVastleggen]: zaak(REGIE),
  [Verb.afsluitingOpenen]: zaak(REGIE),
  [Verb.afsluitingVastleggen]: zaak(REGIE),
  [Verb.heropeningOpenen]: zaak(REGIE),
  [Verb.heropeningVastleggen]: zaak(REGIE),
  [Verb.casusregieKiezen]: zaak(REGIE),
  [Verb.casusregieOverdragen]: zaak(REGIE),
  [Verb.uitvraagNieuw]: zaak(REGIE),
  [Verb.uitvraagVersturen]: zaak(REGIE),
  [Verb.uitvraagAnnuleren]: zaak(REGIE),
  // Takes a question back: its invitee is off the case by it.
  [Verb.uitvraagIntrekken]: zaak(REGIE),
  [Verb.uitvraagBeantwoorden]: zaak(['genodigde']),
  [Verb.uitvraagAfwijzen]: zaak(['genodigde']),
  [Verb.uitvraagCorrigeren]: zaak(['genodigde']),
  // The action's owner is a betrokken professional; the domain checks it is their action.
  [Verb.actieBijwerken]: zaak(BETROKKEN),
  [Verb.monitoringVastleggen]: zaak(REGIE),
};

/** The parts of a case and who may see them (partner answers follow `magAntwoordZien`). */
export type Onderdeel = 'status' | 'inhoud' | 'inzage';

export const ZICHT: Record<Onderdeel, readonly Rol[]> = {
  /** Zaaknummer, zaaktypes, phase, counts, next step, who leads, when: what any member may know. */
  status: TEAM,
  /** Signaal, betrokkenen, principle steps, duiding, besluit, history, ketenkaart. */
  inhoud: BETROKKEN,
  /** Who saw what. */
  inzage: REGIE,
};

/** Who the actor is in the team, from the roster and the configuration (resolved once per turn). */
export interface Teamrollen {
  lid: boolean;
  officier: boolean;
  beheerder: boolean;
}

function heeft(ids: readonly string[], ...kandidaten: (string | undefined)[]): boolean {
  return kandidaten.some((k) => !!k && ids.includes(k));
}

/** The actor's roles, on a case when one is given. Someone outside the roster has no other role. */
export function rollenVan(team: Teamrollen, ids: readonly string[], z?: Verdiepingszaak): Set<Rol> {
  if (!team.lid) return new Set(['niet_lid']);
  const rollen = new Set<Rol>(['teamlid']);
  if (team.officier) rollen.add('officier');
  if (team.beheerder) rollen.add('beheerder');
  if (!z) return rollen;
  if (heeft(ids, z.lead.id, z.lead.teamsId)) rollen.add('casusregisseur');
  // Asked, even when withdrawn: their own question tells them so; only `opDeZaak` puts them on the case.
  const vragen = z.uitvragen.filter((u) => heeft(ids, u.invitee.id, u.invitee.teamsId));
  if (vragen.length > 0) rollen.add('genodigde');
  const toegelaten = toegangVan(z).leden.some((l) => heeft(ids, l.id, l.teamsId));
  const eigenaar = z.besluit?.acties.some((a) => heeft(ids, a.eigenaar.id, a.eigenaar.teamsId)) ?? false;
  if (rollen.has('casusregisseur') || rollen.has('officier') || vragen.some(opDeZaak) || toegelaten || eigenaar) rollen.add('betrokken');
  return rollen;
}

export function mag(handeling: Handeling, rollen: ReadonlySet<Rol>): boolean {
  return BELEID[handeling].wie.some((r) => rollen.has(r));
}

export function magZien(onderdeel: Onderdeel, rollen: ReadonlySet<Rol>): boolean {
  return ZICHT[onderdeel].some((r) => rollen.has(r));
}

/**
 * A partner's answer: its invitee, the casusregisseur and the officieren; the other betrokken
 * professionals only when the partner allowed it to be shared.
 */
export function magAntwoordZien(uitvraag: Uitvraag, ids: readonly string[], rollen: ReadonlySet<Rol>): boolean {
  if (heeft(ids, uitvraag.invitee.id, uitvraag.invitee.teamsId)) return true;
  if (rollen.has('casusregisseur') || rollen.has('officier')) return true;
  return rollen.has('betrokken') && uitvraag.antwoord?.gedeeld === true;
}

/**
 * A partner asked is on the case, unless they answered that their organisation has no role in it
 * (then only on their own question) or the question was withdrawn.
 */
function opDeZaak(u: Uitvraag): boolean {
  return geldend(u) && !(u.status === 'afgewezen' && u.afwijzing?.soort === 'geen_rol');
}

/** The Teams ids of the betrokken professionals the bot knows (for a card's user-specific view; Teams allows 60). */
export function betrokkenTeamsIds(z: Verdiepingszaak, max = 60): string[] {
  const ids = [z.lead.teamsId, ...z.uitvragen.filter(opDeZaak).map((u) => u.invitee.teamsId), ...toegangVan(z).leden.map((l) => l.teamsId), ...(z.besluit?.acties.map((a) => a.eigenaar.teamsId) ?? [])];
  return [...new Set(ids.filter((id): id is string => !!id))].slice(0, max);
}

/** The short Dutch reason for a refusal. */
export function weigering(handeling: Handeling, rollen: ReadonlySet<Rol>, z?: Verdiepingszaak): string {
  if (rollen.has('niet_lid')) return 'Verdiep is alleen voor leden van dit ZSM-team. Er is niets opgeslagen.';
  const wie = BELEID[handeling].wie;
  if (wie.length === 1 && wie[0] === 'genodigde') return 'Alleen de partner aan wie de vraag is gesteld kan hierop reageren. Er is niets opgeslagen.';
  const namen = wie.map((r) => (r === 'casusregisseur' && z ? `de casusregisseur (${z.lead.name})` : r === 'officier' ? 'een officier van justitie' : r === 'beheerder' ? 'een beheerder' : `een ${ROL_NAMEN[r]}`));
  const tekst = namen.length > 1 ? `${namen.slice(0, -1).join(', ')} of ${namen.at(-1)}` : namen[0];
  return `Dit kan alleen ${tekst}. Er is niets opgeslagen.`;
}
