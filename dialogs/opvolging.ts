import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { actieCard, afsluitenVoorstelCard, duidingHeropendCard, herinneringCard, monitoringCard, plandatumCard, verlopenCard } from '../cards/opvolging';
import type { AdaptiveCard } from '../cards/render';
import { mentionLid } from '../cards/uitvraag-prompt';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { legInzageVast } from '../src/bot/inzage';
import { eigenIds } from '../src/bot/leden';
import { actorOf } from '../src/bot/teams';
import { actie, rollenOpZaak } from '../src/bot/toegang';
import { withMentions, type Opvolging } from '../src/bot/views';
import {
  ACTIE_AL_BIJGEWERKT,
  actieBijwerken,
  isEigenaar,
  ALLEEN_EIGENAAR,
  monitoringAfgerond,
  monitoringVastleggen,
  readActieAntwoord,
  readMonitoring,
  validateActieAntwoord,
  validateMonitoring,
  isLaatsteMonitoring,
} from '../src/domain/opvolging';
import type { JobKind, ZaakMelding } from '../src/domain/jobs';
import { isGenodigde, isLead } from '../src/domain/uitvraag';
import { DomainError, type Actor, type Lid, type NewZaakEvent, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { inZaakgesprek, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Deze kaart kon niet worden gelezen. Open de zaakkaart in het zaakgesprek en probeer het opnieuw.';
const ONBEKENDE_ACTIE = 'Deze actie staat niet (meer) in het besluit van deze zaak.';
const ONBEKEND = 'Deze opvolging hoort niet (meer) bij deze zaak.';

const bekijkPayload = z.object({ caseId: z.string().min(1).max(200), soort: z.enum(['herinnering', 'verlopen', 'plandatum', 'actie', 'monitoring']), ref: z.string().max(200) });

/** Whether the actor leads the case or is an officier (they see every follow-up's content). */
function regie(context: TurnContext, zaak: Verdiepingszaak): boolean {
  const rollen = rollenOpZaak(context, zaak);
  return rollen.has('casusregisseur') || rollen.has('officier');
}

/** The acting user as recorded on events, with the Teams id so they can be mentioned later. */
function actor(context: TurnContext): Actor {
  const from = context.activity.from;
  return { ...actorOf(context.activity), ...(from?.id ? { teamsId: from.id } : {}) };
}

/** The case lead as a member to mention: known from the case, or it is the acting user. */
function leadLid(zaak: Verdiepingszaak, context: TurnContext): Lid | undefined {
  if (zaak.lead.teamsId) return mentionLid({ id: zaak.lead.id, name: zaak.lead.name, teamsId: zaak.lead.teamsId });
  const ids = eigenIds(context);
  const from = context.activity.from;
  return isLead(zaak, ids) && from?.id ? mentionLid({ id: zaak.lead.id, name: zaak.lead.name, teamsId: from.id }) : undefined;
}

function unreadable(context: TurnContext, deps: Deps): string {
  const verb = (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  deps.log.warn({ activityId: context.activity.id, verb: typeof verb === 'string' ? verb : null }, 'unreadable card payload');
  return UNREADABLE;
}

/**
 * The answered card as one of the case's follow-up cards, so the thread views show its outcome to
 * everyone: the events that record it, when the case does not yet (a card posted before cases
 * recorded them). Only the message the dispatcher sent for this follow-up is taken on, never
 * another one the answer names as `replyToId`.
 */
async function eigenKaart(context: TurnContext, deps: Deps, zaak: Verdiepingszaak, kind: JobKind, opvolging: Opvolging): Promise<(z: Verdiepingszaak) => NewZaakEvent[]> {
  const messageId = context.activity.replyToId;
  const bekend = (z: Verdiepingszaak) => !!z.opvolgkaarten?.some((o) => o.messageId === messageId && o.soort === opvolging.soort && o.ref === opvolging.ref);
  if (messageId && bekend(zaak)) return () => [];
  const eigen = !!messageId && (await deps.store.listJobs(zaak.teamId, { caseId: zaak.id })).some((j) => j.kind === kind && j.ref === opvolging.ref && j.sentMessageId === messageId);
  if (!messageId || !eigen) {
    deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, kind }, 'answered follow-up card not updated: not a message sent for it');
    return () => [];
  }
  return (z) => (bekend(z) ? [] : [{ type: 'opvolging.kaart_geplaatst', data: { ...opvolging, conversationId: context.activity.conversation.id, messageId } }]);
}

/**
 * Answers to the follow-up cards the dispatcher posts: an action's owner (or the case lead) marks
 * it gereed, gives it a new date or lets it lapse; the case lead (or an officier) records a
 * monitoring check. Both are case events; the answered card shows the outcome for everyone.
 */
export function register(app: App, deps: Deps): void {
  const tz = deps.config.timeZone;

  // A follow-up card's own view (refresh for the addressee, or "Bekijken"): content only for the addressee or the lead/officier, checked on every call.
  actie(app, Verb.opvolgingBekijken, async (context, data) => {
    const parsed = bekijkPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const { soort, ref } = parsed.data;
    const ids = eigenIds(context);
    const isRegie = regie(context, zaak);
    const lead = leadLid(zaak, context);
    const metLead = (card: AdaptiveCard) => withMentions(card, lead ? [lead] : []);
    // Content shown is recorded first (inzage).
    const gezien = async (inhoud: boolean) => {
      if (inhoud) await legInzageVast(context, deps, [zaak], 'opvolging');
      return inhoud;
    };
    if (soort === 'herinnering' || soort === 'verlopen') {
      const uitvraag = zaak.uitvragen.find((u) => u.id === ref);
      if (!uitvraag) return ONBEKEND;
      if (soort === 'herinnering') return withMentions(herinneringCard(zaak, uitvraag, tz, await gezien(isGenodigde(uitvraag, ids))), [mentionLid(uitvraag.invitee)]);
      return metLead(verlopenCard(zaak, lead, uitvraag, tz, await gezien(isRegie)));
    }
    if (soort === 'plandatum') return metLead(plandatumCard(zaak, lead, tz, await gezien(isRegie), ref || undefined));
    if (soort === 'monitoring') return metLead(monitoringCard(zaak, lead, ref, tz, { inhoud: await gezien(isRegie) }));
    const a = zaak.besluit?.acties.find((x) => x.id === ref);
    if (!a) return ONBEKENDE_ACTIE;
    return withMentions(actieCard(zaak, a, tz, { inhoud: await gezien(isEigenaar(a, ids) || isRegie) }), [mentionLid(a.eigenaar)]);
  });

  actie(app, Verb.actieBijwerken, async (context, data) => {
    const read = readActieAntwoord(data);
    if (!read) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, read.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const actie = zaak.besluit?.acties.find((a) => a.id === read.actieId);
    if (!actie) return ONBEKENDE_ACTIE;
    const ids = eigenIds(context);
    const log = { teamId: zaak.teamId, caseId: zaak.id, actieId: actie.id };
    const magZien = isEigenaar(actie, ids) || regie(context, zaak);
    const kaart = (z: Verdiepingszaak, opties: Parameters<typeof actieCard>[3]) => {
      const a = z.besluit?.acties.find((x) => x.id === read.actieId) ?? actie;
      return withMentions(actieCard(z, a, tz, { basis: read.basis, inhoud: magZien, ...opties }), [mentionLid(a.eigenaar)]);
    };

    if (!isEigenaar(actie, ids) && !isLead(zaak, ids)) {
      deps.log.warn(log, 'action update refused: not the owner or the case lead');
      return kaart(zaak, { melding: { tekst: ALLEEN_EIGENAAR(actie, zaak.lead.name), soort: 'let_op' } });
    }
    if (actie.status !== 'open' || actie.datum !== read.basis || zaak.fase === 'gesloten') {
      deps.log.info(log, 'action update refused: stale card');
      return kaart(zaak, { melding: { tekst: zaak.fase === 'gesloten' ? 'Deze zaak is gesloten.' : ACTIE_AL_BIJGEWERKT, soort: 'let_op' } });
    }
    const result = validateActieAntwoord(read.invoer, deps.clock.now(), tz);
    if (!result.ok) {
      deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'action update refused: form');
      return kaart(zaak, { invoer: { datum: read.invoer.datum, toelichting: read.invoer.toelichting }, errors: result.errors });
    }
    const vastleggen = await eigenKaart(context, deps, zaak, 'actie.vervaldatum', { soort: 'actie', ref: actie.id, basis: read.basis });
    let saved: Verdiepingszaak;
    try {
      saved = await deps.zaken.change(zaak.teamId, zaak.id, actor(context), (current) => [...actieBijwerken(current, actie.id, ids, result.value, read.basis), ...vastleggen(current)], { gelezen: zaak });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      deps.log.info({ ...log, reason: err.name }, 'action update refused');
      return kaart((await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak, { melding: { tekst: err.userMessage, soort: 'let_op' } });
    }
    deps.log.info({ ...log, status: result.value.status, nieuweDatum: !!result.value.datum }, 'action updated');
    const tekst =
      result.value.status === 'gereed' ? 'De actie staat op gereed.' : result.value.status === 'vervallen' ? 'De actie is vervallen.' : 'De actie heeft een nieuwe datum; op die dag vraag ik opnieuw hoe het staat.';
    return kaart(saved, { melding: { tekst, soort: 'goed' } });
  });

  actie(app, Verb.monitoringVastleggen, async (context, data) => {
    const read = readMonitoring(data);
    if (!read) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, read.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const ids = eigenIds(context);
    const log = { teamId: zaak.teamId, caseId: zaak.id, datum: read.datum };
    const magZien = regie(context, zaak);
    const kaart = (z: Verdiepingszaak, opties: Parameters<typeof monitoringCard>[4] = {}) => {
      const lead = leadLid(z, context);
      return withMentions(monitoringCard(z, lead, read.datum, tz, { inhoud: magZien, ...opties }), lead ? [lead] : []);
    };
    const result = validateMonitoring(read.invoer, isLaatsteMonitoring(zaak, read.datum));
    let saved: Verdiepingszaak;
    try {
      // Authorisation and staleness are checked on the current case first: a refused user learns nothing from the form checks.
      monitoringVastleggen(zaak, read.datum, ids, deps.config.zsm.officieren, result.ok ? result.value : { hermelding: 'onbekend', koersPassend: true });
      if (!result.ok) {
        deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'monitoring refused: form');
        return kaart(zaak, { invoer: read.invoer, errors: result.errors });
      }
      const lead = leadLid(zaak, context);
      const vastleggen = await eigenKaart(context, deps, zaak, 'monitoring', { soort: 'monitoring', ref: read.datum, ...(lead ? { lead } : {}) });
      saved = await deps.zaken.change(zaak.teamId, zaak.id, actor(context), (current) => [...monitoringVastleggen(current, read.datum, ids, deps.config.zsm.officieren, result.value), ...vastleggen(current)], {
        gelezen: zaak,
        melding: (z) => monitoringVervolg(context, z, read.datum),
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      deps.log.info({ ...log, reason: err.name }, 'monitoring refused');
      return kaart((await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak, { melding: { tekst: err.userMessage, soort: 'let_op' } });
    }
    const check = saved.monitoring.find((m) => m.datum === read.datum)!;
    deps.log.info({ ...log, fase: saved.fase }, 'monitoring recorded');
    const tekst = !check.koersPassend
      ? 'De monitoring is vastgelegd. De koers past niet meer: de zaak staat weer in de fase duiding.'
      : monitoringAfgerond(saved)
        ? 'De monitoring is vastgelegd. Dit was de laatste: sluit de zaak af met de leeropbrengst.'
        : check.hermelding === 'ja'
          ? 'De monitoring is vastgelegd. Er was een hermelding: de zaak blijft open. Kijk of de koers nog past en plan zo nodig een nieuwe monitoringdatum.'
          : 'De monitoring is vastgelegd.';
    return kaart(saved, { melding: { tekst, soort: 'goed' } });
  });
}

/** What a monitoring check posts in the case thread: the duiding reopened, or (after the last check) the proposal to close. */
function monitoringVervolg(context: TurnContext, zaak: Verdiepingszaak, datum: string): ZaakMelding | undefined {
  const check = zaak.monitoring.find((m) => m.datum === datum)!;
  if (!check.koersPassend) return inZaakgesprek(context, zaak, duidingHeropendCard(zaak));
  if (!monitoringAfgerond(zaak)) return undefined;
  const lead = leadLid(zaak, context);
  return inZaakgesprek(context, zaak, withMentions(afsluitenVoorstelCard(zaak, lead), lead ? [lead] : []));
}

