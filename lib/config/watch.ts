/**
 * Hot reload. Watches the config directory (editors save by writing a new file and renaming it over
 * the old one, which a watch on the file itself would lose), debounces bursts of events, reloads,
 * and swaps only a config that validates. A bad edit emits 'error' and keeps the last good config;
 * so does a config file deleted (or moved away) while running, with a 'warning': falling back to the
 * built-in defaults then (HTTPS required, default limits) turned a working API into 403s.
 */
import { EventEmitter } from 'node:events';
import { type FSWatcher, watch } from 'node:fs';
import { basename, resolve } from 'node:path';
import { unmaskedView } from './config-object.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { type LoadConfigOptions, loadConfig } from './load.js';
import type { ApiGuardConfig } from './types.js';

export type WatchConfigOptions = LoadConfigOptions &
  Readonly<{
    /** Quiet time after the last file event before reloading. Defaults to 250 (ms). */
    debounceMs?: number;
  }>;

export interface ConfigWatcherEvents {
  change: [next: ApiGuardConfig, previous: ApiGuardConfig];
  error: [error: ConfigError];
  warning: [warning: ConfigIssue];
}

/**
 * Emits 'change' (next, previous) after a valid edit, 'error' (ConfigError) after an invalid one, and
 * 'warning' (code `CONFIG_FILE_DELETED`) when a file the running config came from disappeared.
 */
export interface ConfigWatcher extends EventEmitter<ConfigWatcherEvents> {
  /** The last configuration that loaded and validated. */
  readonly current: ApiGuardConfig;
  /** Stops watching; no timers or handles are left. */
  close(): void;
}

const CONFIG_FILE = /^appsettings(\.[^/\\]+)?\.json$/i;

/** Base names of the files a config was loaded from. */
function filesIn(config: ApiGuardConfig): string[] {
  return config.sources.filter((s) => s.kind === 'file' && s.found).map((s) => basename(s.name));
}

function fingerprint(config: ApiGuardConfig): string {
  // Unmasked: toJSON shows every secret as ***, so an edit that changed only a host section's
  // password compared equal, was never applied, and the new password was not masked in output.
  // The view holds every enumerable field of the config as well as the host sections.
  return JSON.stringify(unmaskedView(config));
}

class Watcher extends EventEmitter<ConfigWatcherEvents> implements ConfigWatcher {
  #current: ApiGuardConfig;
  #timer: NodeJS.Timeout | undefined;
  #fsWatcher: FSWatcher | undefined;
  #closed = false;
  readonly #options: WatchConfigOptions;
  readonly #debounceMs: number;

  constructor(options: WatchConfigOptions) {
    super();
    this.#options = options;
    this.#debounceMs = options.debounceMs ?? 250;
    if (!Number.isFinite(this.#debounceMs) || this.#debounceMs < 0) {
      throw new ConfigError(`debounceMs must be a non-negative number of milliseconds, got ${String(options.debounceMs)}`, {
        code: 'CONFIG_INVALID_OPTIONS',
      });
    }
    this.#current = loadConfig(options);
    this.#fsWatcher = watch(resolve(options.dir), { persistent: false }, (_event, filename) => {
      // `..data` is the symlink a Kubernetes ConfigMap/Secret volume swaps on update; the files
      // themselves are links through it and see no event of their own.
      if (filename === null || CONFIG_FILE.test(filename.toString()) || filename.toString() === '..data') this.#schedule();
    });
    this.#fsWatcher.on('error', (error) => {
      this.#report(new ConfigError(`watching ${resolve(options.dir)} failed (${(error as NodeJS.ErrnoException).code ?? error.message}); hot reload stopped`, {
        code: 'CONFIG_DIR_UNREADABLE',
        cause: error,
      }));
    });
  }

  get current(): ApiGuardConfig {
    return this.#current;
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#reload(), this.#debounceMs);
    this.#timer.unref();
  }

  #reload(): void {
    this.#timer = undefined;
    if (this.#closed) return;
    let next: ApiGuardConfig;
    try {
      next = loadConfig(this.#options);
    } catch (error) {
      this.#report(error instanceof ConfigError ? error : new ConfigError(`reloading config failed: ${String(error)}`, { code: 'CONFIG_INVALID', cause: error }));
      return;
    }
    // Names compare ignoring case, as the loader finds them (a rename to AppSettings.json is no loss).
    const present = filesIn(next).map((name) => name.toLowerCase());
    const gone = filesIn(this.#current).filter((name) => !present.includes(name.toLowerCase()));
    if (gone.length > 0) {
      for (const name of gone) {
        const message =
          `${name} was deleted or moved away; the configuration loaded from it stays in effect. ` +
          'Put the file back to apply edits again, or restart the app to run without it.';
        this.#warn({ code: 'CONFIG_FILE_DELETED', message, file: name });
      }
      return;
    }
    if (fingerprint(next) === fingerprint(this.#current)) return;
    const previous = this.#current;
    this.#current = next;
    try {
      this.emit('change', next, previous);
    } catch (error) {
      // A throwing listener must not escape into the fs event loop.
      this.#report(new ConfigError(`a 'change' listener threw: ${String(error)}`, { code: 'CONFIG_INVALID', cause: error }));
    }
  }

  #report(error: ConfigError): void {
    // EventEmitter throws an 'error' nobody listens to; from a file event that would crash the host.
    if (this.listenerCount('error') > 0) {
      try {
        this.emit('error', error);
      } catch {
        // A throwing error listener is ignored for the same reason.
      }
    }
  }

  #warn(warning: ConfigIssue): void {
    try {
      this.emit('warning', warning);
    } catch {
      // Like 'error': a throwing listener must not escape into the fs event loop.
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#fsWatcher?.close();
    this.#fsWatcher = undefined;
  }
}

/** Loads the config now (throwing ConfigError if it is invalid) and reloads it when a file changes. */
export function watchConfig(options: WatchConfigOptions): ConfigWatcher {
  return new Watcher(options);
}
