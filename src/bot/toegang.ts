import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/render';
import { BELEID, mag, rollenVan, weigering, type Handeling, type Rol, type Teamrollen } from '../domain/toegang';
import type { Lid, Verdiepingszaak } from '../domain/zaak';
import { Command, Opdracht, Verb } from '../verbs';
import type { App } from './app';
import type { Deps } from './deps';
import type { Logger } from '../log';
import { eigenIds, isTeamLid, losVanBeurt, teamLeden } from './leden';
import { replyWithNotice } from './reply';
import { teamScope } from './teams';

const ROOSTER_MS = 60_000;
/** From this age on, a member's check is renewed beside their turn, so an active member never waits on Teams for it. */
const VERNIEUW_NA_MS = 45_000;
const NIET_NA_TE_GAAN = 'Ik kon bij Teams niet nagaan of je lid bent van dit team, dus ik doe niets. Probeer het over een paar minuten opnieuw.';
const TURN_KEY = 'verdiep.toegang';

const VERBS = new Set<string>(Object.values(Verb));
const OPDRACHTEN: readonly [RegExp, Opdracht | ((rest: string) => Opdracht)][] = [
  [/^(verdiep|verdiepen|nieuwe zaak)$/i, Opdracht.verdiep],
  [/^zaken$/i, Opdracht.zaken],
  [/^zaak(\s|$)/i, Opdracht.zaak],
  [/^ketenkaart(\s|$)/i, Opdracht.ketenkaart],
  [/^overzicht$/i, Opdracht.overzicht],
  [/^(?:digest|weekoverzicht)(\s+(.*))?$/i, (rest) => (rest.replace(/^(?:digest|weekoverzicht)/i, '').trim() ? Opdracht.digestWijzigen : Opdracht.digestTonen)],
  [/^mijn(\s+acties)?$/i, Opdracht.mijnActies],
  [/^inzage(\s|$)/i, Opdracht.inzage],
  [/^leerbeeld(\s|$)/i, Opdracht.leerbeeld],
];

/** The route key of an activity: a card verb, a typed command or a message-extension command. */
export function handelingVan(context: TurnContext): Handeling | undefined {
  const a = context.activity;
  if (a.type === ActivityTypes.Invoke) {
    const value = (a.value ?? {}) as { action?: { verb?: unknown }; commandId?: unknown; data?: { verb?: unknown } };
    if (a.name === 'adaptiveCard/action') return typeof value.action?.verb === 'string' && VERBS.has(value.action.verb) ? (value.action.verb as Verb) : undefined;
    if (a.name?.startsWith('composeExtension/')) return value.commandId === Command.verdiepen ? `extensie:${Command.verdiepen}` : undefined;
    return undefined;
  }
  if (a.type !== ActivityTypes.Message) return undefined;
  const text = (a.text ?? '').trim();
  if (!text) return undefined;
  for (const [pattern, opdracht] of OPDRACHTEN) if (pattern.test(text)) return typeof opdracht === 'function' ? opdracht(text) : opdracht;
  return Opdracht.help;
}

interface Toegang {
  handeling: Handeling;
  team: Teamrollen;
  ids: string[];
}

/** Team membership from Teams' roster, cached briefly; guests count as outside the team. */
export class Rooster {
  private readonly cache = new Map<string, { lid: boolean; tot: number }>();
  private readonly lijsten = new Map<string, { leden: readonly Lid[]; tot: number }>();
  /** The checks being renewed now, by when they started: one at a time per member, and one that never ends holds up no later one past its minute. */
  private readonly vernieuwen = new Map<string, number>();
  constructor(
    private readonly now: () => number,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {}

  /**
   * The team's members. `vers`: asked of Teams now, as when a form opens (it shows who is in the
   * team now); otherwise the list of the last minute, as the open form showed it (a row added, the
   * form sent), so each press of a form does not wait on Teams again.
   */
  async leden(context: TurnContext, teamId: string, vers: boolean): Promise<readonly Lid[]> {
    const hit = this.lijsten.get(teamId);
    if (!vers && hit && hit.tot > this.now()) return hit.leden;
    const leden = await teamLeden(context, teamId);
    if (this.lijsten.size > 1_000) this.lijsten.clear();
    this.lijsten.set(teamId, { leden, tot: this.now() + ROOSTER_MS });
    return leden;
  }

  /**
   * Whether the user is a member, as Teams said at most a minute ago. A check older than
   * VERNIEUW_NA_MS is renewed while the turn goes on with it: the answer replaces it when it comes
   * (also after the turn); when that fails, the check runs out as before and the next turn asks.
   */
  async isLid(context: TurnContext, teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}|${userId}`;
    const hit = this.cache.get(key);
    const nu = this.now();
    if (!hit || hit.tot <= nu) return this.vraagLid(context, teamId, userId, key);
    if (hit.tot - nu <= ROOSTER_MS - VERNIEUW_NA_MS) this.vernieuw(context, teamId, userId, key, nu);
    return hit.lid;
  }

  /** Asks Teams again beside the turn, unless a renewal of this member's check began less than a minute ago. */
  private vernieuw(context: TurnContext, teamId: string, userId: string, key: string, nu: number): void {
    const bezigSinds = this.vernieuwen.get(key);
    if (bezigSinds !== undefined && bezigSinds > nu - ROOSTER_MS) return;
    if (this.vernieuwen.size > 10_000) this.vernieuwen.clear();
    this.vernieuwen.set(key, nu);
    this.vraagLid(losVanBeurt(context), teamId, userId, key)
      .catch((err: Error) => this.log?.warn({ teamId, err: err.message }, 'could not renew a membership check beside the turn; the next turn after the minute asks Teams'))
      .finally(() => {
        if (this.vernieuwen.get(key) === nu) this.vernieuwen.delete(key);
      });
  }

  /** Asks Teams; the answer holds for a minute from the question, and never replaces the answer to a later one (a slow renewal). */
  private async vraagLid(context: TurnContext, teamId: string, userId: string, key: string): Promise<boolean> {
    const tot = this.now() + ROOSTER_MS;
    const lid = await isTeamLid(context, teamId, userId);
    const later = this.cache.get(key);
    if (later && later.tot > tot) return later.lid;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { lid, tot });
    return lid;
  }
}

/**
 * The turn's gate, before any handler runs: resolves who the actor is in the team once (fail
 * closed when Teams cannot be asked) and refuses what the policy does not allow them at team level.
 * Case-level rules are checked by `toegangTotZaak` once the handler has read the case.
 */
export async function toegangspoort(context: TurnContext, deps: Deps): Promise<boolean> {
  const handeling = handelingVan(context);
  if (!handeling) return true;
  const scope = teamScope(context.activity);
  const ids = eigenIds(context);
  if (!scope) return true;
  const log = { teamId: scope.teamId, userId: context.activity.from?.aadObjectId ?? context.activity.from?.id ?? null, handeling };
  if (BELEID[handeling].wie.includes('niet_lid')) return true;
  let lid: boolean;
  try {
    lid = await deps.rooster.isLid(context, scope.teamId, context.activity.from?.id ?? '');
  } catch (err) {
    deps.log.error({ ...log, err: (err as Error).message }, 'refused: team membership could not be checked');
    await replyWithNotice(context, NIET_NA_TE_GAAN);
    return false;
  }
  const officieren = deps.config.zsm.officieren;
  const team: Teamrollen = { lid, officier: ids.some((id) => officieren.includes(id)), beheerder: ids.some((id) => deps.config.beheerders.includes(id)) };
  context.turnState.set(TURN_KEY, { handeling, team, ids } satisfies Toegang);
  const rollen = rollenVan(team, ids);
  if (!BELEID[handeling].opZaak ? mag(handeling, rollen) : lid) return true;
  deps.log.warn({ ...log, rollen: [...rollen] }, 'refused by the access policy');
  await replyWithNotice(context, weigering(handeling, rollen));
  return false;
}

/** The actor's roles on a case (team roles from this turn's gate). */
export function rollenOpZaak(context: TurnContext, zaak: Verdiepingszaak): Set<Rol> {
  const t = context.turnState.get<Toegang>(TURN_KEY);
  return t ? rollenVan(t.team, t.ids, zaak) : new Set<Rol>(['niet_lid']);
}

/** Checks this turn's action against the policy with the case's roles; the refusal text, or undefined when allowed. */
export function toegangTotZaak(context: TurnContext, deps: Deps, zaak: Verdiepingszaak, handeling?: Handeling): string | undefined {
  const t = context.turnState.get<Toegang>(TURN_KEY);
  const wat = handeling ?? t?.handeling;
  const rollen = rollenOpZaak(context, zaak);
  if (wat && mag(wat, rollen)) return undefined;
  deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, handeling: wat ?? null, rollen: [...rollen] }, 'refused by the access policy');
  return wat ? weigering(wat, rollen, zaak) : weigering(Opdracht.help, rollen, zaak);
}

type Actie = (context: TurnContext, data: unknown) => Promise<AdaptiveCard | string>;

/** Each app's card actions by verb, behind one teams-ai route (see `actie`). */
const acties = new WeakMap<App, Map<string, Actie>>();

/** The verb of an Action.Execute invoke; undefined for any other activity. */
function verbVan(context: TurnContext): string | undefined {
  const a = context.activity;
  if (a.type !== ActivityTypes.Invoke || a.name !== 'adaptiveCard/action') return undefined;
  const action = (a.value as { action?: { type?: unknown; verb?: unknown } } | undefined)?.action;
  return action?.type === 'Action.Execute' && typeof action.verb === 'string' ? action.verb : undefined;
}

/** The card verbs an app handles (each registered once, by `actie`). */
export function kaartVerbs(app: App): string[] {
  return [...(acties.get(app)?.keys() ?? [])];
}

/**
 * Registers a card action (Action.Execute) whose answer is for the acting user only: the bot sends
 * the invoke response itself, so teams-ai never replaces a message for everyone by `replyToId`.
 * All verbs share one teams-ai route that looks the verb up: teams-ai would otherwise try each
 * verb's route in turn, one await per route, before it reached the last ones.
 */
export function actie(app: App, verb: Verb, handler: Actie): void {
  const tabel = acties.get(app) ?? verbTabel(app);
  if (tabel.has(verb)) throw new Error(`card action ${verb} registered twice`);
  tabel.set(verb, handler);
}

/** The app's verb table, and the one Action.Execute route that answers from it. */
function verbTabel(app: App): Map<string, Actie> {
  const tabel = new Map<string, Actie>();
  acties.set(app, tabel);
  app.adaptiveCards.actionExecute(
    (context) => Promise.resolve(tabel.has(verbVan(context) ?? '')),
    async (context, _state, data) => {
      const result = await tabel.get(verbVan(context)!)!(context, data);
      if (context.turnState.get(INVOKE_RESPONSE_KEY)) return result;
      if (typeof result === 'string') await replyWithNotice(context, result);
      else await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result } } });
      return result;
    },
  );
  return tabel;
}
