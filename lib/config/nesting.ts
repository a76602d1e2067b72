/**
 * The nesting bound. The JSON parser and every walk after it (flattening, merging, validation,
 * freezing) recurse once per level, so a file nested a few thousand levels deep overflowed the stack
 * with a RangeError that named no file. Config needs a handful of levels; anything deeper than
 * MAX_CONFIG_DEPTH is refused with a location before anything recursive sees it.
 */
import { createScanner } from 'jsonc-parser';

/**
 * Objects and arrays inside each other, the root object counting as one (`{"A":{"B":1}}` is 2 deep);
 * for an environment variable or a path, its number of sections (`A__B` is 2 deep).
 */
export const MAX_CONFIG_DEPTH = 64;

// jsonc-parser's SyntaxKind is a const enum, which isolatedModules cannot read; these values are its own.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * The offset of the first `{` or `[` that opens a level deeper than `max`, or undefined. An
 * iterative token scan (strings and comments are skipped by the scanner), so it cannot overflow.
 */
export function tooDeepOffset(text: string, max: number = MAX_CONFIG_DEPTH): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      depth++;
      if (depth > max) return scanner.getTokenOffset();
    } else if ((token === CLOSE_BRACE || token === CLOSE_BRACKET) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** The problem text shared by every place that enforces the bound. */
export const TOO_DEEP_PROBLEM =
  `nested deeper than ${MAX_CONFIG_DEPTH} levels (objects and arrays inside each other); ` +
  'configuration needs a few levels at most: check that nothing was pasted or generated into it';
