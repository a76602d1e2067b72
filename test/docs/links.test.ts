/**
 * Every relative link in the README, the CHANGELOG, docs/*.md and the example's README points at a
 * file that exists, and a `#fragment` at a heading that exists in the target (GitHub's anchor rules:
 * lower case, punctuation dropped, spaces as hyphens, `-1`, `-2` for repeated headings).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');

const pages = [
  'README.md',
  'CHANGELOG.md',
  join('examples', 'issuetrak-style', 'README.md'),
  ...readdirSync(join(repo, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
].map((path) => join(repo, path));

/** The page without fenced code blocks and inline code, where `[x](y)` and `# x` are not markdown. */
function prose(text: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      lines.push('');
      continue;
    }
    lines.push(fence === undefined ? line.replace(/`[^`]*`/g, (code) => code.replace(/[[\]()]/g, ' ')) : '');
  }
  return lines;
}

/** GitHub's heading anchors for a page. */
function anchors(path: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = readFileSync(path, 'utf8');
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    out.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return out;
}

test('relative links in the docs reach existing files and headings', () => {
  const problems: string[] = [];
  let checked = 0;
  for (const page of pages) {
    prose(readFileSync(page, 'utf8')).forEach((line, index) => {
      for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        checked += 1;
        const [file = '', fragment] = target.split('#', 2);
        const where = `${relative(repo, page)}:${index + 1} (${target})`;
        const path = file === '' ? page : resolve(dirname(page), decodeURIComponent(file));
        if (!existsSync(path)) {
          problems.push(`${where}: no file ${relative(repo, path)}`);
          continue;
        }
        if (fragment === undefined) continue;
        if (!statSync(path).isFile() || !path.endsWith('.md')) {
          problems.push(`${where}: a #fragment on something that is not a markdown file`);
        } else if (!anchors(path).has(fragment)) {
          problems.push(`${where}: no heading #${fragment} in ${relative(repo, path)}`);
        }
      }
    });
  }
  assert.ok(checked > 20, `only ${checked} relative links found; is the link pattern still right?`);
  assert.deepEqual(problems, []);
});
