import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';

/**
 * Sends a short notice in the way the current activity expects: a message for messages, a
 * message invoke response for card actions, a dialog message for dialog and extension invokes.
 */
export async function replyWithNotice(context: TurnContext, text: string): Promise<void> {
  const { type, name } = context.activity;
  if (type !== ActivityTypes.Invoke) {
    await context.sendActivity(text);
    return;
  }
  if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
  const body =
    name === 'adaptiveCard/action'
      ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text }
      : { task: { type: 'message', value: text } };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}
