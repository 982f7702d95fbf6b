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
