// The app's speed as a player meets it, in headless Chromium against the release build in
// dist/ (build it first: trunk build --release):
//   1. first render: navigation start → the play page's actions panel is on screen, over
//      five cold loads (a fresh browser context each), median and worst;
//   2. frames at maximum speed with a month of data: black-friday (28 simulated days) plays
//      at 1 day/s; over its last ten days we count animation frames and the main thread's
//      script time (Chrome's Performance.getMetrics), giving frames/s and script ms/frame;
//   3. the debrief's replays of that run (the par and the what-ifs, in a Web Worker): time
//      until they show, and the longest the main thread was blocked meanwhile;
//   4. many seeds: Compare's background study of black-friday, 50 seeds × 2 bot pairs
//      (100 runs of 28 days) in Web Workers, wall time to the last run, and the longest
//      the page's main thread was blocked meanwhile (it should stay responsive).
// Prints the figures; it asserts nothing (shared machines are noisy): scripts/bench.sh runs
// it and the README records a quiet sitting. Usage: node tools/app-bench.mjs [dist]

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(process.argv[2] || path.join(root, 'dist'));
const server = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

// Starts noting the longest gap between two 10 ms timer turns on `page`'s own thread (read
// back as window.__longestGap): how long the page was blocked, at most.
const watchGaps = (page) => page.evaluate(() => {
  window.__longestGap = 0;
  let last = performance.now();
  window.__gapTimer = setInterval(() => {
    const now = performance.now();
    window.__longestGap = Math.max(window.__longestGap, now - last);
    last = now;
  }, 10);
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const renders = [];
  for (let i = 0; i < 5; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/#/play?scenario=first-slo&role=sre&seed=1`);
    await page.locator('#actions-title').waitFor();
    renders.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  console.log(`first render (first-slo play page, 5 cold loads): median ${median(renders).toFixed(0)} ms, worst ${Math.max(...renders).toFixed(0)} ms`);

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${server.url}/#/play?scenario=black-friday&role=sre&seed=1&partner=balanced`);
  await page.locator('[data-speed="max"]').click();
  const clock = () => page.locator('#sim-clock').textContent();
  await page.waitForFunction(() => /Day 1[89] /.test(document.querySelector('#sim-clock').textContent), null, { timeout: 120_000 });
  const script = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
  };
  await page.evaluate(() => {
    window.__frames = 0;
    const count = () => { window.__frames += 1; requestAnimationFrame(count); };
    requestAnimationFrame(count);
  });
  const from = { wall: Date.now(), script: await script(), clock: await clock() };
  await page.locator('#run-complete').waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - from.wall) / 1000;
  const frames = await page.evaluate(() => window.__frames);
  const scriptMs = (await script()) - from.script;
  console.log(`max speed, black-friday from ${from.clock.trim()} to the end (${seconds.toFixed(1)} s): ${(frames / seconds).toFixed(1)} frames/s, ${(scriptMs / frames).toFixed(1)} ms of script per frame`);

  // The finished run's debrief replays it in a worker (the par, then each key moment with
  // one thing changed): how long until the lines show, and the longest the page's own
  // thread was blocked meanwhile.
  await watchGaps(page);
  const replaysFrom = Date.now();
  await page.locator('#replays-lines li, #replays-none, #replays-failed').first().waitFor({ timeout: 300_000 });
  const replaysSeconds = (Date.now() - replaysFrom) / 1000;
  const replaysGap = await page.evaluate(() => window.__longestGap);
  const lines = await page.locator('#replays-lines li').count();
  console.log(`debrief replays, black-friday (the par and ${lines} what-if(s), one worker): ${replaysSeconds.toFixed(1)} s after the run ended; the page's thread was never blocked more than ${replaysGap.toFixed(0)} ms`);

  const study = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await study.goto(`${server.url}/#/compare?scenario=black-friday&seed=1`);
  await study.selectOption('#seeds-count', '50');
  // The longest gap between two timer turns on the page's own thread while workers run.
  await watchGaps(study);
  const started = Date.now();
  await study.click('#seeds-run');
  await study.waitForFunction(() => /100 of 100 runs played/.test(document.querySelector('#seeds-progress')?.textContent ?? ''),
    null, { timeout: 600_000 });
  const studySeconds = (Date.now() - started) / 1000;
  const gap = await study.evaluate(() => window.__longestGap);
  const workers = await study.evaluate(() => Math.min(4, Math.max(1, navigator.hardwareConcurrency)));
  console.log(`many seeds, black-friday 50 seeds x 2 bot pairs in ${workers} workers: ${studySeconds.toFixed(1)} s; the page's thread was never blocked more than ${gap.toFixed(0)} ms`);
} finally {
  await browser.close();
  await server.close();
}
