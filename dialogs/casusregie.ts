import { actie } from '../src/bot/toegang';
import type { TurnContext } from 'botbuilder';
import { casusregieCard } from '../cards/casusregie';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { ledenOfNiets } from '../src/bot/leden';
import { actorOf } from '../src/bot/teams';
import { gekozenLid } from '../src/domain/teamlid';
import { heeftCasusregie, overdrachtPayload, overdragen } from '../src/domain/casusregie';
import { DomainError, isOpen, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { overview, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Deze kaart kon niet worden gelezen. Open de verdiepingskaart opnieuw.';
const LEDEN_FOUT = 'De leden van het team konden niet worden opgehaald, dus er kan nu geen andere casusregisseur worden gekozen. Er is niets gewijzigd. Probeer het zo opnieuw.';

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
    const team = await ledenOfNiets(context, deps, zaak.teamId, { vers: true, caseId: zaak.id });
    if (!team) return overview(context, zaak, deps, { tekst: LEDEN_FOUT, soort: 'let_op' });
    const leden = team.filter((l) => l.id !== zaak.lead.id);
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
    const team = await ledenOfNiets(context, deps, scope.teamId, { vers: false, caseId: zaak.id });
    if (!team) return overview(context, zaak, deps, { tekst: LEDEN_FOUT, soort: 'let_op' });
    const leden = team.filter((l) => l.id !== zaak.lead.id);
    // The pick is checked against the team's members on the server, not taken from the card.
    const keuze = gekozenLid(leden, parsed.data.nieuweRegie, parsed.data.naam);
    if (!keuze || 'fout' in keuze) {
      deps.log.info({ teamId: zaak.teamId, caseId: zaak.id }, 'casusregie handover refused: no team member chosen');
      return casusregieCard(zaak, leden, { fout: keuze ? keuze.fout : 'Kies wie de casusregie overneemt.', naam: parsed.data.naam });
    }
    const naar = keuze.lid;
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
