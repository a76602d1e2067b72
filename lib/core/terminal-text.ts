/**
 * The one terminal sanitizer, for the console log format and every line the CLI prints. Log lines
 * and config files hold text an attacker chose (a URL, a header); raw control characters could
 * move the cursor, recolour or erase what an operator sees, and bidi controls reorder it.
 */

// C0 controls except tab, DEL, C1 controls (U+009B is a one-byte CSI), the Arabic letter mark,
// LRM/RLM, the bidi embeddings and overrides, the bidi isolates, and the line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' };

/**
 * `text` as exactly one visible line: newlines become `\n`, carriage returns `\r`, and every other
 * unsafe character `\uXXXX`. Tabs and ordinary text (emoji, accents, CJK) are kept as they are.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (ch) => SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
