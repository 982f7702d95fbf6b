/** The one route key: every card action and dialog carries one of these verbs. */
export const Verb = {
  markeringBetrokkeneToevoegen: 'markering.betrokkene_toevoegen',
  markeringIndienen: 'markering.indienen',
  herhaalzaakOpenen: 'herhaalzaak.openen',
  duidingOpenen: 'duiding.openen',
  duidingDoorgaan: 'duiding.doorgaan',
  duidingTerug: 'duiding.terug',
  duidingVastleggen: 'duiding.vastleggen',
  besluitOpenen: 'besluit.openen',
  besluitRijToevoegen: 'besluit.rij_toevoegen',
  besluitVastleggen: 'besluit.vastleggen',
  afsluitingOpenen: 'afsluiting.openen',
  afsluitingVastleggen: 'afsluiting.vastleggen',
  heropeningOpenen: 'heropening.openen',
  heropeningVastleggen: 'heropening.vastleggen',
  principeOpenen: 'principe.openen',
  principeOpslaan: 'principe.opslaan',
  verdiepingskaartTonen: 'verdiepingskaart.tonen',
  casusregieKiezen: 'casusregie.kiezen',
  casusregieOverdragen: 'casusregie.overdragen',
  uitvraagNieuw: 'uitvraag.nieuw',
  uitvraagVersturen: 'uitvraag.versturen',
  uitvraagAnnuleren: 'uitvraag.annuleren',
  uitvraagIntrekken: 'uitvraag.intrekken',
  uitvraagVernieuwen: 'uitvraag.vernieuwen',
  uitvraagBeantwoorden: 'uitvraag.beantwoorden',
  uitvraagAfwijzen: 'uitvraag.afwijzen',
  uitvraagCorrigeren: 'uitvraag.corrigeren',
  actieBijwerken: 'actie.bijwerken',
  monitoringVastleggen: 'monitoring.vastleggen',
  zaakBekijken: 'zaak.bekijken',
  toegangVragen: 'toegang.vragen',
  toegangBeslissen: 'toegang.beslissen',
  persoonlijkBekijken: 'persoonlijk.bekijken',
  opvolgingBekijken: 'opvolging.bekijken',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/** Message-extension command ids, as declared in appPackage/manifest.json. */
export const Command = {
  verdiepen: 'verdiepen',
} as const;
export type Command = (typeof Command)[keyof typeof Command];

/** Commands typed to the bot in the channel (the route key of a message). */
export const Opdracht = {
  verdiep: 'verdiep',
  zaken: 'zaken',
  zaak: 'zaak',
  ketenkaart: 'ketenkaart',
  overzicht: 'overzicht',
  digestTonen: 'digest',
  digestWijzigen: 'digest wijzigen',
  mijnActies: 'mijn acties',
  inzage: 'inzage',
  leerbeeld: 'leerbeeld',
  help: 'help',
} as const;
export type Opdracht = (typeof Opdracht)[keyof typeof Opdracht];
