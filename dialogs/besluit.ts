import { actie, rollenOpZaak } from '../src/bot/toegang';
import type { TurnContext } from 'botbuilder';
import { besluitFormCard } from '../cards/besluit-form';
import { besluitSamenvattingCard } from '../cards/besluit-samenvatting';
import type { AdaptiveCard } from '../cards/render';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { legInzageVast } from '../src/bot/inzage';
import { eigenIds, ledenOfNiets } from '../src/bot/leden';
import { actorOf } from '../src/bot/teams';
import { zaakMeldingCard } from '../cards/zaak-melding';
import { formatMoment } from '../cards/format';
import { plainText } from '../cards/text';
import { at } from '../cards/opvolging';
import { withMentions } from '../src/bot/views';
import { ALLEEN_OFFICIER_AFDOENING, besluitKeten, besluitVoorstel, EERST_DUIDING, magAfdoening, magBeslissen, MAX_ACTIES, MAX_DOELEN, openEigenaren, readBesluit, recordBesluit, validateBesluit, weigering } from '../src/domain/besluit';
import { basisVan, DomainError, VerouderdeInvoer, type Lid, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { caseIdOf, inZaakgesprek, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Het formulier kon niet worden gelezen. Open het opnieuw met "Besluit vastleggen" op de zaakkaart.';
const GESLOTEN = 'Deze zaak is gesloten. Heropen de zaak om het besluit te herzien.';
const GEEN_LEDEN = 'De leden van het team konden niet worden opgehaald, dus er kan nog geen actiehouder worden gekozen. Probeer het zo opnieuw.';

type Toegang = { ok: true; scope: { teamId: string }; zaak: Verdiepingszaak } | { ok: false; notice: string };

/** The case, if this user may record its besluit now; otherwise a Dutch reason. */
async function toegang(context: TurnContext, deps: Deps, caseId: string): Promise<Toegang> {
  const found = await zaakVanActie(context, deps, caseId);
  if (!found.ok) return found;
  const { zaak } = found;
  if (zaak.fase === 'gesloten') return { ok: false, notice: GESLOTEN };
  if (zaak.duidingen.length === 0) return { ok: false, notice: EERST_DUIDING };
  if (!magBeslissen(zaak, eigenIds(context), deps.config.zsm.officieren)) {
    deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, userId: context.activity.from?.id }, 'besluit refused: not the case lead or an officier');
    return { ok: false, notice: weigering(zaak, 'het besluit vastleggen') };
  }
  return found;
}

async function leden(context: TurnContext, deps: Deps, teamId: string, vers: boolean): Promise<readonly Lid[] | undefined> {
  const team = await ledenOfNiets(context, deps, teamId, { vers });
  return team?.length ? team : undefined;
}

type Formulier =
  | { ok: true; read: NonNullable<ReturnType<typeof readBesluit>>; t: Extract<Toegang, { ok: true }>; team: readonly Lid[] }
  | { ok: false; antwoord: string };

/** A posted besluit form: read, the user's access checked and the team's members fetched; otherwise the Dutch answer. */
async function formulier(context: TurnContext, deps: Deps, data: unknown): Promise<Formulier> {
  const read = readBesluit(data);
  if (!read) return { ok: false, antwoord: unreadable(context, deps) };
  const t = await toegang(context, deps, read.caseId);
  if (!t.ok) return { ok: false, antwoord: t.notice };
  const team = await leden(context, deps, t.scope.teamId, false);
  if (!team) return { ok: false, antwoord: GEEN_LEDEN };
  return { ok: true, read, t, team };
}

/**
 * The besluit: "Besluit vastleggen" opens the form in place for the case lead or an officier;
 * goals flagged as too general must be sharpened or confirmed. Recording moves the case to
 * monitoring, updates the case card and @mentions each action owner once in a status notice.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.besluitOpenen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const t = await toegang(context, deps, caseId);
    if (!t.ok) return t.notice;
    const team = await leden(context, deps, t.scope.teamId, true);
    if (!team) return GEEN_LEDEN;
    const voorstel = besluitVoorstel(t.zaak, deps.clock.now(), deps.config.timeZone, deps.config.zsm.monitoringDagen);
    await legInzageVast(context, deps, [t.zaak], 'besluit');
    return besluitFormCard(t.zaak, voorstel, {}, team);
  });

  actie(app, Verb.besluitRijToevoegen, async (context, data) => {
    const ingevuld = await formulier(context, deps, data);
    if (!ingevuld.ok) return ingevuld.antwoord;
    const { read, t, team } = ingevuld;
    const { invoer, rij } = read;
    if (rij === 'doel' && invoer.doelen.length < MAX_DOELEN) invoer.doelen.push({ wat: '', voorWie: '', wanneer: '', bevestigd: false });
    if (rij === 'actie' && invoer.acties.length < MAX_ACTIES) invoer.acties.push({ id: '', wat: '', eigenaar: '', naam: '', datum: '' });
    return besluitFormCard(t.zaak, invoer, {}, team, [], { basisVersie: read.basisVersie });
  });

  actie(app, Verb.besluitVastleggen, async (context, data) => {
    const ingevuld = await formulier(context, deps, data);
    if (!ingevuld.ok) return ingevuld.antwoord;
    const { read, t, team } = ingevuld;
    const result = validateBesluit(read.invoer, {
      now: deps.clock.now(),
      timeZone: deps.config.timeZone,
      monitoringDagen: deps.config.zsm.monitoringDagen,
      leden: team,
      newId: () => deps.ids.next(),
      ...(t.zaak.besluit ? { vorige: t.zaak.besluit } : {}),
    });
    if (!result.ok) {
      deps.log.info({ teamId: t.zaak.teamId, caseId: t.zaak.id, fields: Object.keys(result.errors), generalGoals: result.teBevestigen.length }, 'besluit refused');
      return besluitFormCard(t.zaak, read.invoer, result.errors, team, result.teBevestigen, { basisVersie: read.basisVersie });
    }
    const keuze = besluitKeten(result.value);
    if (!magAfdoening(keuze, t.zaak.besluit && besluitKeten(t.zaak.besluit), rollenOpZaak(context, t.zaak).has('officier'))) {
      deps.log.warn({ teamId: t.zaak.teamId, caseId: t.zaak.id }, 'besluit refused: criminal-law disposal by someone who is not an officier');
      return besluitFormCard(t.zaak, read.invoer, { strafrechtelijk: ALLEEN_OFFICIER_AFDOENING }, team, [], { basisVersie: read.basisVersie });
    }
    let zaak: Verdiepingszaak;
    try {
      const basis = basisVan(read.basisVersie, deps.config.timeZone, deps.clock.now());
      zaak = await deps.zaken.change(t.scope.teamId, t.zaak.id, actorOf(context.activity), (z) => recordBesluit(z, result.value, basis), {
        gelezen: t.zaak,
        melding: (z) => inZaakgesprek(context, z, besluitMelding(z, deps.config.timeZone)),
      });
    } catch (err) {
      if (err instanceof VerouderdeInvoer) {
        deps.log.info({ teamId: t.zaak.teamId, caseId: t.zaak.id, basisVersie: read.basisVersie, versie: err.versie }, 'besluit refused: stale form');
        const current = (await deps.store.getCase(t.zaak.teamId, t.zaak.id)) ?? t.zaak;
        return besluitFormCard(current, read.invoer, {}, team, [], { basisVersie: err.versie, melding: err.userMessage });
      }
      if (err instanceof DomainError) return err.userMessage;
      throw err;
    }
    const besluit = zaak.besluit!;
    deps.log.info({ teamId: zaak.teamId, caseId: zaak.id, versie: besluit.versie, acties: besluit.acties.length }, 'besluit recorded');
    return besluitSamenvattingCard(zaak, besluit, deps.config.timeZone).card;
  });
}

/** The notice in the case thread: who recorded the besluit, and the owners of its open actions, @mentioned. */
function besluitMelding(zaak: Verdiepingszaak, timeZone: string): AdaptiveCard {
  const besluit = zaak.besluit!;
  const mentions = openEigenaren(besluit);
  const regels = [`Versie ${besluit.versie} door ${plainText(besluit.door.name)}, ${formatMoment(besluit.op, timeZone)}.`];
  if (mentions.length > 0) regels.push(`Acties voor ${mentions.map(at).join(', ')}: kies Bekijken voor wat en wanneer.`);
  return withMentions(zaakMeldingCard(zaak, 'Besluit vastgelegd', regels), mentions);
}

function unreadable(context: TurnContext, deps: Deps): string {
  deps.log.warn({ activityId: context.activity.id }, 'unreadable besluit payload');
  return UNREADABLE;
}
