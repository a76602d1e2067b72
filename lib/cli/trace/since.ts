/**
 * `--since` values: a relative age (`90s`, `30m`, `12h`, `2d`, `1w`) or an ISO-8601 date/time.
 */
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The cutoff in epoch milliseconds, or undefined when `text` is neither an age nor an ISO date. */
export function parseSince(text: string, now: number): number | undefined {
  const relative = /^(\d{1,6})\s*([smhdw])$/i.exec(text.trim());
  if (relative) {
    const unit = UNIT_MS[(relative[2] as string).toLowerCase()] as number;
    return now - Number(relative[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const at = Date.parse(text.trim());
    return Number.isNaN(at) ? undefined : at;
  }
  return undefined;
}
