import { CardFactory, type TurnContext } from 'botbuilder';
import { persoonlijkCard, type PersoonlijkData } from '../../cards/persoonlijk';

/**
 * Answers a typed command that shows content with a status card in the channel: the content is
 * the asker's own view (refresh.userIds) and comes to whoever presses Bekijken, re-checked each time.
 */
export async function stuurPersoonlijk(context: TurnContext, titel: string, data: PersoonlijkData): Promise<void> {
  const from = context.activity.from;
  const card = persoonlijkCard(titel, from?.name ?? 'jou', from?.id ?? '', data);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}
