import { actie, rollenOpZaak } from '../src/bot/toegang';
import type { TaskModuleTaskInfo, TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { z } from 'zod';
import { flagConfirmationCard } from '../cards/flag-confirmation';
import { emptyMarkering, flagFormCard } from '../cards/flag-form';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { legInzageVast } from '../src/bot/inzage';
import { sknPseudoniem } from '../src/bot/pseudoniem';
import { actorOf, openThread, teamScope, threadUrl, type TeamScope } from '../src/bot/teams';
import { onthoudGeplaatst, recordPosted, zaakweergave } from '../src/bot/views';
import { ensureTeam } from '../src/features/welcome';
import { MAX_BEKENDEN, MAX_BETROKKENEN, SIGNAAL_MAX, herhaalMarkering, oudeBekenden, readMarkering, validateMarkering, type FieldErrors, type MarkeringInvoer } from '../src/domain/markering';
import type { CaseThread, Verdiepingszaak } from '../src/domain/zaak';
import { zaakgesprekJob } from '../src/domain/jobs';
import { magZien } from '../src/domain/toegang';
import { DuplicateReferenceError } from '../src/store/store';
import { drukte } from '../src/bot/wachtrij';
import { classify } from '../src/dispatch/fouten';
import { Command, Verb } from '../src/verbs';
import { caseIdOf, zaakVanActie } from './zaakbeurt';

const NOT_IN_CHANNEL = 'Markeer een zaak in het ZSM-kanaal van je team: noem daar @Verdiep met "verdiep".';
const UNREADABLE = 'Het formulier kon niet worden gelezen. Open het opnieuw met "@Verdiep verdiep".';
const HERHAAL_NIET = 'De eerdere zaak bestaat niet (meer) in dit team, of je bent er geen casusregisseur of officier van. Er is niets opgeslagen.';

type FormOutcome =
  | { kind: 'form'; invoer: MarkeringInvoer; errors: FieldErrors }
  | { kind: 'flagged'; zaak: Verdiepingszaak; threadUrl: string; threadOpened: boolean; /** Why Teams refused the thread for good. */ geweigerd?: string; oudeBekenden?: string[] }
  | { kind: 'notice'; text: string };

/**
 * The flag form (markering): one template and one handler, shown as a card in the conversation
 * (Action.Execute, refreshed in place) or as a Teams dialog from the "Verdiepen" message action.
 */
export function register(app: App, deps: Deps): void {
  app.message(/^\s*(verdiep|verdiepen|nieuwe zaak)\s*$/i, async (context) => {
    if (!teamScope(context.activity)) {
      await context.sendActivity(NOT_IN_CHANNEL);
      return;
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(flagFormCard(emptyMarkering(), {}, false, skn(deps)))] });
  });

  actie(app, Verb.markeringBetrokkeneToevoegen, async (context, data) => {
    const outcome = addRow(context, data, deps);
    return outcome.kind === 'form' ? flagFormCard(outcome.invoer, outcome.errors, false, skn(deps)) : UNREADABLE;
  });

  // "Nieuwe verdiepingszaak starten?" after a hermelding: the flag form prefilled from the earlier case, in place.
  actie(app, Verb.herhaalzaakOpenen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return UNREADABLE;
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    deps.log.info({ teamId: found.zaak.teamId, caseId }, 'repeat case form opened');
    return flagFormCard(herhaalMarkering(found.zaak), {}, false, skn(deps));
  });

  actie(app, Verb.markeringIndienen, async (context, data) => {
    const outcome = await submit(context, data, deps);
    if (outcome.kind === 'notice') return outcome.text;
    if (outcome.kind === 'form') return flagFormCard(outcome.invoer, outcome.errors, false, skn(deps));
    return confirmationCard(outcome);
  });

  app.messageExtensions.fetchTask(Command.verdiepen, async (context) => {
    if (!teamScope(context.activity)) return NOT_IN_CHANNEL;
    return dialog(flagFormCard(emptyMarkering(messageText(context)), {}, true, skn(deps)));
  });

  app.messageExtensions.submitAction(Command.verdiepen, async (context, _state, data: Record<string, unknown>) => {
    const outcome = data.verb === Verb.markeringBetrokkeneToevoegen ? addRow(context, data, deps) : await submit(context, data, deps);
    if (outcome.kind === 'notice') return outcome.text;
    if (outcome.kind === 'form') return dialog(flagFormCard(outcome.invoer, outcome.errors, true, skn(deps)));
    // A message closes the dialog with the confirmation; an empty answer leaves it open and blank ("Invalid response").
    return confirmationMessage(outcome);
  });
}

function addRow(context: TurnContext, data: unknown, deps: Deps): FormOutcome {
  const read = readMarkering(data);
  if (!read) {
    deps.log.warn({ activityId: context.activity.id }, 'unreadable flag form payload');
    return { kind: 'notice', text: UNREADABLE };
  }
  const betrokkenen = [...read.invoer.betrokkenen];
  if (betrokkenen.length < MAX_BETROKKENEN) betrokkenen.push({ rol: '', initialen: '', leeftijd: '', skn: '' });
  return { kind: 'form', invoer: { ...read.invoer, betrokkenen }, errors: {} };
}

async function submit(context: TurnContext, data: unknown, deps: Deps): Promise<FormOutcome> {
  const scope = teamScope(context.activity);
  if (!scope) return { kind: 'notice', text: NOT_IN_CHANNEL };
  const read = readMarkering(data);
  if (!read) {
    deps.log.warn({ activityId: context.activity.id }, 'unreadable flag form payload');
    return { kind: 'notice', text: UNREADABLE };
  }
  const sleutel = deps.config.pseudoniemSleutel;
  const result = validateMarkering(read.invoer, deps.clock.now(), deps.config.timeZone, sleutel ? sknPseudoniem(sleutel, scope.teamId) : undefined);
  if (!result.ok) {
    deps.log.info({ teamId: scope.teamId, fields: Object.keys(result.errors) }, 'flag form refused');
    return { kind: 'form', invoer: read.invoer, errors: result.errors };
  }
  if (result.value.herhaalVan) {
    // The link shows the earlier case's duiding and besluit on the new one: only its lead (or an officier) may make it.
    const eerder = await deps.store.getCase(scope.teamId, result.value.herhaalVan);
    const rollen = eerder ? rollenOpZaak(context, eerder) : undefined;
    if (!rollen || !(rollen.has('casusregisseur') || rollen.has('officier'))) {
      deps.log.warn({ teamId: scope.teamId, herhaalVan: result.value.herhaalVan, found: !!eerder }, 'repeat case refused: earlier case unknown or not led by the actor');
      return { kind: 'notice', text: HERHAAL_NIET };
    }
  }
  await ensureTeam(context, scope, deps);
  const actor = actorOf(context.activity);
  let zaak: Verdiepingszaak;
  try {
    zaak = await deps.zaken.flag(scope.teamId, result.value, actor, deps.config.dispatch.leaseMs);
  } catch (err) {
    if (!(err instanceof DuplicateReferenceError)) throw err;
    return { kind: 'form', invoer: read.invoer, errors: { zaaknummer: `Er is al een verdiepingszaak met dit zaaknummer. Bekijk hem met "@Verdiep zaak ${err.reference}".` } };
  }
  const bekenden = await leesbareBekenden(context, deps, zaak);
  deps.log.info({ teamId: scope.teamId, caseId: zaak.id, ...(zaak.herhaalVan ? { herhaalVan: zaak.herhaalVan } : {}), oudeBekenden: bekenden.length }, 'case flagged');
  const outcome = await openCaseThread(context, scope, zaak, deps);
  return outcome.kind === 'flagged' ? { ...outcome, oudeBekenden: bekenden } : outcome;
}

/**
 * The oude bekenden the flagger may read: naming an earlier case beside this betrokkene tells who
 * was in it, so only its betrokken professionals learn it, and it is recorded on its inzage.
 */
async function leesbareBekenden(context: TurnContext, deps: Deps, zaak: Verdiepingszaak): Promise<string[]> {
  const kandidaten = await oudeBekenden(deps.store, zaak);
  const eerdere = await Promise.all(kandidaten.map((k) => deps.store.getCase(zaak.teamId, k.caseId)));
  const leesbaar = eerdere.filter((e): e is Verdiepingszaak => !!e && magZien('inhoud', rollenOpZaak(context, e))).slice(0, MAX_BEKENDEN);
  try {
    await legInzageVast(context, deps, leesbaar, 'oude-bekende');
  } catch (err) {
    // The case is saved; the names wait for a view that can be recorded.
    deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, err: (err as Error).message }, 'oude bekenden not named: their inzage could not be recorded');
    return [];
  }
  return leesbaar.map((e) => e.reference);
}

async function openCaseThread(context: TurnContext, scope: TeamScope, zaak: Verdiepingszaak, deps: Deps): Promise<FormOutcome> {
  let withThread: Verdiepingszaak;
  try {
    const rootCard = zaakweergave(zaak, 'zaakkaart', deps.config.timeZone);
    // A Teams that never answers ends the wait: the outbox opens the thread then (see zaakgesprekNaBeurt).
    const thread = await openThread(context, scope.channelId, rootCard, deps.config.botId, AbortSignal.timeout(deps.config.dispatch.timeoutMs));
    onthoudGeplaatst(thread.conversationId, thread.rootMessageId, rootCard);
    // The outbox may have opened one meanwhile (a Teams slower than the lease): that one stays.
    let eerder = false;
    withThread = await deps.zaken.change(scope.teamId, zaak.id, actorOf(context.activity), (current) => ((eerder = !!current.thread) ? [] : [{ type: 'zaak.thread_geopend', data: thread }]), { gelezen: zaak });
    if (eerder) await ongebruikteZaakkaart(deps, zaak, thread);
  } catch (err) {
    deps.log.error({ teamId: scope.teamId, caseId: zaak.id, err: (err as Error).message }, 'could not open the case thread; the outbox opens it');
    await zaakgesprekNaBeurt(deps, zaak, { fout: err });
    const fout = classify(err);
    return { kind: 'flagged', zaak, threadUrl: '', threadOpened: false, ...(fout.soort === 'definitief' ? { geweigerd: fout.reden } : {}) };
  }
  // The verdiepingskaart (the nine leidende principes) follows in the thread right after the answer.
  await zaakgesprekNaBeurt(deps, withThread, 'nu');
  return { kind: 'flagged', zaak: withThread, threadUrl: threadUrl(withThread.thread, scope.tenantId, scope.aadGroupId), threadOpened: true };
}

/** A case card that opened a thread the case did not take (another had opened one first): logged, and replaced at retention like the case's other messages. */
async function ongebruikteZaakkaart(deps: Deps, zaak: Verdiepingszaak, thread: CaseThread): Promise<void> {
  deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, rootMessageId: thread.rootMessageId }, 'another turn opened the case thread first; this case card stays unused');
  await recordPosted(deps, zaak, thread.conversationId, [thread.rootMessageId]);
}

/**
 * The flag's zaakgesprek job as its turn leaves it. With the thread open (`nu`): due now, so this
 * process's dispatcher posts the verdiepingskaart right after the answer. After Teams' `fout`:
 * due when Teams allows; a refusal for good leaves it due after the lease (one more try then).
 * Not updated (a store fault), it comes due after the lease and finishes then.
 */
async function zaakgesprekNaBeurt(deps: Deps, zaak: Verdiepingszaak, na: 'nu' | { fout: unknown }): Promise<void> {
  if (na !== 'nu' && classify(na.fout).soort === 'definitief') return;
  const job = zaakgesprekJob(zaak, deps.config.dispatch.leaseMs);
  const wachtMs = na === 'nu' ? 0 : (drukte(na.fout)?.wachtMs ?? 0);
  const volgende = { ...job, dueAt: new Date(deps.clock.now().getTime() + wachtMs).toISOString(), version: job.version + 1 };
  try {
    await deps.store.updateJob(volgende, job.version);
  } catch (err) {
    deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, err: (err as Error).message }, 'zaakgesprek job left as it was; it comes due after the lease');
    return;
  }
  if (na === 'nu') deps.bezorgNu([volgende]);
  else deps.wekOver(wachtMs);
}

/** Whether the flag form asks for SKNs (PSEUDONIEM_SLEUTEL is set). */
function skn(deps: Deps): boolean {
  return !!deps.config.pseudoniemSleutel;
}

/** For the one who flagged (the casusregisseur) only: earlier cases of the team with the same betrokkene that they may read. */
function bekendenTekst(outcome: Extract<FormOutcome, { kind: 'flagged' }>): string {
  const refs = outcome.oudeBekenden ?? [];
  return refs.length === 0 ? '' : ` Let op, alleen voor jou: een betrokkene van deze zaak was eerder betrokken bij zaak ${refs.join(', ')}.`;
}

function confirmationMessage(outcome: Extract<FormOutcome, { kind: 'flagged' }>): string {
  return `${basisMessage(outcome)}${bekendenTekst(outcome)}`;
}

function basisMessage(outcome: Extract<FormOutcome, { kind: 'flagged' }>): string {
  return outcome.threadOpened
    ? 'De zaak heeft een eigen zaakgesprek in het kanaal gekregen. Daar gaan we verder.'
    : outcome.geweigerd
      ? `De zaak is opgeslagen, maar Teams weigert het zaakgesprek: ${outcome.geweigerd}. Verdiep probeert het later nog één keer; vraag de zaakkaart intussen op met "@Verdiep zaak ${outcome.zaak.reference}".`
      : 'De zaak is opgeslagen. Teams kon het zaakgesprek nog niet aanmaken; Verdiep opent het zo vanzelf in het kanaal.';
}

function confirmationCard(outcome: Extract<FormOutcome, { kind: 'flagged' }>) {
  return flagConfirmationCard({ reference: outcome.zaak.reference, message: confirmationMessage(outcome), threadUrl: outcome.threadUrl });
}

function dialog(card: ReturnType<typeof flagFormCard>): TaskModuleTaskInfo {
  return { title: 'Zaak markeren voor verdieping', width: 'large', height: 'large', card: CardFactory.adaptiveCard(card) };
}

/** The message a "Verdiepen" action was started on; anything else (a client's garbage) counts as no text. */
const berichtPayload = z.object({ messagePayload: z.object({ body: z.object({ content: z.string().max(100_000).optional() }).optional() }).optional() });

function messageText(context: TurnContext): string {
  const parsed = berichtPayload.safeParse(context.activity.value ?? {});
  const html = parsed.success ? (parsed.data.messagePayload?.body?.content ?? '') : '';
  return html
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim()
    .slice(0, SIGNAAL_MAX);
}
