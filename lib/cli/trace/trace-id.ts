/**
 * What counts as a trace ID on the command line. Both formats the guard issues fit (`aspnet`:
 * `0HMGDP8E63BDF:00000004`, `w3c`: 32 hex digits, or a whole `traceparent`), and the charset is
 * narrow on purpose: an argument that fails is never echoed back, so a hostile string cannot reach
 * the terminal or the logs through us.
 */
const TRACE_ID = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/;

/** True when `text` can be a trace ID the guard issued (1–128 of letters, digits, `:`, `.`, `_`, `-`). */
export function isValidTraceId(text: string): boolean {
  return TRACE_ID.test(text);
}
