import { stripControls } from '../src/domain/privacy';

/**
 * User text shown in a TextBlock must stay text: no markdown links, images, emphasis or lists,
 * no <at> mentions, no control or bidi characters (stripped: a last line of defence behind the
 * privacy filter). Markdown characters are backslash-escaped; angle brackets are replaced by
 * look-alikes so no tag can form (a leading > needs no escape: it becomes ›, not a quote marker).
 */
export function plainText(input: string): string {
  return stripControls(input)
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-=])/gm, '$1\\$2')
    // An ordered-list marker is escaped at its dot ("1\. "): a backslash before a digit would show.
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.')
    .replace(/</g, '‹')
    .replace(/>/g, '›');
}

/**
 * The bot's own message (which may name people or a case) in a TextBlock: only what would form
 * markdown or a tag is made inert — links and images (their brackets), emphasis, code, block
 * markers at a line start, angle brackets — so "Stap 1 is opgeslagen (versie 1)." shows without
 * backslashes (Teams mobile shows them).
 */
export function botText(input: string): string {
  return stripControls(input)
    .replace(/[\\`*_[\]~]|\{(?=\{)|\}(?=\})/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-=+#])/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.')
    .replace(/</g, '‹')
    .replace(/>/g, '›');
}
