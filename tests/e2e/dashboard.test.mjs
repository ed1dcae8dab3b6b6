// End-to-end tests of the dashboard around the charts: the timeline strip of deploys,
// alerts and actions, the hover read-out, and the range selector.
// Run after building the app: node --test tests/e2e/dashboard.test.mjs

import assert from 'node:assert/strict';
import {
  ACTION_TIMEOUT_MS, browserTest, openRun, pause, playUntil, textOf, waitFor,
} from './browser.mjs';

browserTest('the timeline strip marks a deploy and a page where the charts show them', async (page) => {
  await openRun(page, 'scenario=first-slo&role=devops&seed=42');
  await pause(page);
  const strip = page.locator('#annotation-strip');
  assert.equal(await strip.locator('.mark').count(), 0, 'nothing marked before anything happened');
  assert.match(await textOf(page, '#strip-summary'), /Nothing yet/);

  await page.click('#action-ship');
  await waitFor(async () => (await strip.locator('.mark-deploy').count()) === 1, ACTION_TIMEOUT_MS,
    'a deploy marker after shipping');
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
  assert.match(list, /Shipped feature 1/);
  assert.match(list, /Page fired/);
});
