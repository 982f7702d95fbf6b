import { z } from 'zod';
import { DomainError, isOpen, type Actor, type Lid, type NewZaakEvent, type Verdiepingszaak } from './zaak';

/** Whether this actor holds the casusregie (case lead) of the case. */
export function heeftCasusregie(zaak: Verdiepingszaak, actor: Actor): boolean {
  return zaak.lead.id === actor.id;
}

/**
 * Hands the casusregie to a team member. Only the current lead may hand it over (the lead
 * is who answers for the case); the new lead must be someone else, and the case must be open.
 */
export function overdragen(zaak: Verdiepingszaak, door: Actor, naar: Lid): NewZaakEvent[] {
  if (!isOpen(zaak)) throw new DomainError('Deze zaak is gesloten: de casusregie kan niet meer worden overgedragen.');
  if (!heeftCasusregie(zaak, door)) throw new DomainError(`Alleen de casusregisseur (${zaak.lead.name}) kan een andere casusregisseur kiezen.`);
  if (naar.id === zaak.lead.id) throw new DomainError(`${naar.name} heeft de casusregie al.`);
  return [{ type: 'zaak.casusregie_overgedragen', data: { naar: { id: naar.id, name: naar.name, teamsId: naar.teamsId } } }];
}

/** The handover form's payload: the case and the picked member's Teams user id, or a typed name (a big team). */
export const overdrachtPayload = z.object({
  caseId: z.string().min(1).max(100),
  nieuweRegie: z.string().max(200).default(''),
  naam: z.string().max(200).default(''),
});
