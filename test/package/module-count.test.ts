/**
 * What `require`/`import` of the published package loads in a consumer's fresh process (issue 10,
 * "Light"): the root stays within 450 module files and never loads tedious; `/rate-limit` stays
 * within 200 and loads neither winston nor tedious. Module counts are deterministic for a given
 * lockfile, so they are asserted here; load times are not, and live in `npm run bench`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { countByPackage, loadedPackages, probeModules, type LoadMode, type ModuleProbe } from '../fixtures/module-count.js';
import { packedInstall } from '../fixtures/packed-install.js';

const repo = resolve(import.meta.dirname, '..', '..');
const MODES: readonly LoadMode[] = ['require', 'import'];

const ENTRIES = [
  { specifier: 'express-api-guard', max: 450, never: ['tedious'] },
  { specifier: 'express-api-guard/rate-limit', max: 200, never: ['tedious', 'winston'] },
] as const;

function summary(probe: ModuleProbe): string {
  return countByPackage(probe).slice(0, 12).map(([name, n]) => `${name} ${n}`).join(', ');
}

test('module counts of the published entry points', { timeout: 240_000 }, async (t) => {
  const { dir } = await packedInstall();
  for (const { specifier, max, never } of ENTRIES) {
    for (const mode of MODES) {
      await t.test(`${mode}('${specifier}'): at most ${max} modules, no ${never.join(' or ')}`, () => {
        const probe = probeModules(dir, mode, specifier);
        // The probe counted the build a consumer gets for this mode (and so counts ES modules too).
        const folder = mode === 'import' ? 'esm' : 'cjs';
        assert.match(probe.entry ?? '', new RegExp(`^node_modules/express-api-guard/dist/${folder}/`));
        assert.ok(probe.modules.some((m) => m.path === probe.entry && m.format === (mode === 'import' ? 'module' : 'commonjs')));
        const loaded = loadedPackages(probe);
        for (const name of never) assert.ok(!loaded.has(name), `${name} was loaded: ${summary(probe)}`);
        assert.ok(probe.modules.length <= max, `${probe.modules.length} modules > ${max}: ${summary(probe)}`);
      });
    }
  }

  // The install above has no tedious (an optional peer), so a static import of it would already
  // fail to load. In this repository tedious is installed (a devDependency): it must still not load.
  // The package's own name resolves to this repository's dist/ (a package may import itself),
  // which the pack above has just built.
  for (const { specifier, never } of ENTRIES) {
    await t.test(`${specifier} loads no ${never.join(' or ')} even where tedious is installed`, () => {
      for (const mode of MODES) {
        const probe = probeModules(repo, mode, specifier);
        assert.match(probe.entry ?? '', /^dist\//);
        const loaded = loadedPackages(probe);
        for (const name of never) assert.ok(!loaded.has(name), `${mode}: ${name} was loaded: ${summary(probe)}`);
      }
    });
  }
});
