// End-to-end browser test for Ops Dojo: drives the built app (trunk's `dist/`) in the
// system Chromium through playwright-core and checks what a player actually sees.
//
// Run (after building the app):
//   npm run e2e                                  # serves <repo>/dist
//   OPS_DOJO_DIST=/some/dir node --test tests/e2e/app.test.mjs
// (`node --test tests/e2e/` also works on Node 20, but Node 21+ treats a directory argument
// as a glob matching the directory itself and fails with MODULE_NOT_FOUND; naming the file
// works on every version.)
//
// Environment:
//   OPS_DOJO_DIST   directory with the built app (default: <repo>/dist)
//   CHROMIUM_PATH   Chromium binary (default: /usr/bin/chromium, Debian's package)
//
// The shared machinery (one Chromium and one static server per file, a fresh context per
// test that fails on console errors, page errors and requests to any host but 127.0.0.1,
// polling waits with deadlines, a screenshot on failure) lives in browser.mjs; its header
// has the design notes.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ACTION_TIMEOUT_MS, REPO_ROOT, browserTest as sharedBrowserTest, open, textOf, waitFor,
} from './browser.mjs';

/** How long the running simulation may take to move (tighter than browser.mjs's default). */
const SIMULATION_TIMEOUT_MS = 20_000;

/** A browser test of this file: a 1280×900 window. */
function browserTest(name, body) {
  sharedBrowserTest(name, body, { viewport: { width: 1280, height: 900 } });
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** Waits until `selector` is visible; returns its locator. */
async function visible(page, selector, timeoutMs = ACTION_TIMEOUT_MS) {
  const locator = page.locator(selector).first();
  await locator.waitFor({ state: 'visible', timeout: timeoutMs });
  return locator;
}

/** Parses a whole, non-negative integer ("3"); anything else ("3 pods", "") is null. */
function parseCount(text) {
  return text != null && /^\d+$/.test(text) ? Number(text) : null;
}

/** Playing = aria-pressed="true" on the play/pause button, or the button offers "Pause". */
async function isPlaying(page) {
  const button = page.locator('#btn-play-pause');
  const pressed = await button.getAttribute('aria-pressed', { timeout: ACTION_TIMEOUT_MS });
  const label = (await button.textContent({ timeout: ACTION_TIMEOUT_MS })) ?? '';
  return pressed === 'true' || /pause/i.test(label);
}

/** Plays the run at the fastest speed (1 simulated day per second). */
async function playAtMaxSpeed(page) {
  await page.click('[data-speed="max"]');
  if (!(await isPlaying(page))) await page.click('#btn-play-pause');
}

/** Plays at the fastest speed until the clock reads day `day`. */
async function playUntilDay(page, day) {
  await playAtMaxSpeed(page);
  await waitFor(
    async () => (await textOf(page, '#sim-clock'))?.startsWith(`Day ${day} `),
    SIMULATION_TIMEOUT_MS,
    `the clock to reach day ${day}`,
  );
}

/**
 * Counts the distinct RGBA colours drawn on a canvas (stops counting at 1000). A blank
 * canvas has exactly one, so more than a few means something was really drawn on it.
 */
function canvasStats(page, selector) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel);
    if (!(canvas instanceof HTMLCanvasElement)) return { found: false };
    const box = canvas.getBoundingClientRect();
    const { width, height } = canvas;
    const stats = { found: true, width, height, boxWidth: box.width, boxHeight: box.height, colours: 0 };
    if (width === 0 || height === 0) return stats;
    const pixels = new Uint32Array(canvas.getContext('2d').getImageData(0, 0, width, height).data.buffer);
    const seen = new Set();
    for (let i = 0; i < pixels.length && seen.size < 1000; i++) seen.add(pixels[i]);
    stats.colours = seen.size;
    return stats;
  }, selector);
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

browserTest('a new user starts the first scenario and sees the simulation run', async (page, url) => {
  await open(page, `${url}/`);

  await waitFor(async () => (await page.title()).includes('Ops Dojo'), ACTION_TIMEOUT_MS,
    'page title to contain "Ops Dojo"');
  await visible(page, '[data-testid="scenario-card-first-slo"]');

  // Choose the SRE role through its label, as a user would (the radio may be visually hidden).
  await page.click('label[for="role-sre"]');
  await waitFor(() => page.isChecked('#role-sre'), ACTION_TIMEOUT_MS, '#role-sre to be checked');
  assert.equal(await page.isChecked('#role-devops'), false, '#role-devops must not be checked too');

  const seed = (await page.inputValue('#seed-input')).trim();
  assert.match(seed, /^-?\d+$/, `#seed-input should show an integer, got ${JSON.stringify(seed)}`);

  await page.click('#start-run');
  const hash = await waitFor(
    async () => {
      const h = await page.evaluate(() => location.hash);
      return h.startsWith('#/play?') && h;
    },
    ACTION_TIMEOUT_MS,
    'URL hash to start with "#/play?" after clicking #start-run',
  );
  // The play URL must describe the run the user chose, so it can be shared and reloaded.
  const params = new URLSearchParams(hash.slice('#/play?'.length));
  assert.equal(params.get('scenario'), 'first-slo', `scenario in ${hash}`);
  assert.equal(params.get('role'), 'sre', `role in ${hash}`);
  assert.equal(params.get('seed'), seed, `seed in ${hash}`);

  await visible(page, '#sim-clock');
  const initial = {};
  for (const id of ['#num-sli', '#num-budget-pct', '#num-budget-time', '#sim-clock']) {
    initial[id] = await waitFor(() => textOf(page, id), ACTION_TIMEOUT_MS, `${id} to show some text`);
  }

  await playAtMaxSpeed(page);
  await waitFor(() => isPlaying(page), ACTION_TIMEOUT_MS,
    '#btn-play-pause to show the run is playing (aria-pressed="true" or "Pause")');

  // Both the clock and the error budget must move: a clock alone could tick over a
  // simulation that computes nothing.
  let clock, budgetPct;
  await waitFor(
    async () => {
      clock = await textOf(page, '#sim-clock');
      budgetPct = await textOf(page, '#num-budget-pct');
      return clock !== initial['#sim-clock'] && budgetPct !== initial['#num-budget-pct'];
    },
    SIMULATION_TIMEOUT_MS,
    () => 'the simulation to move at max speed: '
      + `#sim-clock ${JSON.stringify(initial['#sim-clock'])} -> ${JSON.stringify(clock)}, `
      + `#num-budget-pct ${JSON.stringify(initial['#num-budget-pct'])} -> ${JSON.stringify(budgetPct)}`,
  );

  for (const id of ['#chart-availability', '#chart-budget']) {
    let stats;
    await waitFor(
      async () => {
        stats = await canvasStats(page, id);
        return stats.found && stats.width > 0 && stats.height > 0
          && stats.boxWidth > 0 && stats.boxHeight > 0 && stats.colours > 3;
      },
      ACTION_TIMEOUT_MS,
      () => `${id} to be a sized canvas with a chart drawn on it (last seen: ${JSON.stringify(stats)})`,
    );
  }
});

browserTest('SRE scaling and DevOps shipping change the run', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=42`);
  await visible(page, '#num-replicas');
  let shown;
  const { replicas } = await waitFor(
    async () => {
      shown = await textOf(page, '#num-replicas');
      const n = parseCount(shown);
      return n !== null && { replicas: n }; // wrapped: 0 would be falsy and keep polling
    },
    ACTION_TIMEOUT_MS,
    () => `#num-replicas to show a whole number (it shows ${JSON.stringify(shown)})`,
  );

  await page.click('#action-scale-up');
  await waitFor(
    async () => parseCount((shown = await textOf(page, '#num-replicas'))) === replicas + 1,
    ACTION_TIMEOUT_MS,
    () => `#num-replicas to go from ${replicas} to ${replicas + 1} after #action-scale-up `
      + `(it shows ${JSON.stringify(shown)})`,
  );
  await waitFor(
    async () => (await textOf(page, '#event-log'))?.includes('Scaled'),
    ACTION_TIMEOUT_MS,
    '#event-log to mention "Scaled"',
  );

  await open(page, `${url}/#/play?scenario=first-slo&role=devops&seed=42`);
  await page.click('#action-ship');
  await waitFor(
    async () => (await textOf(page, '#event-log'))?.includes('Committed'),
    ACTION_TIMEOUT_MS,
    '#event-log to mention "Committed" after #action-ship',
  );
});

browserTest('bad URL parameters show a clear message and the home page', async (page, url) => {
  await open(page, `${url}/#/play?scenario=nope&role=sre&seed=abc`);
  const alert = await visible(page, '[role="alert"]#route-error');
  await waitFor(async () => (await alert.textContent())?.includes('nope'), ACTION_TIMEOUT_MS,
    '#route-error to name the unknown scenario "nope"');
  await visible(page, '#start-run'); // the home page, never a blank page

  await open(page, `${url}/#/play?scenario=first-slo&role=wizard&seed=1`);
  const roleAlert = await visible(page, '[role="alert"]#route-error');
  await waitFor(async () => /role/i.test((await roleAlert.textContent()) ?? ''), ACTION_TIMEOUT_MS,
    '#route-error to say the role is invalid');
  await visible(page, '#start-run');
});

browserTest('a burn-rate page arrives in the pager when the peak outgrows capacity', async (page, url) => {
  // Seed 42, hands-off: three replicas fall behind the growing afternoon peak on day 4 or
  // 5 and the 1h/5m page fires (the engine's own tests pin when).
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=42`);
  await visible(page, '#alert-feed');
  assert.equal(await textOf(page, '#alert-feed'), 'No alert firing.');
  await playAtMaxSpeed(page);
  await waitFor(
    async () => (await textOf(page, '#event-log'))?.includes('Page fired'),
    SIMULATION_TIMEOUT_MS,
    '#event-log to show "Page fired" while running at 1 day/s',
  );
  const counts = await textOf(page, '.alert-counts');
  assert.match(counts ?? '', /So far: [1-9]\d* page\(s\)/);
});

browserTest('keyboard only: space pauses and plays, digits set the speed, "." steps', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=3`);
  await visible(page, '#sim-clock');
  await page.locator('body').click({ position: { x: 5, y: 5 } }); // focus the page, not a control
  await page.keyboard.press('5');
  await waitFor(
    async () => (await page.getAttribute('[data-speed="max"]', 'aria-pressed')) === 'true',
    ACTION_TIMEOUT_MS,
    'key 5 to select the fastest speed',
  );
  await page.keyboard.press(' ');
  await waitFor(async () => !(await isPlaying(page)), ACTION_TIMEOUT_MS, 'Space to pause the run');
  const paused = await textOf(page, '#sim-clock');
  await page.keyboard.press('.');
  await page.keyboard.press('.');
  // Two ticks are a simulated minute: the minute shown may or may not move, but the
  // run must not have resumed, and the step button must be usable.
  assert.equal(await isPlaying(page), false);
  assert.equal(await page.isDisabled('#btn-step'), false);
  await page.keyboard.press(' ');
  await waitFor(
    async () => (await textOf(page, '#sim-clock')) !== paused,
    SIMULATION_TIMEOUT_MS,
    'Space to resume the run and the clock to move',
  );
});

browserTest('a chart opens as a data table, one row per simulated hour', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=42`);
  await playUntilDay(page, 2);
  await page.click('#btn-play-pause'); // pause so the table holds still
  const table = page.locator('#chart-availability ~ .data-table');
  await table.locator('summary').click();
  const rows = table.locator('tbody tr');
  await waitFor(async () => (await rows.count()) >= 24, ACTION_TIMEOUT_MS, 'a row per hour of day 1');
  const first = await rows.first().locator('td').allTextContents();
  assert.equal(first[0], 'Day 1 (Mon) · 00:00');
  assert.match(first[1], /^\d{1,3}\.\d{3} %$/);
});

browserTest('the latency chart draws p50, p90 and p99 and says p99 in words', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=42`);
  await playUntilDay(page, 2);
  let stats;
  await waitFor(
    async () => {
      stats = await canvasStats(page, '#chart-latency');
      return stats.found && stats.boxWidth > 0 && stats.boxHeight > 0 && stats.colours > 3;
    },
    ACTION_TIMEOUT_MS,
    () => `#chart-latency to be a sized canvas with a chart drawn on it (last seen: ${JSON.stringify(stats)})`,
  );
  const summary = await textOf(page, '#chart-latency-summary');
  assert.match(summary ?? '', /p50 \d+ ms, p99 \d+ ms/, 'the summary gives the latest percentiles');
  // first-slo has no latency SLO: the chart says so rather than drawing a threshold.
  assert.match(summary ?? '', /no latency SLO/);
});

browserTest('the services table shows every service of the shop with its load', async (page, url) => {
  await open(page, `${url}/#/play?scenario=black-friday&role=sre&seed=3`);
  await visible(page, '#services-table');
  await playUntilDay(page, 2);
  await page.click('#btn-play-pause'); // pause so the table holds still
  const rows = page.locator('#services-table tbody tr');
  assert.equal(await rows.count(), 6);
  assert.deepEqual(
    await rows.locator('th .service-name').allTextContents(),
    ['web', 'catalog', 'catalog-db', 'cart', 'inventory', 'payments'],
  );
  assert.match(await rows.first().locator('th').textContent(), /entry/, 'web is marked as the entry');
  const utilisation = await rows.locator('td.utilisation').allTextContents();
  assert.equal(utilisation.length, 6);
  for (const cell of utilisation) assert.match(cell.trim(), /^\d{1,3}$/, `utilisation cell ${JSON.stringify(cell)}`);
  assert.ok(utilisation.some((cell) => Number(cell) > 0), `some service is busy: ${utilisation}`);
  // This scenario has a latency SLO: the latency chart names it.
  assert.match((await textOf(page, '#chart-latency-summary')) ?? '', /99 % under 400 ms/);
  assert.deepEqual(await axeViolations(page), [], 'play page with six services');
});

/** Runs the axe-core accessibility audit (WCAG 2.1 A/AA and best practices) on the page. */
async function axeViolations(page) {
  const source = await readFile(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

browserTest('axe finds no accessibility violations on home, play and a finished run', async (page, url) => {
  await open(page, `${url}/`);
  await visible(page, '#start-run');
  assert.deepEqual(await axeViolations(page), [], 'home page');

  await open(page, `${url}/#/play?scenario=first-slo&role=devops&seed=42`);
  await page.click('#action-ship');
  await playUntilDay(page, 2);
  assert.deepEqual(await axeViolations(page), [], 'play page, running');
  await visible(page, '#run-complete', 30_000);
  await visible(page, '#par-table', 60_000);
  assert.deepEqual(await axeViolations(page), [], 'finished run, with its par');
});

browserTest('projector mode carries from the home page into the run', async (page, url) => {
  await open(page, `${url}/#/?profile=projector`);
  await visible(page, '#start-run');
  await waitFor(async () => page.evaluate(() => document.body.classList.contains('projector')),
    ACTION_TIMEOUT_MS, 'body to have the projector class');
  await page.click('#start-run');
  await visible(page, '#sim-clock');
  assert.match(page.url(), /profile=projector/);
  assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), true);
  assert.deepEqual(await axeViolations(page), [], 'play page in projector mode');
  await page.click('a.brand'); // back home, still in projector mode
  await visible(page, '#start-run');
  assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), true);
});

browserTest('"Skip to next event" runs to the next alert and pauses there', async (page, url) => {
  // Seed 42, hands-off: nothing happens until the first alert late on day 4 or day 5, so a
  // few skips (each at most a day) reach it.
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=42`);
  await visible(page, '#btn-skip');
  if (await isPlaying(page)) await page.click('#btn-play-pause');
  for (let i = 0; i < 6 && !((await textOf(page, '#event-log')) ?? '').includes('fired'); i++) {
    await page.click('#btn-skip');
    await waitFor(async () => !(await isPlaying(page)), ACTION_TIMEOUT_MS, 'the run to pause after a skip');
  }
  const log = (await textOf(page, '#event-log')) ?? '';
  assert.match(log, /(Page|Ticket) fired/);
  // It stopped at the alert: the clock is at the newest event's time (the clock shows the
  // end of the last simulated tick, so it may read one minute later).
  const minutes = (text) => {
    const m = /Day (\d+) .*· (\d\d):(\d\d)/.exec(text ?? '');
    return m ? (Number(m[1]) * 24 + Number(m[2])) * 60 + Number(m[3]) : NaN;
  };
  const newest = await page.locator('#event-log li time').first().textContent();
  const gap = minutes(await textOf(page, '#sim-clock')) - minutes(newest);
  assert.ok(gap >= 0 && gap <= 1, `clock ${await textOf(page, '#sim-clock')} vs event ${newest}`);
});

browserTest('after one visit the app works offline (service worker)', async (page, url) => {
  await open(page, `${url}/`);
  await visible(page, '#start-run');
  await waitFor(() => page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === 'activated';
  }), ACTION_TIMEOUT_MS, 'the service worker to be active');
  await page.context().setOffline(true);
  try {
    await page.reload();
    await visible(page, '#start-run');
    // A run starts and plays without the network.
    await page.click('#start-run');
    await visible(page, '#sim-clock');
    await waitFor(async () => !/00:00$/.test((await textOf(page, '#sim-clock')) ?? ''),
      ACTION_TIMEOUT_MS, 'the offline run to move');
    // The many-seeds workers load offline too (their script was kept on the first visit).
    await page.goto(`${url}/#/compare?scenario=first-slo&seed=3`);
    await page.selectOption('#seeds-count', '10');
    await page.click('#seeds-run');
    await waitFor(async () => /20 of 20 runs played/.test((await textOf(page, '#seeds-progress')) ?? ''),
      SIMULATION_TIMEOUT_MS, 'an offline seed study');
  } finally {
    await page.context().setOffline(false);
  }
});
