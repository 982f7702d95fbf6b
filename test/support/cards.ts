/** Helpers to read and act on the cards the bot sends, the way a Teams client would. */

/** The card as JSON with the markdown escapes of cards/text.ts removed (as Teams shows the text); any other backslash stays, so a needless escape shows. */
export const text = (card: unknown) => JSON.stringify(card).replace(/\\\\(?=[\\`*_{}[\]~\-=+#.)])/g, '');

/** Every node of a card (elements, actions, choices) that matches. */
export function find(node: unknown, pred: (n: any) => boolean): any[] {
  if (Array.isArray(node)) return node.flatMap((n) => find(n, pred));
  if (!node || typeof node !== 'object') return [];
  return [...(pred(node) ? [node] : []), ...Object.values(node).flatMap((n) => find(n, pred))];
}

export const executes = (card: unknown) => find(card, (n) => n.type === 'Action.Execute');
export const inputs = (card: unknown) => find(card, (n) => typeof n.type === 'string' && n.type.startsWith('Input.'));
export const inputIds = (card: unknown) => inputs(card).map((n) => n.id as string);

/** What Teams sends for an Action.Execute of this card: its data, every input's current value, and what the user typed. */
export function submit(card: unknown, verb: string, typed: Record<string, unknown> = {}): Record<string, unknown> {
  const action = executes(card).find((a) => a.verb === verb);
  if (!action) throw new Error(`no ${verb} on the card`);
  const shown = Object.fromEntries(inputs(card).map((n) => [n.id, n.value ?? '']));
  return { ...shown, ...(action.data ?? {}), ...typed };
}
