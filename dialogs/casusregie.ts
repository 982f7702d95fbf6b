import { actie } from '../src/bot/toegang';
import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import { casusregieCard } from '../cards/casusregie';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { actorOf } from '../src/bot/teams';
import { heeftCasusregie, overdrachtPayload, overdragen } from '../src/domain/casusregie';
import { DomainError, isOpen, type Lid, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { overview, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Deze kaart kon niet worden gelezen. Open de verdiepingskaart opnieuw.';
const MAX_LEDEN = 500;

function lidOf(member: TeamsChannelAccount): Lid {
  return { id: member.aadObjectId ?? member.id, name: member.name ?? 'Onbekend', teamsId: member.id };
}

/** The team's members, from Teams (paged). */
async function teamLeden(context: TurnContext, teamId: string): Promise<Lid[]> {
  const leden: Lid[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedTeamMembers(context, teamId, 100, token);
    leden.push(...page.members.map(lidOf));
    token = page.continuationToken || undefined;
  } while (token && leden.length < MAX_LEDEN);
  return leden;
}

/** Who refuses to let this actor hand over the casusregie, or undefined when they may. */
function weigering(zaak: Verdiepingszaak, context: TurnContext): string | undefined {
  if (!isOpen(zaak)) return 'Deze zaak is gesloten: er kan geen andere casusregisseur meer worden gekozen.';
  if (!heeftCasusregie(zaak, actorOf(context.activity))) return `Alleen de casusregisseur (${zaak.lead.name}) kan een andere casusregisseur kiezen.`;
  return undefined;
}

/** Handing the casusregie (case lead) to a team member picked from the team, from the verdiepingskaart. */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.casusregieKiezen, async (context, data) => {
    const parsed = overdrachtPayload.safeParse(data ?? {});
    if (!parsed.success) return UNREADABLE;
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const nee = weigering(zaak, context);
    if (nee) return overview(context, zaak, deps, { tekst: nee, soort: 'let_op' });
    const leden = (await teamLeden(context, zaak.teamId)).filter((l) => l.id !== zaak.lead.id);
    if (leden.length === 0) return overview(context, zaak, deps, { tekst: 'Er zijn geen andere teamleden gevonden die casusregisseur kunnen worden.', soort: 'let_op' });
    return casusregieCard(zaak, leden);
  });

  actie(app, Verb.casusregieOverdragen, async (context, data) => {
    const parsed = overdrachtPayload.safeParse(data ?? {});
    if (!parsed.success) return UNREADABLE;
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const { zaak, scope } = found;
    const nee = weigering(zaak, context);
    if (nee) {
      deps.log.info({ teamId: zaak.teamId, caseId: zaak.id }, 'casusregie handover refused');
      return overview(context, zaak, deps, { tekst: nee, soort: 'let_op' });
    }
    const leden = (await teamLeden(context, scope.teamId)).filter((l) => l.id !== zaak.lead.id);
    // The pick is checked against the team's members on the server, not taken from the card.
    const naar = leden.find((l) => l.teamsId === parsed.data.nieuweRegie);
    if (!naar) {
      deps.log.info({ teamId: zaak.teamId, caseId: zaak.id }, 'casusregie handover refused: not a team member');
      return casusregieCard(zaak, leden, '', parsed.data.nieuweRegie ? 'Kies een lid van dit team.' : 'Kies wie de casusregie overneemt.');
    }
    let saved: Verdiepingszaak;
    try {
      saved = await deps.zaken.change(zaak.teamId, zaak.id, actorOf(context.activity), (current) => overdragen(current, actorOf(context.activity), naar), { gelezen: zaak });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return overview(context, (await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak, deps, { tekst: err.userMessage, soort: 'let_op' });
    }
    deps.log.info({ teamId: zaak.teamId, caseId: zaak.id }, 'casusregie handed over');
    return overview(context, saved, deps, { tekst: `De casusregie is overgedragen aan ${naar.name}.`, soort: 'goed' });
  });
}
