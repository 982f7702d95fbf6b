import { digestCards } from '../../cards/digest';
import { misluktCard } from '../../cards/opvolging';
import type { AdaptiveCard } from '../../cards/render';
import { mentionLid } from '../../cards/uitvraag-prompt';
import { formatDag } from '../../cards/besluit-samenvatting';
import { PARTNERS } from '../domain/catalogue';
import { isDigestMoment, leesDigestBron, weekDigestUit } from '../domain/digest';
import { verwijderdCard } from '../../cards/verwijderd';
import type { Bericht, ScheduledJob } from '../domain/jobs';
import { vervalReden } from '../domain/opvolging';
import type { CaseThread, Lid, Verdiepingszaak } from '../domain/zaak';
import { threadUrl } from '../bot/teams';
import { opvolgweergave, promptKaart, withMentions, zaakweergave, type Opvolging } from '../bot/views';
import type { Store, TeamRecord } from '../store/store';
import type { TeamsApi } from './teams-port';

/** What a due job comes down to at delivery time. */
export type Plan =
  | { soort: 'vervallen'; reden: string }
  /** Retention: replace each of these messages with the card (nothing to tell anyone when it fails). */
  | { soort: 'vervangen'; berichten: Bericht[]; kaart: AdaptiveCard }
  | {
      soort: 'versturen';
      /** The conversation of the first message: the case thread, or the team channel. */
      naar: string;
      /** The messages; the second and later go as replies under the first (a long digest). */
      kaarten: AdaptiveCard[];
      /** What it was, for the notice when Teams refuses it for good. */
      wat: string;
      /** The case it was about (none for the digest): its lead is told when it cannot be delivered. */
      zaak?: Verdiepingszaak;
      /** The case lead as a member, when the card already needed them. */
      lead?: Lid;
      /** False: nobody is told when Teams refuses it for good (an answer to a user's own message). */
      melden?: false;
      /** A follow-up card: the case records it once posted, and keeps its view up to date. */
      opvolging?: Opvolging;
    }
  /** A flagged case without its thread: open it (its verdiepingskaart then goes in as any post, see verdiepingskaartPlan). */
  | { soort: 'zaakgesprek'; zaak: Verdiepingszaak };

export interface BezorgContext {
  store: Store;
  timeZone: string;
  defaultDigestCron: string;
  /** TE_BESPREKEN_DUIDING_DAGEN */
  duidingDagen: number;
  now: Date;
}

/** The case lead as a member to mention, when Teams knows them. */
async function leadLid(zaak: Verdiepingszaak, api: TeamsApi): Promise<Lid | undefined> {
  const lid = await api.lid(zaak.lead);
  return lid ? mentionLid(lid) : undefined;
}

function gementioned(card: AdaptiveCard, ...leden: (Lid | undefined)[]): AdaptiveCard {
  return withMentions(card, leden.filter((l): l is Lid => !!l).map(mentionLid));
}

/** Plans a due job: the cards to send and where, or why it has lost its reason. */
export async function plan(job: ScheduledJob, team: TeamRecord, api: TeamsApi, ctx: BezorgContext): Promise<Plan> {
  if (job.kind === 'digest') return planDigest(job, team, ctx);
  if (job.kind === 'wissing') return { soort: 'vervangen', berichten: job.berichten ?? [], kaart: verwijderdCard() };
  if (job.kind === 'antwoord' || job.kind === 'melding') return planAntwoord(job, ctx);
  const zaak = await ctx.store.getCase(job.teamId, job.caseId);
  const reden = vervalReden(zaak, job, ctx.now, ctx.timeZone);
  if (reden || !zaak) return { soort: 'vervallen', reden: reden ?? 'zaak bestaat niet meer' };
  if (job.kind === 'zaakgesprek') return zaak.thread ? verdiepingskaartPlan(zaak, zaak.thread, ctx.timeZone) : { soort: 'zaakgesprek', zaak };
  const naar = zaak.thread?.conversationId ?? team.channelId;
  const tz = ctx.timeZone;
  if (job.kind === 'uitvraag.kaart') {
    const uitvraag = zaak.uitvragen.find((u) => u.id === job.ref)!;
    return { soort: 'versturen', naar, kaarten: [promptKaart(zaak, uitvraag, tz)], wat: `De kaart met de vraag aan ${PARTNERS[uitvraag.organisatie]}`, zaak };
  }
  const { opvolging, wat } = await opvolgingVan(zaak, job.kind, job.ref, api);
  const { lead } = opvolging;
  return { soort: 'versturen', naar, kaarten: [opvolgweergave(zaak, opvolging, tz)!], wat, zaak, ...(lead ? { lead } : {}), opvolging };
}

type Opvolgjob = Exclude<ScheduledJob['kind'], 'digest' | 'wissing' | 'antwoord' | 'melding' | 'zaakgesprek' | 'uitvraag.kaart'>;

/**
 * What a follow-up job posts: the card it is about (with the date it asks about, and the case lead
 * when the card mentions them), and what it was, for the notice when Teams refuses it for good.
 */
async function opvolgingVan(zaak: Verdiepingszaak, kind: Opvolgjob, ref: string, api: TeamsApi): Promise<{ opvolging: Opvolging; wat: string }> {
  const metLead = async (o: Omit<Opvolging, 'lead'>): Promise<Opvolging> => {
    const lead = await leadLid(zaak, api);
    return { ...o, ...(lead ? { lead } : {}) };
  };
  switch (kind) {
    case 'uitvraag.herinnering':
      return { opvolging: { soort: 'herinnering', ref }, wat: `De herinnering aan de vraag aan ${PARTNERS[zaak.uitvragen.find((u) => u.id === ref)!.organisatie]}` };
    case 'uitvraag.verlopen':
      return { opvolging: await metLead({ soort: 'verlopen', ref }), wat: `De melding dat ${PARTNERS[zaak.uitvragen.find((u) => u.id === ref)!.organisatie]} niet voor de deadline antwoordde` };
    case 'actie.vervaldatum': {
      const { datum } = zaak.besluit!.acties.find((a) => a.id === ref)!;
      return { opvolging: { soort: 'actie', ref, basis: datum }, wat: `De vraag over een actie met datum ${formatDag(datum)}` };
    }
    case 'monitoring':
      return { opvolging: await metLead({ soort: 'monitoring', ref }), wat: `De monitoringvraag van ${formatDag(ref)}` };
    case 'plandatum':
      return { opvolging: await metLead({ soort: 'plandatum', ref, basis: zaak.besluit!.plandatum!.op }), wat: 'De melding dat de plandatum is bereikt' };
  }
}

/** The verdiepingskaart of a flagged case, into its thread; the case records it once posted (see opZaakVastgelegd). */
export function verdiepingskaartPlan(zaak: Verdiepingszaak, thread: CaseThread, timeZone: string): Extract<Plan, { soort: 'versturen' }> {
  return { soort: 'versturen', naar: thread.conversationId, kaarten: [zaakweergave(zaak, 'verdiepingskaart', timeZone)], wat: 'De verdiepingskaart', zaak };
}

async function planDigest(job: ScheduledJob, team: TeamRecord, ctx: BezorgContext): Promise<Plan> {
  const cron = team.digestCron ?? ctx.defaultDigestCron;
  if (!isDigestMoment(cron, ctx.timeZone, new Date(job.dueAt))) return { soort: 'vervallen', reden: 'het schema van het weekoverzicht is gewijzigd' };
  const bron = await leesDigestBron(ctx.store, team.teamId, ctx.now, ctx.timeZone, ctx.duidingDagen);
  const kaarten = digestCards(weekDigestUit(bron, ctx.now, ctx.timeZone), { team: team.name, timeZone: ctx.timeZone, threadUrl: (t) => threadUrl(t, team.tenantId), soort: 'week' });
  return { soort: 'versturen', naar: team.channelId, kaarten, wat: 'Het weekoverzicht' };
}

/** The notice to the case lead that a follow-up could not be delivered (the lead is looked up only now, when not known yet). */
export async function misluktMelding(p: Extract<Plan, { soort: 'versturen' }>, reden: string, api: TeamsApi): Promise<AdaptiveCard | undefined> {
  if (!p.zaak || p.melden === false) return undefined;
  const lead = p.lead ?? (await leadLid(p.zaak, api));
  return gementioned(misluktCard(p.zaak, lead, p.wat, reden), lead);
}

/**
 * An answer Teams was too busy to take during the turn, or a change's status notice: its cards,
 * unless its case was erased meanwhile. A notice goes to the case's thread as it is now, or
 * replaces the card it names.
 */
async function planAntwoord(job: ScheduledJob, ctx: BezorgContext): Promise<Plan> {
  const zaak = job.caseId ? await ctx.store.getCase(job.teamId, job.caseId) : undefined;
  if (job.caseId && !zaak) return { soort: 'vervallen', reden: 'zaak bestaat niet meer' };
  if (!job.antwoord?.kaarten.length) return { soort: 'vervallen', reden: 'geen antwoord om te versturen' };
  const melding = job.kind === 'melding';
  if (melding && job.berichten?.length) return { soort: 'vervangen', berichten: job.berichten, kaart: job.antwoord.kaarten[0] as AdaptiveCard };
  const naar = (melding && zaak?.thread?.conversationId) || job.antwoord.naar;
  return { soort: 'versturen', naar, kaarten: job.antwoord.kaarten as AdaptiveCard[], wat: melding ? 'De melding in het zaakgesprek' : 'Het antwoord op een opdracht', ...(zaak ? { zaak } : {}), melden: false };
}
