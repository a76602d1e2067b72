// The folder layering of lib/, enforced by `npm run lint`:
//   core → config → features (trace, logging, errors, https, rate-limit, health, metrics) → guard → cli
// A folder may import only from a lower layer, never from a sibling feature, and only through that
// folder's index.ts, so each folder's public face is the only thing the others can reach and no
// folder cycle can form. Type-only imports follow the same rule: a type is part of the face too.
import path from 'node:path';

const RANK = new Map([
  ['core', 0],
  ['config', 1],
  ['trace', 2],
  ['logging', 2],
  ['errors', 2],
  ['https', 2],
  ['rate-limit', 2],
  ['health', 2],
  ['metrics', 2],
  ['guard', 3],
  ['cli', 4],
]);

/** `lib/<folder>/…` → folder; `lib/index.ts` → '' (the root may import every folder's index). */
function folderOf(file, libDir) {
  const relative = path.relative(libDir, file);
  if (relative.startsWith('..')) return undefined;
  const parts = relative.split(path.sep);
  return parts.length === 1 ? '' : parts[0];
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'lib/ folders import lower layers only, through their index.ts' },
    schema: [],
    messages: {
      unknown: 'lib/{{folder}} is not in the layer table of tools/eslint-layers.js; add it to a layer.',
      deep: 'Import lib/{{target}} through its public face "{{index}}", not its internal file.',
      upward: 'lib/{{from}} (layer {{fromRank}}) must not import lib/{{target}} (layer {{targetRank}}); move the shared piece down (usually to lib/core).',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const libDir = path.resolve(context.cwd ?? process.cwd(), 'lib');
    const from = folderOf(file, libDir);
    if (from === undefined) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const resolved = path.resolve(path.dirname(file), source);
      const target = folderOf(resolved, libDir);
      if (target === undefined || target === '' || target === from) return;
      if (!RANK.has(target)) return context.report({ node: node.source, messageId: 'unknown', data: { folder: target } });
      const index = path.join(libDir, target, 'index.js');
      if (resolved !== index) {
        return context.report({ node: node.source, messageId: 'deep', data: { target: path.relative(libDir, resolved), index: path.relative(path.dirname(file), index) } });
      }
      if (from === '') return;
      if (!RANK.has(from)) return context.report({ node: node.source, messageId: 'unknown', data: { folder: from } });
      if (RANK.get(target) >= RANK.get(from)) {
        context.report({ node: node.source, messageId: 'upward', data: { from, target, fromRank: RANK.get(from), targetRank: RANK.get(target) } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { layers: rule } };
