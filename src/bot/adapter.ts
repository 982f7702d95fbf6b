import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';

/**
 * The Teams adapter with one entry for an activity the edge has already read and checked (zod, in
 * src/http/activity.ts): it goes straight to the turn (token check, context, logic) without
 * `process`, which checks the request again with zod schemas it builds anew on every call. A
 * refused token throws botframework-connector's AuthenticationError; any other failure throws too.
 */
export class VerdiepAdapter extends TeamsAdapter {
  beurt(authHeader: string, activity: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, validateAndFixActivity(activity as unknown as Activity), logic);
  }
}
