/**
 * Reading values that came from `throw`: any of them can be a Proxy (revoked ones throw on every
 * operation), an object whose getters throw, or something frozen. Code that turns such a value
 * into a response or a log line reads it only through these, which never throw.
 */

/** `target[key]`, or undefined when `target` is not an object or reading it throws. */
export function safeGet(target: unknown, key: PropertyKey): unknown {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) return undefined;
  try {
    return (target as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `value instanceof type`, false when the check itself throws (a revoked Proxy's prototype lookup does). */
export function safeInstanceOf(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/** `Array.isArray(value)`, false when it throws (a revoked Proxy). */
export function safeIsArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** Own string keys of `value` (at most `max`), or none when listing them throws. */
export function safeKeys(value: unknown, max: number): string[] {
  if (value === null || typeof value !== 'object') return [];
  try {
    const keys: string[] = [];
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== 'string') continue;
      keys.push(key);
      if (keys.length >= max) break;
    }
    return keys;
  } catch {
    return [];
  }
}

/** Own enumerable `[key, value]` pairs; undefined when listing or reading throws (a hostile object). */
export function safeEntries(value: object): [string, unknown][] | undefined {
  try {
    return Object.entries(value);
  } catch {
    return undefined;
  }
}

/** Cuts `text` to `max` characters, saying how much was left out. */
export function capLength(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
