import type { TurnContext } from 'botbuilder';
import { actie } from '../src/bot/toegang';
import { z } from 'zod';
import type { AdaptiveCard } from '../cards/render';
import { uitvraagNieuwAfgerond, uitvraagNieuwCard } from '../cards/uitvraag-nieuw';
import { huidigeReactie, wieLeest, type PromptInvoer, type PromptOpties } from '../cards/uitvraag-prompt';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { legInzageVast } from '../src/bot/inzage';
import { eigenIds, ledenOfNiets } from '../src/bot/leden';
import { actorOf } from '../src/bot/teams';
import { rollenOpZaak } from '../src/bot/toegang';
import { promptKaart, withMentions } from '../src/bot/views';
import { at } from '../cards/opvolging';
import { plainText } from '../cards/text';
import { zaakMeldingCard } from '../cards/zaak-melding';
import { mag } from '../src/domain/toegang';
import { newJob, type ZaakMelding } from '../src/domain/jobs';
import type { FieldErrors } from '../src/domain/markering';
import {
  ALLEEN_GENODIGDE_MESSAGE,
  ALLEEN_REGIE_MESSAGE,
  GESLOTEN_MESSAGE,
  INGETROKKEN_MESSAGE,
  UitvraagGewijzigd,
  afwijzen,
  beantwoorden,
  findUitvraag,
  intrekken,
  isGenodigde,
  isLead,
  legeUitnodiging,
  magCorrigeren,
  magReactieZien,
  reactieBasis,
  readReactie,
  readUitnodiging,
  uitnodigen,
  validateAfwijzing,
  validateAntwoord,
  validateIntrekking,
  validateUitnodiging,
  type ReactieInvoer,
} from '../src/domain/uitvraag';
import { DomainError, isOpen, type Actor, type Lid, type NewZaakEvent, type Uitvraag, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { inZaakgesprek, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Deze kaart kon niet worden gelezen. Open de zaakkaart in het zaakgesprek en probeer het opnieuw.';
const LEDEN_FOUT = 'De leden van het team konden niet worden opgehaald. Probeer het over een paar minuten opnieuw.';
const GEEN_LEDEN = 'Er zijn geen andere teamleden gevonden om uit te nodigen. Voeg de partner eerst toe aan het team.';
const GEEN_THREAD = 'Deze zaak heeft geen zaakgesprek in het kanaal: vragen aan partners staan altijd in het zaakgesprek.';
const ONBEKEND = 'Deze vraag bestaat niet (meer) in deze zaak.';

const nieuwPayload = z.object({ caseId: z.string().min(1).max(200) });
const promptPayload = z.object({ caseId: z.string().min(1).max(200), uitvraagId: z.string().min(1).max(200) });

/** The acting user as recorded on events, with the Teams id so they can be mentioned later. */
function actor(context: TurnContext): Actor {
  const from = context.activity.from;
  return { ...actorOf(context.activity), ...(from?.id ? { teamsId: from.id } : {}) };
}

/** Why this user may not invite on this case now, or undefined when they may. */
function weigering(zaak: Verdiepingszaak, ids: readonly string[]): string | undefined {
  if (!isOpen(zaak)) return GESLOTEN_MESSAGE;
  if (!isLead(zaak, ids)) return ALLEEN_REGIE_MESSAGE(zaak.lead.name);
  if (!zaak.thread) return GEEN_THREAD;
  return undefined;
}

/** The team's members who can be invited (everyone but the case lead); undefined when Teams did not answer. */
async function uitnodigbaar(context: TurnContext, deps: Deps, zaak: Verdiepingszaak, vers: boolean): Promise<Lid[] | undefined> {
  return (await ledenOfNiets(context, deps, zaak.teamId, { vers, caseId: zaak.id }))?.filter((l) => !isLead(zaak, [l.id, l.teamsId]));
}

function prompt(zaak: Verdiepingszaak, uitvraag: Uitvraag, deps: Deps, opties: PromptOpties = {}): AdaptiveCard {
  return promptKaart(zaak, uitvraag, deps.config.timeZone, opties);
}

/**
 * The prompt as this user may see it now, checked on every refresh and press: the invitee gets the
 * form or their own answer; the lead and the officieren the question and the response; other
 * betrokken professionals the question, and the answer only when the partner shared it; anyone
 * else the status.
 */
function promptVoor(context: TurnContext, zaak: Verdiepingszaak, uitvraag: Uitvraag, deps: Deps, melding?: PromptOpties['melding'], intrekking: Pick<PromptOpties, 'errors' | 'intrekkingReden'> = {}): AdaptiveCard {
  const ids = eigenIds(context);
  if (isGenodigde(uitvraag, ids)) {
    if (uitvraag.status === 'open' && isOpen(zaak)) return prompt(zaak, uitvraag, deps, { weergave: 'formulier', melding });
    return prompt(zaak, uitvraag, deps, { weergave: 'eigen', kanCorrigeren: magCorrigeren(zaak, uitvraag), melding });
  }
  const rollen = rollenOpZaak(context, zaak);
  if (!rollen.has('betrokken')) return prompt(zaak, uitvraag, deps, { beperkt: rollen.has('teamlid'), melding });
  const kanIntrekken = isOpen(zaak) && mag(Verb.uitvraagIntrekken, rollen);
  return prompt(zaak, uitvraag, deps, { weergave: 'inzage', toonReactie: magReactieZien(uitvraag, ids, rollen), melding, kanIntrekken, ...intrekking });
}

function unreadable(context: TurnContext, deps: Deps): string {
  const verb = (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
  deps.log.warn({ activityId: context.activity.id, verb: typeof verb === 'string' ? verb : null }, 'unreadable card payload');
  return UNREADABLE;
}

/** A question whose card is not up and has no job on its way (Teams refused it for good): its card goes out again now. */
async function kaartOpnieuw(deps: Deps, zaak: Verdiepingszaak, uitvraag: Uitvraag): Promise<void> {
  const onderweg = (await deps.store.listJobs(zaak.teamId, { caseId: zaak.id })).some((j) => j.kind === 'uitvraag.kaart' && j.ref === uitvraag.id && (j.status === 'gepland' || j.status === 'geclaimd'));
  if (onderweg) return;
  const nu = deps.clock.now();
  const eerder = newJob(zaak, 'uitvraag.kaart', uitvraag.id, nu, nu.toISOString());
  // Its own id: a refused job may have been planned at this very moment.
  const job = { ...eerder, id: `${eerder.id}:${deps.ids.next()}` };
  await deps.store.scheduleJobs([job]);
  deps.bezorgNu([job]);
}

/**
 * Contextinformatie from partners (principle step 3). The case lead gets the invitation form for
 * themselves ("Partner uitnodigen" on the case card or the verdiepingskaart); each invitation posts
 * a status card in the thread that @mentions the invitee. The question, the answer and the form
 * are only in the per-user views (refresh.userIds and "Bekijken"), decided per asker by `promptVoor`.
 */
export function register(app: App, deps: Deps): void {
  const tz = deps.config.timeZone;
  const on = (verb: Verb, handler: (context: TurnContext, data: unknown) => Promise<AdaptiveCard | string>) => actie(app, verb, handler);

  on(Verb.uitvraagNieuw, async (context, data) => {
    const parsed = nieuwPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const nee = weigering(zaak, eigenIds(context));
    if (nee) {
      deps.log.info({ teamId: zaak.teamId, caseId: zaak.id }, 'invitation form refused');
      return nee;
    }
    const leden = await uitnodigbaar(context, deps, zaak, true);
    if (!leden) return LEDEN_FOUT;
    if (leden.length === 0) return GEEN_LEDEN;
    // The form goes to the lead only (the invoke response), never in the thread: the question is content.
    return uitvraagNieuwCard(zaak, leden, legeUitnodiging(deps.clock.now(), deps.config.zsm.uitvraagDeadlineMs, tz, deps.config.zsm.werktijden), tz);
  });

  on(Verb.uitvraagVersturen, async (context, data) => {
    const read = readUitnodiging(data);
    if (!read) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, read.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const ids = eigenIds(context);
    const log = { teamId: zaak.teamId, caseId: zaak.id };
    const nee = weigering(zaak, ids);
    if (nee) {
      deps.log.info(log, 'invitation refused');
      return nee;
    }
    const leden = await uitnodigbaar(context, deps, zaak, false);
    if (!leden) return LEDEN_FOUT;
    // The pick is checked against the team's members on the server, not taken from the card.
    const result = validateUitnodiging(read.invoer, leden, deps.clock.now(), { timeZone: tz, deadlineMs: deps.config.zsm.uitvraagDeadlineMs, werktijden: deps.config.zsm.werktijden });
    if (!result.ok) {
      deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'invitation refused: form');
      return uitvraagNieuwCard(zaak, leden, read.invoer, tz, { errors: result.errors });
    }

    // The same question again while its card is not up (Teams refused it, or it is on its way) asks for its card, not a second question.
    const zonderKaart = zaak.uitvragen.find((u) => u.status === 'open' && !u.messageId && u.invitee.teamsId === result.value.invitee.teamsId && u.vraag === result.value.vraag);
    let saved = zaak;
    const uitvraagId = zonderKaart?.id ?? deps.ids.next();
    if (zonderKaart) await kaartOpnieuw(deps, zaak, zonderKaart);
    else {
      try {
        // The question's card goes up through the outbox: a job written with the question, posted right after this answer.
        saved = await deps.zaken.change(zaak.teamId, zaak.id, actor(context), (current) => uitnodigen(current, ids, result.value, uitvraagId), { gelezen: zaak });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        deps.log.info({ ...log, reason: err.name }, 'invitation refused');
        return uitvraagNieuwCard((await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak, leden, read.invoer, tz, { melding: err.userMessage });
      }
    }
    const uitvraag = findUitvraag(saved, uitvraagId)!;
    deps.log.info({ ...log, uitvraagId, opnieuw: !!zonderKaart }, 'partner invited');
    return uitvraagNieuwAfgerond(saved, tz, { verstuurd: uitvraag });
  });

  on(Verb.uitvraagAnnuleren, async (context, data) => {
    const parsed = nieuwPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    if (!isLead(found.zaak, eigenIds(context))) return ALLEEN_REGIE_MESSAGE(found.zaak.lead.name);
    return uitvraagNieuwAfgerond(found.zaak, tz, { geannuleerd: true });
  });

  // Teams calls this on every view of the card for the users in refresh.userIds; also "Bekijken" and "Annuleren".
  on(Verb.uitvraagVernieuwen, async (context, data) => {
    const parsed = promptPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const uitvraag = findUitvraag(found.zaak, parsed.data.uitvraagId);
    if (!uitvraag) return ONBEKEND;
    if ((uitvraag.antwoord || uitvraag.afwijzing) && magReactieZien(uitvraag, eigenIds(context), rollenOpZaak(context, found.zaak))) await legInzageVast(context, deps, [found.zaak], `antwoord:${uitvraag.id}`);
    return promptVoor(context, found.zaak, uitvraag, deps);
  });

  on(Verb.uitvraagCorrigeren, async (context, data) => {
    const parsed = promptPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const uitvraag = findUitvraag(zaak, parsed.data.uitvraagId);
    if (!uitvraag) return ONBEKEND;
    const ids = eigenIds(context);
    if (!isGenodigde(uitvraag, ids)) return promptVoor(context, zaak, uitvraag, deps, { tekst: ALLEEN_GENODIGDE_MESSAGE(uitvraag.invitee.name), soort: 'let_op' });
    if (!magCorrigeren(zaak, uitvraag)) {
      const tekst = !isOpen(zaak) ? GESLOTEN_MESSAGE : uitvraag.status === 'ingetrokken' ? INGETROKKEN_MESSAGE : uitvraag.status === 'open' ? 'Deze vraag is nog niet beantwoord.' : 'Er is al een duiding vastgelegd: het antwoord kan niet meer worden gecorrigeerd.';
      return promptVoor(context, zaak, uitvraag, deps, { tekst, soort: 'let_op' });
    }
    return prompt(zaak, uitvraag, deps, { weergave: 'formulier', corrigeert: true, invoer: huidigeReactie(uitvraag) });
  });

  on(Verb.uitvraagIntrekken, async (context, data) => intrekkenVanKaart(context, deps, data));
  on(Verb.uitvraagBeantwoorden, async (context, data) => reageren(context, deps, data, 'antwoord'));
  on(Verb.uitvraagAfwijzen, async (context, data) => reageren(context, deps, data, 'afwijzing'));
}

/**
 * The casusregisseur (or an officier) withdraws a question from its card, with a reason the
 * partner reads. The answer is the regie's own view of the card; the thread's card and the
 * invitee's view follow through the outbox.
 */
async function intrekkenVanKaart(context: TurnContext, deps: Deps, data: unknown): Promise<AdaptiveCard | string> {
  const kaart = await vraagVanKaart(context, deps, data);
  if (typeof kaart === 'string') return kaart;
  const { read, zaak, uitvraag } = kaart;
  const log = { teamId: zaak.teamId, caseId: zaak.id, uitvraagId: uitvraag.id };
  const reden = validateIntrekking(read.intrekkingReden);
  if (!reden.ok && uitvraag.status !== 'ingetrokken') {
    deps.log.info({ ...log, fields: Object.keys(reden.errors) }, 'withdrawal refused: form');
    return promptVoor(context, zaak, uitvraag, deps, undefined, { errors: reden.errors, intrekkingReden: read.intrekkingReden });
  }
  return wijzigVraag(context, deps, kaart, {
    // The roles on the case as it is now: casusregie handed over meanwhile counts.
    decide: (current) => intrekken(current, uitvraag.id, mag(Verb.uitvraagIntrekken, rollenOpZaak(context, current)), read.intrekkingReden, read.basis),
    melding: (changed) =>
      changed
        ? { tekst: `Vraag ingetrokken. ${uitvraag.invitee.name} leest de reden bij de vraag, is niet meer betrokken bij deze zaak (tenzij op een andere manier) en krijgt geen herinnering meer.`, soort: 'goed' }
        : { tekst: 'Deze vraag was al ingetrokken. Er is niets gewijzigd.', soort: 'let_op' },
    log: [log, 'prompt withdrawn', 'withdrawal refused'],
    draad: (saved) => intrekkingMelding(context, saved, uitvraag),
  });
}

/** The thread's notice of a withdrawal: the partner is @mentioned, so Teams tells them they need not answer (the reason is in their view of the question). */
function intrekkingMelding(context: TurnContext, zaak: Verdiepingszaak, uitvraag: Uitvraag): ZaakMelding {
  const tekst = `De vraag aan ${at(uitvraag.invitee)} is ingetrokken door ${plainText(actorOf(context.activity).name)}: die hoeft niet meer te worden beantwoord. De reden staat bij de vraag.`;
  return inZaakgesprek(context, zaak, withMentions(zaakMeldingCard(zaak, 'Vraag ingetrokken', [tekst]), [uitvraag.invitee]));
}

/** The prompt a card action is about, read and checked against the policy; or what to answer instead. */
async function vraagVanKaart(context: TurnContext, deps: Deps, data: unknown): Promise<{ read: ReactieInvoer; zaak: Verdiepingszaak; uitvraag: Uitvraag } | string> {
  const read = readReactie(data);
  if (!read) return unreadable(context, deps);
  const found = await zaakVanActie(context, deps, read.caseId);
  if (!found.ok) return found.notice;
  const uitvraag = findUitvraag(found.zaak, read.uitvraagId);
  return uitvraag ? { read, zaak: found.zaak, uitvraag } : ONBEKEND;
}

/**
 * Stores a change to one prompt and answers with the actor's own view of it, with `melding`; a
 * refusal by the domain (on the case as it is now) answers with the current state and why.
 * `log`: the fields, and the messages for a stored change and for a refusal.
 */
async function wijzigVraag(
  context: TurnContext,
  deps: Deps,
  { zaak, uitvraag }: { zaak: Verdiepingszaak; uitvraag: Uitvraag },
  wijziging: {
    decide: (current: Verdiepingszaak) => NewZaakEvent[];
    melding: (changed: boolean, saved: Verdiepingszaak, nu: Uitvraag) => NonNullable<PromptOpties['melding']>;
    log: [object, string, string];
    /** A notice for the case thread with the change (through the outbox, after the answer). */
    draad?: (saved: Verdiepingszaak) => ZaakMelding;
  },
): Promise<AdaptiveCard> {
  const [log, opgeslagen, geweigerd] = wijziging.log;
  let changed = false;
  try {
    const { antwoord } = await deps.zaken.changeMetAntwoord(
      zaak.teamId,
      zaak.id,
      actor(context),
      (current) => {
        const events = wijziging.decide(current);
        changed = events.length > 0;
        return events;
      },
      (saved) => {
        const nu = findUitvraag(saved, uitvraag.id)!;
        return promptVoor(context, saved, nu, deps, wijziging.melding(changed, saved, nu));
      },
      { gelezen: zaak, ...(wijziging.draad ? { melding: wijziging.draad } : {}) },
    );
    if (changed) deps.log.info(log, opgeslagen);
    return antwoord;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    deps.log.info({ ...log, reason: err.name }, geweigerd);
    const current = (await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak;
    return promptVoor(context, current, findUitvraag(current, uitvraag.id) ?? uitvraag, deps, { tekst: err.userMessage, soort: 'let_op' });
  }
}

function typed(read: ReactieInvoer): PromptInvoer {
  return { antwoord: read.antwoord.tekst, bron: read.antwoord.bron, bekend: read.antwoord.bekend, gedeeld: read.antwoord.gedeeld === 'true' ? 'true' : 'false', duiding: read.antwoord.duiding ?? '', afwijzingSoort: read.afwijzing.soort, afwijzingReden: read.afwijzing.reden };
}

/**
 * An answer or a decline from a prompt card. Only the invitee may respond: anyone else is refused
 * before anything is read further, and nothing is stored. A card that showed an older state
 * (answered meanwhile, case closed) gets the current state back instead of an error.
 */
async function reageren(context: TurnContext, deps: Deps, data: unknown, soort: 'antwoord' | 'afwijzing'): Promise<AdaptiveCard | string> {
  const kaart = await vraagVanKaart(context, deps, data);
  if (typeof kaart === 'string') return kaart;
  const { read, zaak, uitvraag } = kaart;
  const ids = eigenIds(context);
  const log = { teamId: zaak.teamId, caseId: zaak.id, uitvraagId: uitvraag.id, soort };

  if (!isGenodigde(uitvraag, ids)) {
    deps.log.warn(log, 'prompt response refused: not the invitee');
    return promptVoor(context, zaak, uitvraag, deps, { tekst: ALLEEN_GENODIGDE_MESSAGE(uitvraag.invitee.name), soort: 'let_op' });
  }
  if (!isOpen(zaak)) {
    deps.log.info(log, 'prompt response refused: case closed');
    return promptVoor(context, zaak, uitvraag, deps, { tekst: GESLOTEN_MESSAGE, soort: 'let_op' });
  }
  if (uitvraag.status === 'ingetrokken') {
    deps.log.info(log, 'prompt response refused: question withdrawn');
    return promptVoor(context, zaak, uitvraag, deps, { tekst: INGETROKKEN_MESSAGE, soort: 'let_op' });
  }
  if (read.basis !== undefined && read.basis !== reactieBasis(uitvraag)) {
    deps.log.info(log, 'prompt response refused: stale card');
    return promptVoor(context, zaak, uitvraag, deps, { tekst: new UitvraagGewijzigd().userMessage, soort: 'let_op' });
  }

  const corrigeert = uitvraag.status !== 'open';
  const form = (errors: FieldErrors) => prompt(zaak, uitvraag, deps, { weergave: 'formulier', corrigeert, invoer: typed(read), errors });
  let decide: (current: Verdiepingszaak) => ReturnType<typeof beantwoorden>;
  if (soort === 'antwoord') {
    const result = validateAntwoord(read.antwoord);
    if (!result.ok) {
      deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'prompt response refused: form');
      return form(result.errors);
    }
    decide = (current) => beantwoorden(current, uitvraag.id, ids, result.value, read.basis);
  } else {
    const result = validateAfwijzing(read.afwijzing);
    if (!result.ok) {
      deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'prompt response refused: form');
      return form(result.errors);
    }
    decide = (current) => afwijzen(current, uitvraag.id, ids, result.value, read.basis);
  }

  return wijzigVraag(context, deps, kaart, {
    decide,
    melding: (changed, saved, nu) => ({
      tekst: !changed
        ? 'Er is niets gewijzigd.'
        : soort === 'antwoord'
          ? `Je antwoord is opgeslagen. ${wieLeest(saved, nu.antwoord?.gedeeld === true)}`
          : `Je reactie is opgeslagen. De reden lezen alleen jij, de casusregisseur (${saved.lead.name}) en de officieren van justitie; in het zaakgesprek staat alleen dat je geen antwoord kon geven.`,
      soort: 'goed',
    }),
    log: [{ ...log, correctie: corrigeert }, soort === 'antwoord' ? 'prompt answered' : 'prompt declined', 'prompt response refused'],
  });
}
