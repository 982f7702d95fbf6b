import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Partner } from '../../src/domain/catalogue';
import { BELEID, mag, weigering, type Handeling, type Rol } from '../../src/domain/toegang';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Command, Opdracht, Verb } from '../../src/verbs';
import { CHANNEL_ID, FOREIGN_TENANT, TEAM_ID, VEILIG_THUIS, cardAction, mention, messageActionFetch, messageActionSubmit, type Env, type User } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';
import { alsLid, verleenToegang } from '../support/toegang';
import { actorOf, besluit, lid, service } from '../dispatch/support';

/**
 * The verb × role matrix, generated from the policy table: every card verb, typed command and
 * message-extension command, sent over HTTP by each kind of user, is allowed or refused as BELEID
 * says. A refusal stores nothing, sends nothing with content, and answers with the policy's short
 * Dutch reason; whoever may not see a case's content never gets a marker in any answer.
 */

const REGISSEUR: User = { id: '29:regie', aadObjectId: 'aad-regie', name: 'Casusregisseur Smit' };
const OVJ: User = { id: '29:ovj', aadObjectId: 'aad-ovj', name: 'Officier Bakker' };
const WIJKAGENT: User = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
const RVDK: User = { id: '29:rvdk', aadObjectId: 'aad-rvdk', name: 'Raadsonderzoeker Jansen' };
const HALT: User = { id: '29:halt', aadObjectId: 'aad-halt', name: 'Medewerker Halt' };
const GAST: User = { id: '29:gast', aadObjectId: 'aad-gast', name: 'Gast Buiten' };

/** Case text that no refused (or content-less) answer may carry; letters only, so no card escaping hides one. */
const MARKERS = {
  signaal: 'MatrixSignaalQvz',
  stap: 'MatrixStapRkw',
  vraag: 'MatrixVraagPzt',
  antwoord: 'MatrixAntwoordJxm',
  hypothese: 'MatrixHypotheseWqb',
  actie: 'MatrixActieLnv',
};
const ANDERE = '13/777002-26';

interface Actor {
  naam: string;
  user: User;
  foreign?: boolean;
  /** The roles the policy should give this user on the matrix case (spelled out, not computed). */
  rollen: Rol[];
}

const ACTOREN: Actor[] = [
  { naam: 'niet-lid', user: GAST, rollen: ['niet_lid'] },
  { naam: 'foreign tenant', user: REGISSEUR, foreign: true, rollen: [] },
  { naam: 'teamlid', user: WIJKAGENT, rollen: ['teamlid'] },
  { naam: 'genodigde', user: VEILIG_THUIS, rollen: ['teamlid', 'genodigde', 'betrokken'] },
  { naam: "another case's genodigde", user: HALT, rollen: ['teamlid'] },
  { naam: 'betrokken professional', user: RVDK, rollen: ['teamlid', 'betrokken'] },
  { naam: 'casusregisseur', user: REGISSEUR, rollen: ['teamlid', 'casusregisseur', 'betrokken'] },
  { naam: 'officier', user: OVJ, rollen: ['teamlid', 'officier', 'betrokken'] },
];

const TENANT_WEIGERING = 'Verdiep is niet beschikbaar voor jouw organisatie. Neem contact op met de beheerder van Verdiep als je denkt dat dit niet klopt.';

/** What a user types for each command (case commands name the matrix case). */
const typed = (reference: string): Record<Opdracht, string> => ({
  [Opdracht.verdiep]: 'verdiep',
  [Opdracht.zaken]: 'zaken',
  [Opdracht.zaak]: `zaak ${reference}`,
  [Opdracht.ketenkaart]: `ketenkaart ${reference}`,
  [Opdracht.overzicht]: 'overzicht',
  [Opdracht.digestTonen]: 'digest',
  [Opdracht.digestWijzigen]: 'digest maandag 08:30',
  [Opdracht.mijnActies]: 'mijn acties',
  [Opdracht.inzage]: `inzage ${reference}`,
  [Opdracht.leerbeeld]: 'leerbeeld',
  [Opdracht.help]: 'help',
});

/** The smallest readable payload of each verb on the matrix case (an incomplete form is fine: the policy answers first). */
function payload(verb: Verb, z: Verdiepingszaak): Record<string, unknown> {
  const uitvraagId = z.uitvragen[0]!.id;
  const actie = z.besluit!.acties[0]!;
  switch (verb) {
    case Verb.markeringBetrokkeneToevoegen:
    case Verb.markeringIndienen:
      return { zaaknummer: '', zaaktypes: '', signaal: '', rijen: 1 };
    case Verb.principeOpenen:
    case Verb.principeOpslaan:
      return { caseId: z.id, stap: 1, basisVersie: 0 };
    case Verb.zaakBekijken:
    case Verb.verdiepingskaartTonen:
      return { caseId: z.id, kaart: verb === Verb.zaakBekijken ? 'zaakkaart' : 'verdiepingskaart' };
    case Verb.uitvraagVernieuwen:
    case Verb.uitvraagBeantwoorden:
    case Verb.uitvraagAfwijzen:
    case Verb.uitvraagCorrigeren:
    case Verb.uitvraagAnnuleren:
    case Verb.uitvraagIntrekken:
      return { caseId: z.id, uitvraagId };
    case Verb.toegangBeslissen:
      return { caseId: z.id, lidId: WIJKAGENT.aadObjectId, besluit: 'toestaan' };
    case Verb.persoonlijkBekijken:
      return { soort: 'ketenkaart', reference: z.reference };
    case Verb.opvolgingBekijken:
      return { caseId: z.id, soort: 'actie', ref: actie.id };
    case Verb.actieBijwerken:
      // A stale date on the card: whoever gets past the policy is told the card is out of date, so nothing changes.
      return { caseId: z.id, actieId: actie.id, basis: '2000-01-01', keuze: 'gereed', datum: '', toelichting: '' };
    case Verb.monitoringVastleggen:
      return { caseId: z.id, datum: z.besluit!.monitoring[0]!, hermelding: '', hermelding_wat: '', koers: '', toelichting: '' };
    default:
      return { caseId: z.id };
  }
}

const isVerb = (h: Handeling): h is Verb => (Object.values(Verb) as string[]).includes(h);
const isOpdracht = (h: Handeling): h is Opdracht => (Object.values(Opdracht) as string[]).includes(h);

describe('the verb × role matrix over HTTP, from BELEID', () => {
  let h: Harness;
  let andere: Verdiepingszaak;

  beforeAll(async () => {
    h = await startHarness({ now: '2026-10-20T10:00:00Z', config: { OFFICIEREN: OVJ.aadObjectId } });
    h.connector.members = [REGISSEUR, OVJ, WIJKAGENT, RVDK, HALT, VEILIG_THUIS].map(alsLid);
    // Halt is invited on another case of the team, not on the matrix case.
    andere = await seed(ANDERE, HALT, 'halt');
  });
  afterAll(async () => {
    await h.stop();
  });

  /** A case led by REGISSEUR, with `invitee` asked a question (answered, not shared), RVDK given access, a duiding and a besluit. */
  async function seed(reference: string, invitee: User, organisatie: Partner): Promise<Verdiepingszaak> {
    const s = service(h);
    const regie = actorOf(REGISSEUR);
    const z = await s.flag(TEAM_ID, { reference, types: ['jeugd'], signaal: `Jongen stal in een winkel. ${MARKERS.signaal}`, betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, regie);
    const root = `root-${z.id}`;
    await s.change(TEAM_ID, z.id, regie, () => [
      { type: 'zaak.thread_geopend', data: { channelId: CHANNEL_ID, conversationId: `${CHANNEL_ID};messageid=${root}`, rootMessageId: root } },
      { type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorgen: `Zorgen: ${MARKERS.stap}` } } },
      { type: 'uitvraag.verstuurd', data: { id: `u-${z.id}`, invitee: lid(invitee), organisatie, vraag: `Bekend? ${MARKERS.vraag}`, waarom: 'Nodig voor het besluit.', deadline: '2026-10-20T14:00:00Z' } },
    ]);
    await s.change(TEAM_ID, z.id, actorOf(invitee), () => [{ type: 'uitvraag.beantwoord', data: { uitvraagId: `u-${z.id}`, tekst: `Ja. ${MARKERS.antwoord}`, bron: 'Registratie', bekend: 'ja', gedeeld: false } }]);
    const [duiding, ...rest] = besluit([{ id: 'a1', eigenaar: lid(RVDK), datum: '2026-11-02', wat: `Huisbezoek ${MARKERS.actie}` }], ['2026-12-01']);
    const metHypothese = { ...duiding!, data: { ...(duiding!.data as object), hypothesen: [`Hypothese ${MARKERS.hypothese}`] } } as typeof duiding;
    await s.change(TEAM_ID, z.id, regie, () => [metHypothese!, ...rest]);
    await verleenToegang(h, z.id, RVDK, REGISSEUR);
    return (await h.store.getCase(TEAM_ID, z.id))!;
  }

  /** What the case, its jobs and its inzage log look like, and the team's record (the digest schedule). */
  async function staat(z: Verdiepingszaak) {
    return JSON.stringify([
      await h.store.listEvents(TEAM_ID, z.id),
      await h.store.listJobs(TEAM_ID, { caseId: z.id }),
      await h.store.listInzage(TEAM_ID, z.id, 100),
      await h.store.getCase(TEAM_ID, z.id),
      await h.store.listCases(TEAM_ID),
      await h.store.getTeam(TEAM_ID),
    ]);
  }

  /** Sends `handeling` as `actor` the way Teams would; returns what the actor got back and what reached the connector. */
  async function stuur(handeling: Handeling, actor: Actor, z: Verdiepingszaak) {
    const env: Env = actor.foreign ? { serviceUrl: h.serviceUrl, tenantId: FOREIGN_TENANT } : { serviceUrl: h.serviceUrl };
    const thread = z.thread!.conversationId;
    const before = h.connector.calls.length;
    let antwoorden: unknown[];
    if (isVerb(handeling)) {
      const res = await h.post(cardAction(env, actor.user, handeling, payload(handeling, z), 'matrix-card', thread));
      expect(res.status, `${handeling} as ${actor.naam}`).toBe(200);
      antwoorden = [res.body?.value];
    } else if (isOpdracht(handeling)) {
      const res = await h.post(mention(env, actor.user, typed(z.reference)[handeling]));
      expect(res.status).toBeLessThan(300);
      antwoorden = [];
    } else {
      const fetch = await h.post(messageActionFetch(env, actor.user, Command.verdiepen, '<p>Bericht</p>'));
      const submit = await h.post(messageActionSubmit(env, actor.user, Command.verdiepen, { zaaknummer: '', signaal: '' }));
      antwoorden = [fetch.body?.task?.value ?? fetch.body, submit.body?.task?.value ?? submit.body];
    }
    const verzonden = h.connector.calls.slice(before).filter((c) => c.method === 'POST' || c.method === 'PUT');
    // A typed command is answered with a message in the conversation.
    if (isOpdracht(handeling)) antwoorden = verzonden.filter((c) => c.kind === 'reply' || c.kind === 'send').map((c) => c.body?.attachments?.[0]?.content ?? c.body?.text);
    return { antwoorden, verzonden };
  }

  const handelingen = Object.keys(BELEID) as Handeling[];

  it('covers every row of the policy', () => {
    expect(handelingen.length).toBe(Object.values(Verb).length + Object.values(Opdracht).length + Object.values(Command).length);
  });

  for (const handeling of handelingen) {
    it(`${handeling}: ${BELEID[handeling].wie.join(', ')}`, async () => {
      const regel = BELEID[handeling];
      const z = await seed(`13/7771${String(handelingen.indexOf(handeling)).padStart(2, '0')}-26`, VEILIG_THUIS, 'veilig_thuis');
      const afwijkingen: string[] = [];
      for (const actor of ACTOREN) {
        const rollen = new Set(actor.rollen);
        const toegestaan = !actor.foreign && mag(handeling, rollen);
        const reden = actor.foreign ? TENANT_WEIGERING : weigering(handeling, rollen, regel.opZaak ? z : undefined);
        const voor = [await staat(z), await staat(andere)];
        const { antwoorden, verzonden } = await stuur(handeling, actor, z);
        const tekst = JSON.stringify(antwoorden);
        const waar = `${actor.naam} → ${handeling}`;
        // Whoever may not see the case's content never gets any of it, allowed or not.
        if (!['genodigde', 'betrokken professional', 'casusregisseur', 'officier'].includes(actor.naam)) {
          for (const m of Object.values(MARKERS)) if (tekst.includes(m)) afwijkingen.push(`${waar}: answer carries ${m}`);
        }
        for (const m of Object.values(MARKERS)) if (JSON.stringify(verzonden.map((c) => c.body)).includes(m)) afwijkingen.push(`${waar}: sent ${m} to Teams`);
        const geweigerd = antwoorden.some((a) => a === reden);
        // A teamlid without access asking for the ketenkaart gets the restricted card (status and "Toegang vragen") instead of a sentence.
        const beperkt = handeling === Opdracht.ketenkaart && rollen.has('teamlid') && antwoorden.some((a) => JSON.stringify(a).includes('Beperkt zichtbaar'));
        if (toegestaan) {
          if (geweigerd || antwoorden.some((a) => typeof a === 'string' && /alleen voor leden van dit ZSM-team|^Dit kan alleen|^Alleen de partner aan wie/.test(a))) afwijkingen.push(`${waar}: refused, the policy allows it (${tekst.slice(0, 160)})`);
          continue;
        }
        if (!geweigerd && !beperkt) afwijkingen.push(`${waar}: expected the refusal "${reden}", got ${tekst.slice(0, 200)}`);
        const na = [await staat(z), await staat(andere)];
        if (na[0] !== voor[0] || na[1] !== voor[1]) afwijkingen.push(`${waar}: refused but something was stored`);
        if (verzonden.some((c) => c.method === 'PUT')) afwijkingen.push(`${waar}: refused but a message was updated`);
        const posts = verzonden.filter((c) => c.method === 'POST');
        if (isOpdracht(handeling)) {
          if (posts.length !== 1 || (!beperkt && posts[0]!.body?.attachments?.length)) afwijkingen.push(`${waar}: refused with ${posts.length} posts`);
        } else if (posts.length) afwijkingen.push(`${waar}: refused but ${posts.length} messages were posted`);
      }
      expect(afwijkingen).toEqual([]);
    });
  }
});
