// The app's speed as a player meets it, in headless Chromium against the release build in
// dist/ (build it first: trunk build --release):
//   1. first render: navigation start → the play page's actions panel is on screen, over
//      five cold loads (a fresh browser context each), median and worst;
//   2. frames at maximum speed with a month of data: black-friday (28 simulated days) plays
//      at 1 day/s; over its last ten days we count animation frames and the main thread's
//      script time (Chrome's Performance.getMetrics), giving frames/s and script ms/frame.
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
} finally {
  await browser.close();
  await server.close();
}
