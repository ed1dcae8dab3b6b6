// Takes screenshots of the main screens, for looking at what a change did to the page.
//   node tools/screenshots.mjs [out-dir] [WIDTHxHEIGHT]   (after building dist/)
// Writes home.png, play.png (a day into a run, after an action), done.png (a finished run),
// then, after the same seed as DevOps, roles.png (#/roles), you.png (#/you), home-progress.png
// (the learning path with both roles done), you-print.png (#/you as printed) and
// concepts-export.png (the concepts page taking a scenario's SLOs to production), and
// debrief-tables.png (the finished run replayed through another alert table), and
// debrief-par.png (the run between nobody acting and the expert on the same seed),
// debrief-replays.png (the run's key moments replayed, each with one thing changed) and
// action-items.png (a postmortem's action items in the DevOps backlog, playing both seats),
// freeze-request.png (a DevOps bot's request to ship through the freeze, in the SRE's
// pager), and alert-lab.png (the alert lab with its example SLO run through the incident set).

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../tests/e2e/static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] || path.join(root, 'target', 'screenshots'));
const [width, height] = (process.argv[3] || '1366x768').split('x').map(Number);
await mkdir(out, { recursive: true });

const server = await serve(path.join(root, 'dist'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  await page.goto(`${server.url}/`);
  await page.locator('#start-run').waitFor();
  await page.screenshot({ path: path.join(out, 'home.png'), fullPage: true });

  await page.goto(`${server.url}/#/play?scenario=first-slo&role=sre&seed=42`);
  await page.locator('[data-speed="max"]').click();
  await page.waitForFunction(() => document.querySelector('#sim-clock')?.textContent.startsWith('Day 3'));
  await page.locator('#btn-play-pause').click();
  await page.locator('#action-scale-up').click();
  await page.screenshot({ path: path.join(out, 'play.png'), fullPage: true });

  await page.locator('#btn-play-pause').click();
  await page.locator('#run-complete').waitFor({ timeout: 30_000 });
  await page.locator('#par-table').waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(out, 'done.png'), fullPage: true });
  await page.locator('#debrief-par').screenshot({ path: path.join(out, 'debrief-par.png') });
  await page.locator('#replays-lines li, #replays-none').first().waitFor({ timeout: 60_000 });
  await page.locator('#debrief-replays').screenshot({ path: path.join(out, 'debrief-replays.png') });
  // The debrief's "Take this SLO to production", Pyrra's table replayed on the run.
  await page.locator('#to-production > summary').click();
  await page.selectOption('#to-production-table', 'pyrra');
  await page.locator('#to-production').screenshot({ path: path.join(out, 'debrief-tables.png') });

  await page.goto('about:blank');
  await page.goto(`${server.url}/#/play?scenario=first-slo&role=devops&seed=42`);
  await page.locator('[data-speed="max"]').click();
  await page.locator('#run-complete').waitFor({ timeout: 30_000 });
  await page.goto(`${server.url}/#/roles`);
  await page.locator('#pay-table').waitFor();
  await page.screenshot({ path: path.join(out, 'roles.png'), fullPage: true });
  await page.goto(`${server.url}/#/you`);
  await page.locator('#you-devops').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(out, 'you.png'), fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(out, 'you-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${server.url}/#/`);
  await page.locator('#learning-path').waitFor();
  await page.screenshot({ path: path.join(out, 'home-progress.png'), fullPage: true });
  // The concepts page's "From the dojo to production", Pyrra's table picked.
  await page.goto(`${server.url}/#/concepts`);
  await page.selectOption('#production-scenario', { label: 'Alerts that matter' });
  await page.locator('#to-production > summary').click();
  await page.selectOption('#to-production-table', 'pyrra');
  await page.locator('.to-production-group').screenshot({ path: path.join(out, 'concepts-export.png') });
  // Night on-call in both seats: the postmortem of the first night's incident files its
  // action items in the DevOps backlog.
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/play?scenario=night-on-call&role=both&seed=1`);
  for (let i = 0; i < 150 && (await page.locator('#action-postmortem').count()) === 0; i += 1) {
    await page.locator('#btn-skip').click();
  }
  await page.locator('#action-postmortem').click();
  await page.locator('#action-items').waitFor();
  await page.locator('#action-items').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'action-items.png') });
  // Night on-call as SRE: two services fail at once and the pager lists them worst first.
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/play?scenario=night-on-call&role=sre&seed=1`);
  for (let i = 0; i < 40 && (await page.locator('#incident-harm').count()) === 0; i += 1) {
    await page.locator('#btn-skip').click();
  }
  await page.locator('#incident-open').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'triage.png') });
  // budget-policy as SRE beside a ship-fast DevOps bot: deploys frozen by hand, the bot asks
  // to ship through the freeze and the request waits in the pager.
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/play?scenario=budget-policy&role=sre&seed=1&partner=ship-fast`);
  await page.locator('#btn-play-pause').click();
  await page.locator('#action-freeze').click();
  for (let i = 0; i < 60 && (await page.locator('#freeze-request').count()) === 0; i += 1) {
    await page.locator('#btn-skip').click();
  }
  await page.locator('#freeze-request').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, 'freeze-request.png') });
  // The alert lab: the example SLO (first-slo's, with Pyrra's table) on the incident set.
  await page.goto(`${server.url}/#/alert-lab`);
  await page.locator('#lab-example').click();
  await page.locator('#lab-run').click();
  await page.locator('#lab-result').waitFor({ timeout: 60_000 });
  await page.locator('#lab-pages').evaluate((list) => { list.closest('details').open = true; });
  await page.screenshot({ path: path.join(out, 'alert-lab.png'), fullPage: true });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await server.close();
}
