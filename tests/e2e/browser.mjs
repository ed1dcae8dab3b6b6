// What a browser test file needs to drive the built app: one Chromium and one static server
// per file, a fresh context per test that fails on console errors, page errors and requests
// to any host but 127.0.0.1, and polling waits with deadlines (never fixed sleeps).
//
//   import { browserTest, waitFor, textOf } from './browser.mjs';
//   browserTest('what a user does', async (page, url) => { ... });
//
// Environment: OPS_DOJO_DIST (the built app, default <repo>/dist) and CHROMIUM_PATH
// (default /usr/bin/chromium), as for app.test.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST_DIR = path.resolve(process.env.OPS_DOJO_DIST || path.join(REPO_ROOT, 'dist'));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

/** Per test; generous, since a cold wasm compile can be slow. */
export const TEST_TIMEOUT_MS = 60_000;
/** Default for clicks, locator waits and navigations. */
export const ACTION_TIMEOUT_MS = 10_000;
/** How long the running simulation may take to get somewhere. */
export const SIMULATION_TIMEOUT_MS = 30_000;

let server;
let browser;

before(async () => {
  server = await serve(DIST_DIR);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Polls `fn` every 100 ms until it returns a truthy value (returned), or fails after
 * `timeoutMs` saying what it waited for (`message`: a string, or a function called then).
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
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval
  }
}

/** Trimmed text of the first element matching `selector`, or null; never waits. */
export function textOf(page, selector) {
  return page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? null, selector);
}

/** Opens a play link as a fresh document load and waits for the clock. */
export async function openRun(page, query) {
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/play?${query}`, { waitUntil: 'load' });
  await page.locator('#sim-clock').waitFor();
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
 * A test with its own context and page; fails if the page logged an error, threw, or asked
 * a host other than 127.0.0.1 for anything.
 */
export function browserTest(name, body, { viewport = { width: 1366, height: 900 } } = {}) {
  test(name, { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const problems = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') {
        return route.continue();
      }
      problems.push(`request to ${url.href}`);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    try {
      await body(page, server.url);
      assert.deepEqual(problems, [], 'no errors and no foreign requests');
    } catch (err) {
      err.message = `${err.message}\n  current URL: ${page.url()}\n  page problems: ${problems.join('; ') || 'none'}`;
      throw err;
    } finally {
      await context.close();
    }
  });
}
