import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { toegangVerzoekCard, type VerzoekStand } from '../../cards/toegang-verzoek';
import { mentionLid } from '../../cards/uitvraag-prompt';
import { caseIdOf, inZaakgesprek, zaakVanActie } from '../../dialogs/zaakbeurt';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { actorOf } from '../bot/teams';
import { teamLid } from '../bot/leden';
import { actie, rollenOpZaak } from '../bot/toegang';
import { withMentions } from '../bot/views';
import type { ZaakMelding } from '../domain/jobs';
import { toegangVan, type Lid, type Verdiepingszaak, type ZaakEvent } from '../domain/zaak';
import { Verb } from '../verbs';

const ONGELDIG = 'Deze knop klopt niet (meer). Er is niets opgeslagen.';

const Beslissing = z.object({
  caseId: z.string().min(1).max(200),
  lidId: z.string().min(1).max(200),
  besluit: z.enum(['toestaan', 'weigeren', 'intrekken']).optional(),
});

/** A decision on a request, as the event that records it, and the state it leaves the request in. */
const BESLUITEN = { 'toegang.verleend': 'verleend', 'toegang.geweigerd': 'geweigerd', 'toegang.ingetrokken': 'ingetrokken' } as const;
const EVENT = { toestaan: 'toegang.verleend', weigeren: 'toegang.geweigerd', intrekken: 'toegang.ingetrokken' } as const;
const isBesluit = (e: ZaakEvent): e is Extract<ZaakEvent, { type: keyof typeof BESLUITEN }> => e.type in BESLUITEN;

function lidVan(context: TurnContext): Lid {
  const actor = actorOf(context.activity);
  return { ...actor, teamsId: context.activity.from?.id ?? actor.id };
}

/** The casusregisseur as a team member (their Teams id, for the mention and their refresh); undefined when Teams does not know them. */
async function casusregisseur(context: TurnContext, deps: Deps, zaak: Verdiepingszaak): Promise<Lid | undefined> {
  if (zaak.lead.teamsId) return { ...zaak.lead, teamsId: zaak.lead.teamsId };
  try {
    const lid = await teamLid(context, zaak.teamId, zaak.lead.id);
    if (!lid) deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id }, 'casusregisseur not found in the team');
    return lid && { ...zaak.lead, teamsId: lid.teamsId };
  } catch (err) {
    deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, err: (err as Error).message }, 'could not look up the casusregisseur');
    return undefined;
  }
}

async function verzoekKaart(context: TurnContext, deps: Deps, zaak: Verdiepingszaak, lid: Lid, stand: VerzoekStand) {
  return verzoekMetLead(zaak, lid, stand, deps.config.timeZone, stand.status === 'open' ? await casusregisseur(context, deps, zaak) : undefined);
}

function verzoekMetLead(zaak: Verdiepingszaak, lid: Lid, stand: VerzoekStand, timeZone: string, lead: Lid | undefined) {
  const card = toegangVerzoekCard(zaak, lid, stand, timeZone, lead);
  return lead ? withMentions(card, [mentionLid(lead)]) : card;
}

/** How a request stands now: open, or the last decision on it (from the case's events). */
async function standVan(deps: Deps, zaak: Verdiepingszaak, lidId: string): Promise<{ lid: Lid; stand: VerzoekStand } | undefined> {
  const open = toegangVan(zaak).verzoeken.find((l) => l.id === lidId);
  if (open) return { lid: open, stand: { status: 'open' } };
  const besluit = (await deps.store.listEvents(zaak.teamId, zaak.id)).filter(isBesluit).filter((e) => e.data.lid.id === lidId).at(-1);
  if (!besluit) return undefined;
  return { lid: besluit.data.lid, stand: { status: BESLUITEN[besluit.type], door: besluit.actor, op: besluit.at } };
}

/**
 * Access to a case's content. `toegang.vragen`: a team member without it asks once; a status card
 * with Toestaan / Weigeren goes to the case thread for the casusregisseur. `toegang.beslissen`:
 * the casusregisseur or an officier decides on the stored request (the member comes from the
 * request, never from the card), or takes granted access back, and the card is updated in place.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.toegangVragen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) {
      deps.log.warn({ activityId: context.activity.id }, 'access request without a case id');
      return ONGELDIG;
    }
    const r = await zaakVanActie(context, deps, caseId);
    if (!r.ok) return r.notice;
    const { zaak, scope } = r;
    if (rollenOpZaak(context, zaak).has('betrokken')) return `Je hebt al toegang tot zaak ${zaak.reference}.`;
    const lid = lidVan(context);
    const openstaand = (z: Verdiepingszaak) => toegangVan(z).verzoeken.some((l) => l.id === lid.id);
    let nieuw = false;
    const lead = await casusregisseur(context, deps, zaak);
    // The request card (it @mentions the lead) goes through the outbox with the request; the case records it once posted.
    await deps.zaken.change(
      scope.teamId,
      caseId,
      lid,
      (z) => {
        nieuw = !openstaand(z);
        return nieuw ? [{ type: 'toegang.gevraagd', data: { lid } }] : [];
      },
      { gelezen: zaak, melding: (z) => ({ ...inZaakgesprek(context, z, verzoekMetLead(z, lid, { status: 'open' }, deps.config.timeZone, lead)), opZaak: true }) },
    );
    if (!nieuw) return `Je verzoek om toegang tot zaak ${zaak.reference} ligt al bij de casusregisseur (${zaak.lead.name}).`;
    deps.log.info({ teamId: scope.teamId, caseId }, 'access requested');
    return `Je hebt toegang gevraagd tot zaak ${zaak.reference}. De casusregisseur (${zaak.lead.name}) beslist; je ziet het in het zaakgesprek.`;
  });

  actie(app, Verb.toegangBeslissen, async (context, data) => {
    const parsed = Beslissing.safeParse(data ?? {});
    if (!parsed.success) {
      deps.log.warn({ activityId: context.activity.id }, 'access decision with invalid data');
      return ONGELDIG;
    }
    const { caseId, lidId, besluit } = parsed.data;
    const r = await zaakVanActie(context, deps, caseId);
    if (!r.ok) return r.notice;
    const { zaak, scope } = r;
    const nu = await standVan(deps, zaak, lidId);
    if (!nu) {
      deps.log.warn({ teamId: scope.teamId, caseId }, 'access decision on an unknown request');
      return 'Er is geen verzoek om toegang van deze persoon bij deze zaak. Er is niets opgeslagen.';
    }
    // A refresh (no decision): the card as it stands, for the casusregisseur.
    if (!besluit) return verzoekKaart(context, deps, zaak, nu.lid, nu.stand);
    // Open: allow or refuse; granted: take it back. Anything else shows the card as it stands.
    if (nu.stand.status !== (besluit === 'intrekken' ? 'verleend' : 'open')) return verzoekKaart(context, deps, zaak, nu.lid, nu.stand);
    const actor = actorOf(context.activity);
    const messageId = context.activity.replyToId;
    let lid: Lid | undefined;
    // The card the decision was made on shows it to everyone: replaced through the outbox with the decision,
    // and only a card the bot posted for this case.
    const vervanging = (z: Verdiepingszaak): ZaakMelding | undefined =>
      lid && messageId && z.berichten?.includes(messageId)
        ? { ...inZaakgesprek(context, z, verzoekMetLead(z, lid, { status: BESLUITEN[EVENT[besluit]], door: actor, op: z.updatedAt }, deps.config.timeZone, undefined)), vervangt: messageId }
        : undefined;
    const na = await deps.zaken.change(
      scope.teamId,
      caseId,
      actor,
      (z) => {
        const t = toegangVan(z);
        lid = (besluit === 'intrekken' ? t.leden : t.verzoeken).find((l) => l.id === lidId);
        return lid ? [{ type: EVENT[besluit], data: { lid } }] : [];
      },
      { gelezen: zaak, melding: vervanging },
    );
    const beslist = await standVan(deps, na, lidId);
    if (!beslist) return ONGELDIG;
    if (lid) deps.log.info({ teamId: scope.teamId, caseId, besluit }, 'access request decided');
    return verzoekKaart(context, deps, na, beslist.lid, beslist.stand);
  });
}
