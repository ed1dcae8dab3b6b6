// End-to-end tests of the dashboard around the charts: the timeline strip of deploys,
// alerts and actions, the hover read-out, and the range selector.
// Run after building the app: node --test tests/e2e/dashboard.test.mjs

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  ACTION_TIMEOUT_MS, browserTest, openRun, pause, playUntil, textOf, waitFor,
} from './browser.mjs';

browserTest('the timeline strip marks a deploy and a page where the charts show them', async (page) => {
  // No one on call (partner=hands-off), so the afternoon peak pages.
  await openRun(page, 'scenario=first-slo&role=devops&seed=42&partner=hands-off');
  await pause(page);
  const strip = page.locator('#annotation-strip');
  assert.equal(await strip.locator('.mark').count(), 0, 'nothing marked before anything happened');
  assert.match(await textOf(page, '#strip-summary'), /Nothing yet/);

  // All at once: live after build and test (40 simulated minutes).
  await page.click('label[for="strategy-all_at_once"]');
  await page.click('#action-ship');
  await playUntil(page, async () => (await strip.locator('.mark-deploy').count()) === 1,
    'a deploy marker once the deploy is live');
  assert.match(await strip.locator('.mark-deploy title').textContent(), /Deploy #1 went live/);
  assert.match(await textOf(page, '#strip-summary'), /1 × deploy/);

  // Seed 42, hands-off: the afternoon peak outgrows three replicas on day 4 or 5 and pages.
  await playUntil(page, async () => (await strip.locator('.mark-page').count()) > 0,
    'a page marker on the strip');
  assert.match(await strip.locator('.mark-page title').first().textContent(), /Page fired/);

  // The strip's time axis is the charts' own: same plot edges, in the same viewBox width.
  const edges = async (selector) => page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const box = el.getBoundingClientRect();
    const scale = box.width / (el.viewBox?.baseVal?.width || el.width);
    return [Number(el.dataset.plotLeft) * scale + box.left, Number(el.dataset.plotRight) * scale + box.left];
  }, selector);
  const [stripLeft, stripRight] = await edges('#annotation-strip');
  for (const chart of ['#chart-availability', '#chart-burn']) {
    const [left, right] = await edges(chart);
    assert.ok(Math.abs(left - stripLeft) < 1 && Math.abs(right - stripRight) < 1,
      `${chart} plot ${left}–${right} px vs strip ${stripLeft}–${stripRight} px`);
  }

  // The text alternative lists the same moments in the event log's words.
  await page.click('.annotation-strip details summary');
  const list = await waitFor(() => textOf(page, '#strip-events'), ACTION_TIMEOUT_MS, 'the list of moments');
  assert.match(list, /Committed "Gift cards"/);
  assert.match(list, /Page fired/);
});

browserTest('pointing at a chart, or arrowing along it, reads the exact values at a moment', async (page) => {
  await openRun(page, 'scenario=first-slo&role=sre&seed=42');
  await playUntil(page, async () => (await textOf(page, '#sim-clock'))?.startsWith('Day 3 '), 'day 3');

  // The pointer over day 2 of a 7-day chart: a time and the SLI in percent.
  const canvas = page.locator('#chart-availability');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const plot = await canvas.evaluate((c) => [Number(c.dataset.plotLeft), Number(c.dataset.plotRight), c.width]);
  const xAtDay = (day) => box.x + (plot[0] + (plot[1] - plot[0]) * (day / 7)) * (box.width / plot[2]);
  await page.mouse.move(xAtDay(1.5), box.y + box.height / 2);
  const readout = page.locator('#chart-availability-readout');
  await readout.waitFor({ state: 'visible' });
  const text = await readout.textContent();
  assert.match(text, /Day 2 \(Tue\) 12:\d\d/, `read-out time in ${JSON.stringify(text)}`);
  assert.match(text, /availability SLI\s*\d{1,3}\.\d{3} %/);
  assert.match(text, /worst minute\s*\d{1,3}\.\d{2} %/);
  assert.equal(await page.locator('#chart-availability ~ .chart-cursor').count(), 1, 'a cursor line');

  // Beyond the present there is nothing to read yet.
  await page.mouse.move(xAtDay(6), box.y + box.height / 2);
  await waitFor(async () => /not simulated yet/.test(await readout.textContent()), ACTION_TIMEOUT_MS,
    'the read-out to say the future is not simulated yet');
  await page.mouse.move(box.x - 20, box.y - 20);
  await readout.waitFor({ state: 'detached' });

  // Keyboard only: focus the latency chart, it reads the newest values; ← goes back in time.
  await page.locator('#chart-latency').focus();
  const latency = page.locator('#chart-latency-readout');
  await latency.waitFor({ state: 'visible' });
  const minutes = (text) => {
    const m = /Day (\d+) \(\w+\) (\d\d):(\d\d)/.exec(text ?? '');
    return m ? (Number(m[1]) * 24 + Number(m[2])) * 60 + Number(m[3]) : NaN;
  };
  const first = await latency.textContent();
  assert.match(first, /Day 3 \(Wed\) \d\d:\d\d/, `newest values first: ${first}`);
  assert.match(first, /p50\s*\d+ ms/);
  assert.match(first, /p99 \(slowest 30 s\)\s*\d+ ms/);
  await page.keyboard.press('Shift+ArrowLeft');
  await waitFor(async () => minutes(await latency.textContent()) < minutes(first), ACTION_TIMEOUT_MS,
    'Shift+← to move the read-out back in time');
  await page.keyboard.press('Home');
  await waitFor(async () => (await latency.textContent()).includes('Day 1 (Mon) 00:00'), ACTION_TIMEOUT_MS,
    'Home to move the read-out to the start');
  await page.keyboard.press('Escape');
  await latency.waitFor({ state: 'detached' });
});

browserTest('the range selector narrows every chart and its table to the last hour or day', async (page) => {
  await openRun(page, 'scenario=first-slo&role=sre&seed=42');
  await playUntil(page, async () => (await textOf(page, '#sim-clock'))?.startsWith('Day 3 '), 'day 3');
  const pressed = async () => page.locator('.range-selector [aria-pressed="true"]').allTextContents();
  assert.deepEqual(await pressed(), ['Whole run'], 'the whole run by default');

  const table = page.locator('#chart-availability ~ .data-table');
  await table.locator('summary').click();
  const rows = table.locator('tbody tr');
  const hours = async () => rows.count();
  await waitFor(async () => (await hours()) >= 48, ACTION_TIMEOUT_MS, 'two days and more of hourly rows');
  assert.match(await textOf(page, '#strip-summary'), /Shown: Day 1 \(Mon\) 00:00 to Day 8 \(Mon\) 00:00/);

  // Keyboard: Tab to the "Last hour" button and press it.
  await page.locator('[data-range="day"]').focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await pressed()).join() === 'Last hour', ACTION_TIMEOUT_MS, '"Last hour" pressed');
  await waitFor(async () => (await hours()) <= 2, ACTION_TIMEOUT_MS,
    () => 'the table to keep only the hour or two the chart shows');
  const row = await rows.first().locator('td').first().textContent();
  assert.match(row, /^Day 3 \(Wed\)/, `the last hour is on day 3: ${row}`);
  assert.match(await textOf(page, '#strip-summary'), /Shown: Day 3 \(Wed\) \d\d:\d\d to Day 3 \(Wed\)/);

  // The read-out on the last hour reads values a minute apart, not a quarter of an hour.
  const canvas = page.locator('#chart-traffic');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const readout = await page.locator('#chart-traffic-readout').textContent();
  assert.match(readout, /Day 3 \(Wed\) \d\d:\d\d/);
  assert.doesNotMatch(readout, /each value covers/);

  await page.click('[data-range="day"]');
  await waitFor(async () => { const n = await hours(); return n >= 24 && n <= 25; }, ACTION_TIMEOUT_MS,
    'a day of hourly rows for "Last day"');
  await page.click('[data-range="run"]');
  await waitFor(async () => (await hours()) >= 48, ACTION_TIMEOUT_MS, 'every hour again for "Whole run"');
});

browserTest('a finished run names the SLO by its own SLI (latency for the M/M/c lab)', async (page) => {
  await openRun(page, 'scenario=mmc-lab&role=sre&seed=42');
  await page.click('[data-speed="max"]');
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') await page.click('#btn-play-pause');
  await page.locator('#run-complete').waitFor({ timeout: 30_000 });
  const line = await textOf(page, '#run-complete-sli');
  assert.match(line, /^Latency SLI \(requests answered within 500 ms\) over the run: \d{1,3}\.\d{3} % \(target 95 %\)$/);
  assert.doesNotMatch(await textOf(page, '#run-complete'), /Availability/);
  // The headline's live number is that SLI too.
  assert.match(await page.locator('.number', { has: page.locator('#num-sli-now') }).textContent(), /^Latency SLI, last 5 min/);
});

browserTest('the service map shows the shop and a service\'s numbers when selected', async (page) => {
  await openRun(page, 'scenario=first-slo&role=sre&seed=42');
  assert.equal(await page.locator('#service-map').count(), 0, 'no map for a single service');

  await openRun(page, 'scenario=black-friday&role=sre&seed=3');
  await playUntil(page, async () => (await textOf(page, '#sim-clock'))?.startsWith('Day 2 '), 'day 2');
  const nodes = page.locator('#service-map .map-node');
  assert.equal(await nodes.count(), 6);
  assert.equal(await page.locator('#service-map .map-edge').count(), 5, 'web→catalog, web→cart, catalog→db, cart→inventory, cart→payments');
  for (const text of await nodes.allTextContents()) {
    assert.match(text, /(healthy|busy|overloaded|failing) · \d+ % busy\s*\d+ replicas?$/, `node ${text}`);
  }

  // Click a node: its numbers are the services table's.
  await page.click('#service-map [data-service="cart"]');
  const details = page.locator('#service-details');
  await waitFor(async () => (await details.locator('h3').textContent())?.startsWith('cart'), ACTION_TIMEOUT_MS,
    'the details of cart');
  const row = page.locator('#services-table tbody tr', { has: page.locator('.service-name', { hasText: /^cart$/ }) });
  const cells = await row.locator('td').allTextContents();
  const value = async (term) => details.locator('div', { has: page.locator(`dt:text-is("${term}")`) }).locator('dd').textContent();
  assert.equal(await value('Replicas'), cells[0].trim().split(/\s/)[0]);
  assert.equal(await value('Utilisation'), `${cells[3].trim()} %`);

  // Keyboard: Tab to payments and press Enter.
  await page.locator('#service-map [data-service="payments"]').focus();
  await page.keyboard.press('Enter');
  await waitFor(async () => (await details.locator('h3').textContent())?.startsWith('payments'), ACTION_TIMEOUT_MS,
    'Enter to show payments');
  assert.equal(await page.getAttribute('#service-map [data-service="payments"]', 'aria-pressed'), 'true');
});

browserTest('each chart saves as a PNG and its hourly numbers as CSV', async (page) => {
  await openRun(page, 'scenario=first-slo&role=sre&seed=42');
  await playUntil(page, async () => (await textOf(page, '#sim-clock'))?.startsWith('Day 2 '), 'day 2');
  const panel = page.locator('figure.chart-panel', { has: page.locator('#chart-budget') });
  const [png] = await Promise.all([page.waitForEvent('download'), panel.locator('button:has-text("Save as PNG")').click()]);
  assert.equal(png.suggestedFilename(), 'first-slo-seed-42-budget.png');
  const image = await readFile(await png.path());
  assert.deepEqual([...image.subarray(1, 4)], [...Buffer.from('PNG')], 'a PNG file');
  const [csv] = await Promise.all([page.waitForEvent('download'), panel.locator('button:has-text("Save the numbers")').click()]);
  const text = await readFile(await csv.path(), 'utf8');
  const lines = text.trim().split('\r\n');
  assert.match(lines[0], /^hour starting,/);
  assert.ok(lines.length >= 25, `a row per simulated hour so far (${lines.length - 1})`);
  assert.match(lines[1], /^Day 1 \(Mon\) · 00:00,\d/);
});
