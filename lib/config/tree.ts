/**
 * Turns merged leaves back into plain objects. A section whose keys are all whole numbers becomes an
 * array (in numeric order, gaps closed, as ASP.NET Core's binder does); the original keys are kept so
 * an error about `Rules[6]` can still name the `RateLimiting__Rules__7__…` variable that made it.
 */
import { EMPTY_ARRAY, EMPTY_OBJECT, type Entry, keyOf } from './layers.js';

interface Branch {
  kind: 'branch';
  children: Map<string, { key: string; node: TreeNode }>;
  array: boolean;
}
type TreeNode = Branch | { kind: 'leaf'; entry: Entry };

export interface Tree {
  readonly value: Record<string, unknown>;
  /** Values set where another layer has a section (the section wins; the value is reported). */
  readonly conflicts: readonly Entry[];
  /** Original keys of each array's items by the array's path key (for error locations). */
  readonly arrayKeys: ReadonlyMap<string, readonly string[]>;
}

/**
 * `gapsAllowed(path)` says whether numeric keys with gaps still make an array there (our sections:
 * yes; a host section's `{ "200": …, "404": … }` stays an object unless its keys are exactly 0…n-1).
 */
export function buildTree(entries: readonly Entry[], gapsAllowed: (path: readonly string[]) => boolean = () => true): Tree {
  const root: Branch = { kind: 'branch', children: new Map(), array: false };
  const conflicts: Entry[] = [];
  for (const entry of entries) {
    let node: Branch = root;
    const { segments } = entry;
    segments.forEach((segment, index) => {
      const lower = segment.toLowerCase();
      const last = index === segments.length - 1;
      const existing = node.children.get(lower);
      if (last) {
        if (entry.value === EMPTY_ARRAY || entry.value === EMPTY_OBJECT) {
          if (!existing) node.children.set(lower, { key: segment, node: { kind: 'branch', children: new Map(), array: entry.value === EMPTY_ARRAY } });
        } else if (!existing || existing.node.kind === 'leaf') {
          node.children.set(lower, { key: existing?.key ?? segment, node: { kind: 'leaf', entry } });
        } else if (existing.node.children.size > 0) {
          // A value where another layer has a section: the section's keys win (ASP.NET binds children).
          conflicts.push(entry);
        }
        return;
      }
      if (!existing || existing.node.kind === 'leaf') {
        if (existing?.node.kind === 'leaf') conflicts.push(existing.node.entry);
        const branch: Branch = { kind: 'branch', children: new Map(), array: false };
        node.children.set(lower, { key: existing?.key ?? segment, node: branch });
        node = branch;
      } else {
        node = existing.node;
      }
    });
  }
  const arrayKeys = new Map<string, string[]>();
  const value = toPlain(root, [], arrayKeys, gapsAllowed) as Record<string, unknown>;
  return { value, arrayKeys, conflicts };
}

function toPlain(
  node: TreeNode,
  path: string[],
  arrayKeys: Map<string, string[]>,
  gapsAllowed: (path: readonly string[]) => boolean,
): unknown {
  if (node.kind === 'leaf') return node.entry.value;
  const items = [...node.children.values()];
  let numeric = items.length > 0 && items.every(({ key }) => /^\d+$/.test(key));
  if (numeric) {
    items.sort((a, b) => Number(a.key) - Number(b.key));
    numeric = gapsAllowed(path) || items.every(({ key }, index) => key === String(index));
  }
  if (numeric || (node.array && items.length === 0)) {
    arrayKeys.set(keyOf(path), items.map(({ key }) => key));
    return items.map(({ key, node: child }) => toPlain(child, [...path, key], arrayKeys, gapsAllowed));
  }
  const out: Record<string, unknown> = {};
  for (const { key, node: child } of items) out[key] = toPlain(child, [...path, key], arrayKeys, gapsAllowed);
  return out;
}

/** Original segments for a path into the built value (array indexes mapped back to their keys). */
export function originalSegments(tree: Tree, path: readonly PropertyKey[]): string[] {
  const out: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      const keys = tree.arrayKeys.get(keyOf(out));
      out.push(keys?.[segment] ?? String(segment));
    } else {
      out.push(String(segment));
    }
  }
  return out;
}
