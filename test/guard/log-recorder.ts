// A LogSink for guard tests that records every line and lets a test wait for the one it expects
// (an event, not a sleep: reloads and refusals are logged when they happen).
import type { LogSink } from '../../lib/index.js';

export interface Line {
  readonly level: string;
  readonly message: string;
  readonly meta: Record<string, unknown>;
}

export function recorder(): { lines: Line[]; sink: LogSink; next(match: (line: Line) => boolean): Promise<Line> } {
  const lines: Line[] = [];
  const waiting: { match: (line: Line) => boolean; resolve: (line: Line) => void }[] = [];
  const record = (level: string) => (message: string, meta?: Readonly<Record<string, unknown>>) => {
    const line = { level, message, meta: { ...meta } };
    lines.push(line);
    for (const w of [...waiting]) {
      if (!w.match(line)) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(line);
    }
  };
  return {
    lines,
    sink: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    next: (match) => new Promise((resolve) => waiting.push({ match, resolve })),
  };
}
