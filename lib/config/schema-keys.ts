/**
 * Walks a zod schema to find the canonical spelling of a key (files may say `ratelimiting`, the
 * object says `RateLimiting`) and the keys a section allows (for did-you-mean suggestions).
 */
import type { z } from 'zod';

interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly catchall?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema under wrappers (optional, default, preprocess/transform pipes). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(current);
    if (def.innerType && ['optional', 'default', 'nullable', 'readonly', 'catch', 'nonoptional', 'prefault'].includes(def.type)) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in && def.out) {
      current = defOf(def.out).type === 'transform' ? def.in : def.out;
    } else {
      return current;
    }
  }
  return current;
}

/** The object keys a schema allows, or undefined when it is not an object (records allow any key). */
export function knownKeys(schema: z.ZodType): readonly string[] | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** True for an object schema that refuses unknown keys (ours; the root is loose). */
export function isStrictObject(schema: z.ZodType): boolean {
  const def = defOf(unwrap(schema));
  return def.type === 'object' && def.catchall !== undefined && defOf(def.catchall).type === 'never';
}

/** Canonical key and child schema for `segment` under `schema`; undefined when unknown. */
export function child(schema: z.ZodType, segment: string): { key: string; schema: z.ZodType | undefined } | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'object' && def.shape) {
    const lower = segment.toLowerCase();
    const key = Object.keys(def.shape).find((k) => k.toLowerCase() === lower);
    if (key !== undefined) return { key, schema: def.shape[key] };
    return undefined;
  }
  if (def.type === 'array' && def.element && /^\d+$/.test(segment)) return { key: segment, schema: def.element };
  if (def.type === 'record' && def.valueType) return { key: segment, schema: def.valueType };
  return undefined;
}

/** Rewrites a path's keys to their canonical spelling as far as the schema knows them. */
export function canonicalSegments(schema: z.ZodType, segments: readonly string[]): string[] {
  const out: string[] = [];
  let current: z.ZodType | undefined = schema;
  for (const segment of segments) {
    const found: { key: string; schema: z.ZodType | undefined } | undefined = current ? child(current, segment) : undefined;
    out.push(found ? found.key : segment);
    current = found?.schema;
  }
  return out;
}

/** The schema at a path into a value (array indexes as numbers or digit strings); undefined past a key the schema lacks. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) current = current ? child(current, String(segment))?.schema : undefined;
  return current;
}

/** True for a schema that holds keys (an object, a record or an array): a section, not a value. */
export function isSection(schema: z.ZodType): boolean {
  return ['object', 'record', 'array'].includes(defOf(unwrap(schema)).type);
}
