// Writes the package's ES module entry points: one small file per entry of package.json "exports"
// that re-exports the CommonJS build (dist/cjs). ESM and CommonJS consumers therefore run the same
// module instances (Node's "ES module wrapper" approach to the dual-package hazard: one request
// context, one ApiError class for instanceof), and the package ships its code once, not twice.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
rmSync(join(root, 'dist', 'esm'), { recursive: true, force: true });
for (const [key, target] of Object.entries(manifest.exports)) {
  if (typeof target !== 'object') continue;
  const wrapper = join(root, target.import.default);
  const cjs = join(root, target.require.default);
  let spec = relative(dirname(wrapper), cjs).split('\\').join('/');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  mkdirSync(dirname(wrapper), { recursive: true });
  // `export *` re-exports every name Node's CommonJS lexer finds in tsc's output; nothing to keep in step.
  writeFileSync(wrapper, `// ${key}: the CommonJS build, as an ES module.\nexport * from '${spec}';\n`);
}
