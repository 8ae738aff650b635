/**
 * Escaping of user strings (names, reasons, messages, labels) for each context of the reports, so that no string
 * can end a table row, a list item, a code span, a `<details>` block or an HTML comment early, or inject markup.
 */

/** Line breaks of every kind (CR, LF, NEL, U+2028/U+2029) and other control characters: one space each. */
function oneLine(s: string): string {
  return String(s).replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ');
}

/** Text in HTML content or a quoted attribute value. */
export function htmlText(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

/** Text inside raw HTML that sits in a Markdown document (a `<summary>`): HTML-escaped and on one line. */
export function mdHtml(s: string): string {
  return htmlText(oneLine(s));
}

/**
 * Markdown inline text (a list item, a heading, a table cell): one line, '<' and '&' as entities, Markdown punctuation
 * that starts emphasis, links, code or a cell backslash-escaped.
 */
export function mdText(s: string): string {
  return oneLine(s)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    // '<' opens every tag and comment, '&' an entity; '>' cannot start markup mid-line
    .replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;'));
}

/**
 * A Markdown code span: fenced by one more backtick than the longest run inside, padded when the text starts or
 * ends with a backtick; in a table cell, `|` becomes `\|` (GFM reads it as part of the cell inside code too).
 */
export function mdCode(s: string, inTable = false): string {
  let text = oneLine(s);
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
