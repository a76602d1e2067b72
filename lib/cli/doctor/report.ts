/**
 * The doctor report as text: one line per check, `ok|warn|fail  <name>  <detail>`, continuation
 * lines indented under it, then `fix:` and notes, then a one-line summary.
 */
import { escapeForTerminal } from '../../core/index.js';
import { type DoctorReport } from './types.js';

const STATUS_WIDTH = 4;

/** Formats a report for a terminal (each line is safe to print: control characters escaped). */
export function formatDoctorReport(report: DoctorReport): string[] {
  const titleWidth = Math.max(...report.checks.map((c) => c.title.length));
  const indent = ' '.repeat(STATUS_WIDTH + 2 + titleWidth + 2);
  const source = report.environment.source === 'default' ? 'default' : `from ${report.environment.source === 'option' ? '--environment' : report.environment.source}`;
  const lines = [`express-api-guard doctor: ${report.configDir} (environment ${report.environment.name}, ${source})`, ''];
  for (const check of report.checks) {
    const [first = '', ...rest] = check.detail.split(/\r?\n/);
    lines.push(`${check.status.padEnd(STATUS_WIDTH)}  ${check.title.padEnd(titleWidth)}  ${first}`);
    for (const line of rest) lines.push(`${indent}${line}`);
    if (check.fix !== undefined && check.status !== 'ok') lines.push(`${indent}fix: ${check.fix}`);
    for (const note of check.notes ?? []) lines.push(`${indent}${note}`);
  }
  const count = (status: string): number => report.checks.filter((c) => c.status === status).length;
  const failed = count('fail');
  const info = count('info') > 0 ? `, ${count('info')} info` : '';
  lines.push('', `${count('ok')} ok${info}, ${count('warn')} warning(s), ${failed} failure(s)${failed ? '' : ': nothing failed'}`);
  return lines.map((line) => escapeForTerminal(line.trimEnd()));
}
