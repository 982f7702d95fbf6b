/**
 * User text shown in a TextBlock must stay text: no markdown links, images, emphasis or lists,
 * and no <at> mentions. Markdown characters are backslash-escaped; angle brackets are replaced
 * by look-alikes so no tag can form.
 */
export function plainText(input: string): string {
  return input
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-=>]|\d+\.)/gm, (_m, ws: string, marker: string) => `${ws}\\${marker}`)
    .replace(/</g, '‹')
    .replace(/>/g, '›');
}
