/**
 * Output hygiene. Log lines and config files can hold text an attacker chose (a logged URL, a header),
 * and printing raw escape sequences to an operator's terminal can rewrite what they see. Everything
 * the CLI prints that it did not write itself goes through here.
 */

// C0 controls except tab, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control and bidi characters by `\uXXXX` so a line prints as exactly one visible line. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// `Password=...;` / `Pwd=...` inside anything that looks like a connection string.
const CONNECTION_PASSWORD = /\b(password|pwd)(\s*=\s*)(?:"[^"]*"|'[^']*'|\{[^}]*\}|[^;"'\s]*)/gi;

/**
 * The last line of defence for secrets: masks known secret values and any `Password=` in a
 * connection-string-like text. Callers still avoid putting secrets in messages in the first place.
 */
export function maskSecrets(text: string, mask: (text: string) => string): string {
  return mask(text).replace(CONNECTION_PASSWORD, '$1$2***');
}
