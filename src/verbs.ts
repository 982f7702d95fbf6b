/** The one route key: every card action and dialog carries one of these verbs. */
export const Verb = {
  markeringBetrokkeneToevoegen: 'markering.betrokkene_toevoegen',
  markeringIndienen: 'markering.indienen',
} as const;
export type Verb = (typeof Verb)[keyof typeof Verb];

/** Message-extension command ids, as declared in appPackage/manifest.json. */
export const Command = {
  verdiepen: 'verdiepen',
} as const;
