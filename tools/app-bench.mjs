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
//      the page's main thread was blocked meanwhile (it should stay responsive);
//   5. Class results: result codes of black-friday (28 days, seeds 1 to 30, an SRE seat
//      beside the balanced DevOps bot) made by the release CLI, verified by the page (in its
//      seed workers). One code alone, fastest of three fresh pages: a whole run with the
//      shipped build's engine, the worker's start included. Then all thirty: wall time, and the
//      longest the page's thread was blocked meanwhile;
//   6. the shipped build's engine alone: black-friday's 28 days hands-off, in a Web Worker
//      that loads the page's own wasm (as the seed workers do) and plays the run four times
//      through `seed_scorecard`, an export every build since the first wave has: the first
//      run (the browser's first-tier code, and the memory growing) and the fastest of the
//      other three (optimised code), with no page around it.
// Prints the figures; it asserts nothing (shared machines are noisy): scripts/bench.sh runs
// it and the README records a quiet sitting.
//
// Usage: node tools/app-bench.mjs [dist] [--only=PART,...] [--cli=PATH] [--scenarios=DIR]
//                                [--json=FILE]
//   --only   the parts to run, of: render, max-speed, replays, seeds, class, engine (default
//            all; scripts/bench.sh --baseline runs seeds, class and engine against an older
//            build);
//   --scenarios  where black-friday.toml is, for the engine part (default scenarios/; an
//            older build is given its own, as its engine refuses another version);
//   --cli    the CLI that makes the result codes (default target/release/ops-dojo; codes
//            must come from the same engine as the page to verify);
//   --json   also write the figures to FILE, for scripts/bench.sh's table.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const option = (name) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const PARTS = ['render', 'max-speed', 'replays', 'seeds', 'class', 'engine'];
const only = (option('only') ?? PARTS.join(',')).split(',');
const unknown = only.filter((part) => !PARTS.includes(part));
if (unknown.length > 0) throw new Error(`app-bench: unknown part(s) ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
const runs = (part) => only.includes(part);
const cli = path.resolve(option('cli') ?? path.join(root, 'target/release/ops-dojo'));
const scenarios = path.resolve(option('scenarios') ?? path.join(root, 'scenarios'));
const positional = process.argv.slice(2).find((a) => !a.startsWith('--'));
const dist = path.resolve(positional || path.join(root, 'dist'));
// The figures, in seconds or milliseconds as named, for --json.
const figures = {};
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
  if (runs('render')) {
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
    figures.first_render_ms = { median: median(renders), worst: Math.max(...renders) };
  }

  // The debrief's replays need the finished run of max-speed.
  if (runs('max-speed') || runs('replays')) {
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
    figures.max_speed = { frames_per_s: frames / seconds, script_ms_per_frame: scriptMs / frames };

    if (runs('replays')) {
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
      figures.debrief_replays = { seconds: replaysSeconds, longest_block_ms: replaysGap };
    }
    await context.close();
  }

  if (runs('seeds')) {
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
    figures.many_seeds = { seconds: studySeconds, workers, longest_block_ms: gap };
    await study.close();
  }

  if (runs('class')) {
    if (!existsSync(cli)) {
      console.log(`class results: not measured (no CLI at ${cli}: cargo build --release -p ops-dojo-cli)`);
    } else {
      // The code is the last line the CLI prints with --result-code.
      const codes = Array.from({ length: 30 }, (_, i) => execFileSync(cli,
        ['run', 'black-friday', '--seed', String(i + 1), '--role', 'sre', '--result-code'],
        { encoding: 'utf8' }).trim().split('\n').pop());
      // Pastes `list` on a fresh Class results page (nothing kept from an earlier check),
      // waits `settleMs` (a teacher pasting codes takes seconds: the page's workers load
      // meanwhile), clicks and waits until every code is verified.
      const verify = async (list, settleMs = 0) => {
        const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/#/class`);
        await page.fill('#class-codes', list.join('\n'));
        if (settleMs > 0) await page.waitForTimeout(settleMs);
        await watchGaps(page);
        const started = Date.now();
        await page.click('#check-codes');
        await page.waitForFunction((n) => (document.querySelector('#class-progress')?.textContent ?? '').includes(`${n} checked: ${n} verified`),
          list.length, { timeout: 600_000 });
        const seconds = (Date.now() - started) / 1000;
        const gap = await page.evaluate(() => window.__longestGap);
        await context.close();
        return { seconds, gap };
      };
      const single = [];
      for (let i = 0; i < 3; i += 1) single.push((await verify(codes.slice(0, 1))).seconds);
      const one = Math.min(...single);
      console.log(`black-friday 28 days with the shipped build's engine (one result code verified on Class results, from the click): ${one.toFixed(2)} s (fastest of 3)`);
      const settled = [];
      for (let i = 0; i < 3; i += 1) settled.push((await verify(codes.slice(0, 1), 3000)).seconds);
      const ready = Math.min(...settled);
      console.log(`the same with the page open 3 s before the click (its workers loaded): ${ready.toFixed(2)} s (fastest of 3)`);
      const all = await verify(codes);
      console.log(`class results, 30 black-friday result codes verified: ${all.seconds.toFixed(1)} s; the page's thread was never blocked more than ${all.gap.toFixed(0)} ms`);
      figures.shipped_engine_black_friday = { seconds: one };
      figures.shipped_engine_black_friday_ready = { seconds: ready };
      figures.class_results_30 = { seconds: all.seconds, longest_block_ms: all.gap };
    }
  }
  if (runs('engine')) {
    // Opened on a plain file of the build, not the app, so that nothing else runs beside it.
    const page = await browser.newPage();
    await page.goto(`${server.url}/seed-worker.js`);
    const glue = readdirSync(dist).find((f) => /^ops-dojo-app.*\.js$/.test(f));
    const wasm = readdirSync(dist).find((f) => f.endsWith('.wasm'));
    const scenario = readFileSync(path.join(scenarios, 'black-friday.toml'), 'utf8');
    // A worker of its own (not the page's seed workers): nothing warms it up first.
    const times = await page.evaluate(async ({ glue, wasm, scenario }) => {
      const source = `self.onmessage = async ({ data }) => {
        const app = await import(data.glue);
        await app.default({ module_or_path: data.wasm });
        const times = [];
        for (let run = 0; run < 4; run += 1) {
          const start = performance.now();
          app.seed_scorecard(data.scenario, 1n, 'hands-off+hands-off');
          times.push(performance.now() - start);
        }
        self.postMessage(times);
      };`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
      return new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => resolve(data);
        worker.onerror = (error) => reject(new Error(error.message));
        worker.postMessage({ glue: new URL(glue, location.href).href, wasm: new URL(wasm, location.href).href, scenario });
      });
    }, { glue, wasm, scenario });
    const [first, ...later] = times.map((ms) => ms / 1000);
    const warm = Math.min(...later);
    console.log(`the shipped build's engine alone, black-friday 28 days hands-off in a worker: first run ${first.toFixed(3)} s, then ${warm.toFixed(3)} s (fastest of the next 3)`);
    figures.shipped_engine_alone = { first_seconds: first, warm_seconds: warm };
    await page.close();
  }
  const json = option('json');
  if (json) writeFileSync(json, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
