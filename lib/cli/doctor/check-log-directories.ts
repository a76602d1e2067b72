/**
 * Check 5: the log folder and its `stdout/` startup-log folder exist or can be created, and a file can
 * really be written there (permissions, read-only mounts and full disks all show up only on write).
 * Anything doctor creates to find out is removed again, so running it changes nothing.
 */
import { existsSync, mkdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EEXIST: 'a file of that name is in the way',
};

interface Probe {
  ok: boolean;
  existed: boolean;
  problem?: string;
  /** The top-most folder this probe created (removed after all probes). */
  created?: string;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return `${code}: ${REASONS[code] ?? (err as Error).message}`;
}

function probe(dir: string): Probe {
  let existed = existsSync(dir);
  let created: string | undefined;
  try {
    if (existed && !statSync(dir).isDirectory()) return { ok: false, existed, problem: `${dir} is a file, not a folder` };
    if (!existed) created = mkdirSync(dir, { recursive: true });
  } catch (err) {
    existed = false;
    return { ok: false, existed, problem: `cannot create ${dir} (${reason(err)})` };
  }
  const file = join(dir, `.doctor-probe-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(file, 'express-api-guard doctor write test\n', { flag: 'wx' });
    unlinkSync(file);
  } catch (err) {
    return { ok: false, existed, problem: `cannot write in ${dir} (${reason(err)})`, ...(created ? { created } : {}) };
  }
  return { ok: true, existed, ...(created ? { created } : {}) };
}

function logDirectory(context: DoctorContext): { dir: string; basis: string } {
  if (context.config) return { dir: context.config.Logging.Directory, basis: 'Logging.Directory' };
  const raw = context.setting(['Logging', 'Directory']);
  if (typeof raw === 'string' && raw.trim() !== '') {
    return { dir: resolve(context.configDir, raw), basis: 'Logging.Directory as written; the configuration did not load' };
  }
  return { dir: resolve(context.configDir, 'logs'), basis: 'the default logs folder; the configuration did not load' };
}

export function checkLogDirectories(context: DoctorContext): DoctorCheck {
  const base = { id: 'log-directories', title: 'log folders' } as const;
  if (context.dirProblem !== undefined) {
    // The default folder hangs off the config folder; creating a tree under a wrong path proves nothing.
    return { ...base, status: 'warn', detail: `not checked: the config folder ${context.configDir} ${context.dirProblem}`, fix: 'pass --config-dir DIR' };
  }
  const { dir, basis } = logDirectory(context);
  const startupDir = join(dir, 'stdout');
  const logs = probe(dir);
  const startup = logs.ok ? probe(startupDir) : undefined;
  for (const created of [startup?.created, logs.created]) {
    if (created) rmSync(created, { recursive: true, force: true });
  }
  const describe = (p: Probe, d: string): string => `${d} ${p.existed ? 'is writable' : 'can be created (the app creates it at startup)'}`;
  if (logs.ok && startup?.ok) {
    const detail = `${describe(logs, dir)}; ${describe(startup, startupDir)} (from ${basis})`;
    const logging = context.config?.Logging;
    if (!logging) return { ...base, status: 'ok', detail };
    const level = logging.DetailedTrace ? 'Trace (DetailedTrace is on)' : logging.LogLevel.Default;
    const levels = `; level ${level}`;
    // A folder that can be written but a level that writes nothing is the other "no logs" cause.
    if (!logging.DetailedTrace && logging.LogLevel.Default === 'None') {
      return {
        ...base,
        status: 'warn',
        detail: `${detail}${levels}: nothing is logged`,
        fix: 'set Logging.LogLevel.Default to Information (or Warning); the change takes effect without a restart',
      };
    }
    return { ...base, status: 'ok', detail: `${detail}${levels}` };
  }
  const problem = logs.ok ? (startup?.problem ?? 'unknown') : (logs.problem ?? 'unknown');
  return {
    ...base,
    status: 'fail',
    detail: `${problem} (from ${basis}); without it there are no request logs and no startup log in stdout/`,
    fix: `create ${dir} and ${startupDir} and give the app's user write access, or set Logging.Directory to a writable folder`,
  };
}
