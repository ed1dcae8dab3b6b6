// What a browser test file needs to drive the built app: one Chromium and one static server
// per file, a fresh context per test that fails on console errors, page errors and requests
// to any host but 127.0.0.1, and polling waits with deadlines (never fixed sleeps).
//
//   import { browserTest, waitFor, textOf } from './browser.mjs';
//   browserTest('what a user does', async (page, url) => { ... });
//
// Environment:
//   OPS_DOJO_DIST   directory with the built app (default: <repo>/dist)
//   CHROMIUM_PATH   Chromium binary (default: /usr/bin/chromium, Debian's package)
//
// Design notes:
// - Node's built-in test runner, so no test framework to install and the output ends
//   with node's standard summary (tests / pass / fail).
// - playwright-core (not `playwright`) because it does not download browsers; we drive the
//   system Chromium. One browser per test file (starting it is the slow part), but a fresh
//   BrowserContext per test, so storage/state never leaks from one test to the next.
// - Every wait is a poll with a deadline (waitFor / locator.waitFor), never a fixed sleep,
//   so a test is as fast as the app and fails with a message saying what it waited for.
// - The page may only talk to 127.0.0.1: every other request is aborted and reported, so a
//   build that quietly depends on a CDN or web font fails here rather than for users offline.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST_DIR = path.resolve(process.env.OPS_DOJO_DIST || path.join(REPO_ROOT, 'dist'));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // containers/CI usually run as root, where the sandbox can't start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // No traffic of the browser's own (updates, sync, safe browsing...): only 127.0.0.1.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Per test; generous, since a cold wasm compile can be slow. */
export const TEST_TIMEOUT_MS = 60_000;
/** Default for clicks, locator waits and navigations. */
export const ACTION_TIMEOUT_MS = 10_000;
/** How long the running simulation may take to get somewhere. */
export const SIMULATION_TIMEOUT_MS = 30_000;

/** @type {{url: string, close: () => Promise<void>}} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  server = await serve(DIST_DIR);
  // launch() gives Chromium a fresh temporary profile (userDataDir) and deletes it on close.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  // Each step guarded: if `before` failed half-way, still release what did start.
  await browser?.close();
  await server?.close();
});

/**
 * Polls `fn` every 100 ms until it returns a truthy value (which is returned), or fails
 * after `timeoutMs` with `message` (a string, or a function called at timeout so it can
 * quote the last values seen). Exceptions from `fn` count as "not yet" (the element may
 * not be rendered yet); the last one is quoted in the failure.
 */
export async function waitFor(fn, timeoutMs, message) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError ? ` (last error: ${lastError.message ?? lastError})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof message === 'function' ? message() : message}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval, not an assertion
  }
}

/** Trimmed text of the first element matching `selector`, or null; never waits. */
export function textOf(page, selector) {
  return page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? null, selector);
}

/**
 * Opens `url` as a fresh document load. Going through about:blank matters: a goto to a URL
 * that differs from the current one only in the hash is a same-document navigation, and
 * these tests are about what a page opened from a link shows, not about hashchange routing.
 */
export async function open(page, url) {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'load' });
}

/** Opens a play link as a fresh document load and waits for the clock. */
export async function openRun(page, query) {
  await open(page, `${server.url}/#/play?${query}`);
  await page.locator('#sim-clock').waitFor();
}

/** Runs the axe-core accessibility audit (WCAG 2.1 A/AA and best practices) on the page. */
export async function axeViolations(page) {
  const source = await readFile(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Pauses the run if it is playing. */
export async function pause(page) {
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) === 'true') {
    await page.click('#btn-play-pause');
  }
  await waitFor(async () => (await page.getAttribute('#btn-play-pause', 'aria-pressed')) === 'false',
    ACTION_TIMEOUT_MS, 'the run to pause');
}

/** Plays at 1 simulated day per second until `done()` holds, then pauses. */
export async function playUntil(page, done, what) {
  await page.click('[data-speed="max"]');
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') {
    await page.click('#btn-play-pause');
  }
  await waitFor(done, SIMULATION_TIMEOUT_MS, what);
  await pause(page);
}

/**
 * Defines a test that gets its own context and page (`body(page, serverUrl)`), and owns the
 * error bookkeeping:
 * - collects console messages of type 'error', uncaught page errors ('pageerror') and
 *   requests to anywhere but 127.0.0.1 (aborted); the test fails if any happened;
 * - on failure, adds the current URL and those errors to the message and saves a
 *   screenshot to <tmpdir>/ops-dojo-e2e-failure-<name>.png.
 * Options: `viewport` (default 1366×900), `timeoutMs` for the whole test (default
 * TEST_TIMEOUT_MS), `actionTimeoutMs`, the default for clicks, locator waits and
 * navigations (default ACTION_TIMEOUT_MS), and `expectedConsoleErrors`, regular expressions
 * for console errors the test provokes on purpose (Chromium logs every failed fetch).
 */
export function browserTest(name, body, {
  viewport = { width: 1366, height: 900 },
  timeoutMs = TEST_TIMEOUT_MS,
  actionTimeoutMs = ACTION_TIMEOUT_MS,
  expectedConsoleErrors = [],
} = {}) {
  test(name, { timeout: timeoutMs }, async () => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(actionTimeoutMs);
    context.setDefaultNavigationTimeout(actionTimeoutMs);
    const errors = [];

    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') {
        return route.continue();
      }
      errors.push(`blocked request to a host other than 127.0.0.1: ${url.href}`);
      return route.abort('blockedbyclient');
    });

    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      if (expectedConsoleErrors.some((pattern) => pattern.test(msg.text()))) return;
      const { url, lineNumber } = msg.location();
      errors.push(`console.error: ${msg.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message}`));

    try {
      await body(page, server.url);
      assert.deepEqual(errors, [], 'the page reported errors (console.error / pageerror / blocked requests)');
    } catch (err) {
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
      const screenshot = path.join(os.tmpdir(), `ops-dojo-e2e-failure-${slug}.png`);
      let saved = screenshot;
      try {
        await mkdir(path.dirname(screenshot), { recursive: true });
        await page.screenshot({ path: screenshot, fullPage: true, timeout: 5_000 });
      } catch (shotErr) {
        saved = `(screenshot failed: ${shotErr.message})`;
      }
      const diagnostics = [
        `current URL: ${page.url()}`,
        `page errors (${errors.length}):${errors.map((e) => `\n    - ${e}`).join('') || ' none'}`,
        `screenshot: ${saved}`,
      ];
      // Into the error message itself (not t.diagnostic), so every reporter shows it in one
      // readable block next to the failure.
      err.message = `${err.message}\n  ${diagnostics.join('\n  ')}`;
      throw err;
    } finally {
      await context.close();
    }
  });
}
