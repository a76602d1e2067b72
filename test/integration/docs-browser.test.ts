/**
 * The docs page as a person uses it, in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core): the example in Development over plain HTTP on 127.0.0.1, /api/v2/docs renders
 * the operations, "Try it out" on GET /Issues/{iid} answers 200 with the demo key pre-filled and the
 * trace ID and rate-limit headers shown, and pressing Execute until the limit is spent shows a 429.
 *
 * The burst rule is stretched to 5 per minute for this test (an environment override, as an operator
 * would write it) so the count cannot straddle two one-second windows on a loaded machine; the docs
 * page's own files are whitelisted, so only openapi.json and the executions count.
 *
 * Screenshots: <tmpdir>/guard-docs-XXXXXX/docs-page.png (the page), docs-page-200.png and
 * docs-page-429.png (each response as the page shows it), failure.png when a step fails. The folder is removed after a passing run unless KEEP_SCREENSHOTS=1; after a failure it
 * is kept and its path printed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium, type Locator, type Page } from 'playwright-core';
import { API_KEY, makeConfigDir, removeDir, startExample } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The machine has no network: these keep Chromium from calling home, updating or syncing.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const TRACE_ID = /^[0-9A-V]{13}:[0-9A-F]{8}$/;

/** The header lines Swagger UI shows under "Response headers" (names lower-cased, as fetch gives them). */
async function shownHeaders(operation: Locator): Promise<Map<string, string>> {
  const text = await operation.locator('.live-responses-table tr.response .response-col_description').innerText();
  const section = text.slice(text.indexOf('Response headers'));
  const headers = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^\s*([a-z0-9-]+): (.*?)\s*$/.exec(line);
    if (match) headers.set(match[1]!, match[2]!);
  }
  return headers;
}

/** Presses Execute and waits until the UI shows the status of that very response. */
async function execute(page: Page, operation: Locator): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v2/Issues/1'),
    operation.locator('button.execute').click(),
  ]);
  const status = response.status();
  await operation.locator('.live-responses-table tr.response .response-col_status', { hasText: String(status) }).waitFor();
  return status;
}

test('the docs page renders the API, tries GET /Issues/{iid} with the demo key and shows a 429 after a burst', { timeout: 60_000 }, async (t) => {
  assert.ok(
    existsSync(CHROMIUM),
    `Chromium is not installed at ${CHROMIUM}; this test needs it. Install it with ` +
      '`sudo apt-get install -y chromium` (Debian/Ubuntu; .ci/run does this in CI), or set CHROMIUM_PATH to another Chromium.',
  );
  const work = mkdtempSync(path.join(tmpdir(), 'guard-docs-'));
  const configDir = makeConfigDir();
  let passed = false;
  const cleanups: Array<() => unknown> = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    removeDir(configDir);
    if (passed && process.env.KEEP_SCREENSHOTS !== '1') removeDir(work);
    else console.log(`docs-browser: screenshots kept in ${work}`);
  });
  const server = await startExample(configDir, {
    watch: false,
    env: { RateLimiting__Rules__0__Period: '1m', RateLimiting__Rules__0__Limit: '5', Logging__Console: 'false' },
  });
  cleanups.push(() => server.close());
  // A fresh profile in the test's folder (Playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1100 },
  });
  cleanups.push(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // Init scripts run outside the page's CSP, so this sees every violation the policy reports.
  // (Source text, not a function: the tests are type-checked without the DOM library.)
  await page.addInitScript({
    content:
      'window.cspViolations = [];' +
      "document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));",
  });

  try {
    const reply = await page.goto(`${server.url}/docs`);
    assert.equal(reply?.status(), 200);
    assert.match(reply?.headers()['content-security-policy'] ?? '', /script-src 'self'/);

    // Every operation of the OpenAPI document is on the page.
    const ids = ['Authentication-authenticateTest', 'Issues-getIssue', 'Issues-patchIssue', 'Issues-createIssue', 'Issues-searchIssues', 'Health-health'];
    for (const id of ids) await page.locator(`#operations-${id}`).waitFor();
    assert.equal(await page.locator('.opblock').count(), ids.length);

    const getIssue = page.locator('#operations-Issues-getIssue');
    await getIssue.locator('.opblock-summary-control').click();
    await getIssue.getByRole('button', { name: 'Try it out' }).click();
    await getIssue.locator('input[placeholder="iid"]').fill('1');

    // The key was never typed: the page pre-authorized it from the Development config.
    assert.equal(await execute(page, getIssue), 200);
    assert.match(await getIssue.locator('.curl').innerText(), new RegExp(`X-Api-Key: ${API_KEY}`));
    const headers = await shownHeaders(getIssue);
    const traceId = headers.get('x-trace-id') ?? '';
    assert.match(traceId, TRACE_ID, `no trace ID among the headers shown: ${[...headers.keys()].join(', ')}`);
    const body = JSON.parse(await getIssue.locator('.live-responses-table tr.response .response-col_description pre.microlight').first().innerText());
    assert.equal(body.traceId, traceId, 'the envelope carries the same trace ID as the header');
    assert.equal(body.values.issueNumber, 1);
    assert.match(headers.get('ratelimit-policy') ?? '', /"burst";q=5;w=60/);
    // openapi.json and this call spent two of the five; the page's own files spent nothing.
    assert.match(headers.get('ratelimit') ?? '', /^"burst";r=3;t=\d+$/);
    await page.screenshot({ path: path.join(work, 'docs-page.png') });
    const liveResponse = getIssue.locator('.live-responses-table');
    await liveResponse.screenshot({ path: path.join(work, 'docs-page-200.png') });

    // Three more fit in the limit; the next one is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push(await execute(page, getIssue));
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const refused = await shownHeaders(getIssue);
    assert.match(refused.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.match(refused.get('ratelimit') ?? '', /^"burst";r=0;t=\d+$/);
    assert.match(refused.get('x-trace-id') ?? '', TRACE_ID);
    const envelope = JSON.parse(await getIssue.locator('.live-responses-table tr.response .response-col_description pre.microlight').first().innerText());
    assert.deepEqual(envelope.information, [{ type: 'RateLimit', message: 'API calls quota exceeded! maximum admitted 5 per 1m.' }]);
    await liveResponse.screenshot({ path: path.join(work, 'docs-page-429.png') });

    for (const file of ['docs-page.png', 'docs-page-200.png', 'docs-page-429.png']) {
      const png = path.join(work, file);
      assert.ok(statSync(png).size > 20_000, `${file} is too small to show the page`);
      assert.deepEqual([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is not a PNG`);
    }
    // The page works under its Content-Security-Policy: nothing was blocked, no script failed.
    problems.push(...((await page.evaluate('window.cspViolations')) as string[]));
    assert.deepEqual(problems, []);
    passed = true;
  } catch (err) {
    await page.screenshot({ path: path.join(work, 'failure.png'), fullPage: true }).catch(() => undefined);
    throw err;
  }
});
