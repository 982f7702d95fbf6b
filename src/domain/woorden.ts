/**
 * One name per thing in the UI. Cards, messages and the domain take these names from here, so a
 * thing is not called two names on two screens.
 */
export const WOORDEN = {
  /** The team member who leads the case (the role; never "casusregie" as a person). */
  casusregisseur: 'casusregisseur',
  Casusregisseur: 'Casusregisseur',
  /** The case's own conversation in the channel (Teams' "thread"). */
  zaakgesprek: 'zaakgesprek',
  /** The weekly summary in the channel, and the command that sets when it comes. */
  weekoverzicht: 'weekoverzicht',
  Weekoverzicht: 'Weekoverzicht',
  /** Whether a person or situation is known before, in a step and in a partner's answer. */
  eerderBekend: 'Eerder bekend?',
  /** The spelen-met-tijd choice of doing nothing special with time. */
  geenTijdstrategie: 'Geen bijzondere tijdstrategie',
  /** The targeted question to a partner. */
  gerichteVraag: 'Gerichte vraag',
  /** Placeholder for a case reference in command examples (no angle brackets: Teams drops them as tags). */
  zaaknummer: '[zaaknummer]',
} as const;

/** English words that must not reach the Dutch UI (whole words, case-insensitive). */
export const ENGELSE_WOORDEN = ['thread', 'threads', 'cron', 'need-to-know', 'need to know', 'nice to know', 'submit', 'cancel', 'digest'] as const;

/**
 * " (Organisatie)" after a name, by its short name ("OM", not "OM (officier van justitie)"), or
 * nothing when the display name already carries an organisation in brackets or names this one
 * ("Samira el Idrissi (Veilig Thuis)", "Marieke Bosman (RvdK)").
 */
export function organisatieAchter(naam: string, organisatie: string): string {
  const kort = organisatie.replace(/ \(.*\)$/, '');
  const klein = naam.toLocaleLowerCase('nl');
  if (/\([^()]+\)\s*$/.test(naam) || klein.includes(kort.toLocaleLowerCase('nl'))) return '';
  return ` (${kort})`;
}

/** The sentence with its first letter a capital. */
export function metHoofdletter(zin: string): string {
  return zin.charAt(0).toUpperCase() + zin.slice(1);
}

/** "Naam (Organisatie)", the organisation named once. */
export function naamMetOrganisatie(naam: string, organisatie: string): string {
  return `${naam}${organisatieAchter(naam, organisatie)}`;
}
