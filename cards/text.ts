import { stripControls } from '../src/domain/privacy';

/** Anything plainText's replacements would change. */
const MARKDOWN = /[\\`*_[\]~<>]|\{\{|\}\}|^\s*[-=+#]|^\s*\d+[.)]/m;

/**
 * Text in a TextBlock, the user's or the bot's own (which may quote a name or a case), must stay
 * text: no markdown links, images, emphasis, code or lists, no <at> mentions, no control or bidi
 * characters (stripped: a last line of defence behind the privacy filter). Only what could form
 * markdown is escaped: the brackets of links and images, emphasis, code and strikethrough marks, a
 * `{{` date function, and block markers at a line start. So "Stap 1 is opgeslagen (versie 1)."
 * and "Samira (Veilig Thuis)" show without backslashes (Teams mobile shows them). Angle brackets
 * become look-alikes, so no tag can form (a leading > then needs no escape: it is no quote marker).
 */
export function plainText(input: string): string {
  const text = stripControls(input);
  // Most text (a name, a reference) has nothing to escape: one test instead of six replacements.
  if (!MARKDOWN.test(text)) return text;
  return text
    .replace(/[\\`*_[\]~]|\{(?=\{)|\}(?=\})/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-=+#])/gm, '$1\\$2')
    // An ordered-list marker is escaped at its dot ("1\. "): a backslash before a digit would show.
    .replace(/^(\s*)(\d+)([.)])/gm, '$1$2\\$3')
    .replace(/</g, '‹')
    .replace(/>/g, '›');
}
