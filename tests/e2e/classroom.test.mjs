// Classroom: a student finishes a run and hands in a result code; the teacher pastes codes
// into the Class results page (another page), which replays each one and marks it verified,
// mismatch or invalid, sums the class up by role, exports CSV and keeps the list on reload.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { browserTest, open, textOf, waitFor, SIMULATION_TIMEOUT_MS } from './browser.mjs';

/** Plays a run to its end at max speed and returns its result code, handed in as `name`. */
async function finishAndHandIn(page, url, query, name) {
  await open(page, `${url}/#/play?${query}`);
  await page.click('[data-speed="max"]');
  await page.locator('#run-complete').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  await page.fill('#hand-in-name', name);
  await waitFor(async () => (await page.inputValue('#result-code')).startsWith('OD3-'),
    5_000, 'the result code to show');
  return page.inputValue('#result-code');
}

/** Waits until every pasted code has been replayed. */
async function checked(page) {
  return waitFor(async () => {
    const text = (await textOf(page, '#class-progress')) ?? '';
    return /\d+ checked:/.test(text) && text;
  }, SIMULATION_TIMEOUT_MS, 'the codes to be checked');
}

browserTest('a code handed in on one page verifies on the Class results page of another', async (page, url) => {
  const sre = await finishAndHandIn(page, url, 'scenario=first-slo&role=sre&partner=balanced&seed=42', 'Ada');
  const devops = await finishAndHandIn(page, url, 'scenario=first-slo&role=devops&partner=budget-guard&seed=42', 'Grace');
  // The name is part of the code, and changing it gives another code.
  assert.notEqual(sre, devops);

  // One character changed in the middle: no longer the run it claims to be.
  const middle = Math.floor(sre.length / 2);
  const flipped = sre[middle] === 'A' ? 'B' : 'A';
  const tampered = sre.slice(0, middle) + flipped + sre.slice(middle + 1);

  const teacher = await page.context().newPage();
  await open(teacher, `${url}/#/class`);
  // Pasted as a mail would carry them: a greeting first, one code wrapped over lines.
  const wrapped = devops.match(/.{1,60}/g).join('\n');
  await teacher.fill('#class-codes', `Codes from group B:\n${sre}\n\n${wrapped}\n${tampered}\n${sre}\n`);
  await teacher.click('#check-codes');
  const summary = await checked(teacher);
  assert.match(summary, /5 checked: 2 verified, \d mismatch, \d invalid, 1 duplicate/);
  assert.equal(await teacher.locator('#class-on-page').count(), 0, 'replayed in background workers');

  const rows = await teacher.$$eval('#class-entries tbody tr', (trs) => trs.map((tr) => ({
    status: tr.dataset.status, text: tr.textContent })));
  assert.equal(rows[0].status, 'invalid', 'the greeting is reported, not dropped');
  assert.match(rows[0].text, /not a result code/);
  assert.equal(rows[1].status, 'verified');
  assert.match(rows[1].text, /Ada/);
  assert.match(rows[1].text, /first-slo · 42/);
  assert.equal(rows[2].status, 'verified');
  assert.match(rows[2].text, /Grace/);
  assert.ok(['mismatch', 'invalid'].includes(rows[3].status), `a tampered code is refused: ${rows[3].text}`);
  assert.equal(rows[4].status, 'duplicate');

  // By role: one DevOps run and one SRE run, each with its numbers.
  const header = await textOf(teacher, '#class-by-role thead');
  assert.match(header, /DevOps \(1 run\)/);
  assert.match(header, /SRE \(1 run\)/);
  assert.equal(await teacher.locator('#class-chart .dot').count(), 2, 'a dot per verified run');

  // CSV for the grade book: a header and a row per code.
  const [download] = await Promise.all([
    teacher.waitForEvent('download'),
    teacher.click('#download-csv'),
  ]);
  assert.equal(download.suggestedFilename(), 'class-results.csv');
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r\n/);
  assert.equal(lines.length, 6);
  assert.match(lines[0], /^entry,source,player,status,/);
  assert.match(lines[2], /^2,pasted,Ada,verified,,first-slo,42,sre,/);

  // A reload checks the kept codes again: nothing handed in is lost.
  await teacher.reload();
  assert.match(await checked(teacher), /5 checked: 2 verified/);
  // A browser that cannot start workers replays the codes on the page instead, and says so.
  const noWorkers = await page.context().newPage();
  await noWorkers.addInitScript(() => { delete window.Worker; });
  await open(noWorkers, `${url}/#/class`);
  assert.match(await checked(noWorkers), /5 checked: 2 verified, \d mismatch, \d invalid, 1 duplicate/);
  assert.match(await textOf(noWorkers, '#class-on-page'), /on this page/);
  await noWorkers.close();
  await teacher.click('#clear-codes');
  await teacher.reload();
  await teacher.locator('#check-codes').waitFor();
  assert.equal(await teacher.locator('#class-entries').count(), 0, 'cleared for good');
}, { timeoutMs: 120_000 });

browserTest('the Class results page is found from home and explains itself', async (page, url) => {
  await open(page, `${url}/`);
  await page.click('#class-results-link');
  await page.locator('#check-codes').waitFor();
  assert.match(await textOf(page, '.class-intro'), /same scenario and seed/);
  // Nothing pasted: checking does nothing and says nothing alarming.
  await page.click('#check-codes');
  assert.equal(await textOf(page, '#class-progress'), '');
  await page.fill('#class-codes', 'hello teacher');
  await page.click('#check-codes');
  assert.match(await checked(page), /1 checked: 0 verified, 0 mismatch, 1 invalid/);
});

browserTest('a reload resumes the run where it was; a run file opens it again; damaged saves are set aside', async (page, url) => {
  const link = `${url}/#/play?scenario=friday-deploy&role=devops&partner=balanced&seed=7`;
  await open(page, link);
  await page.locator('#sim-clock').waitFor();
  await page.click('#action-ship');
  await page.click('[data-speed="max"]');
  await waitFor(async () => /Day 2/.test((await textOf(page, '#sim-clock')) ?? ''), SIMULATION_TIMEOUT_MS, 'day 2');
  await page.click('#btn-play-pause');
  await waitFor(async () => (await page.getAttribute('#btn-play-pause', 'aria-pressed')) === 'false', 5_000, 'pause');
  const clock = await textOf(page, '#sim-clock');
  const log = await textOf(page, '#event-log');

  // A reload comes back to the very same moment, paused, with the same history.
  await page.reload();
  await page.locator('#run-resumed').waitFor();
  assert.equal(await textOf(page, '#sim-clock'), clock);
  assert.equal(await textOf(page, '#event-log'), log);
  assert.equal(await page.getAttribute('#btn-play-pause', 'aria-pressed'), 'false');

  // Saved as a file, it opens again from the home page after starting over.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-run-file')]);
  assert.match(download.suggestedFilename(), /^the-friday-deploy-seed-7-devops\.odrun\.txt$/);
  const file = await download.path();
  await page.click('#start-over');
  await waitFor(async () => /Day 1 \(Mon\)/.test((await textOf(page, '#sim-clock')) ?? ''), 10_000, 'a new run');
  assert.equal(await page.locator('#run-resumed').count(), 0);
  await open(page, `${url}/#/`);
  await page.setInputFiles('#run-file', file);
  await page.locator('#run-resumed').waitFor();
  assert.equal(await textOf(page, '#sim-clock'), clock);

  // Damaged saved data: a clear message, the data offered for download, and a new run.
  await open(page, `${url}/#/`);
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith('ops-dojo/run/')) localStorage.setItem(key, 'ODR1-this-is-not-a-run');
    }
  });
  await open(page, link);
  await page.locator('#run-unreadable').waitFor();
  assert.match(await textOf(page, '#run-unreadable'), /could not be resumed .*damaged.*set aside, not deleted/);
  const kept = await page.evaluate(() => Object.entries(localStorage)
    .filter(([key]) => key.startsWith('ops-dojo/damaged/')).map(([, value]) => value));
  assert.deepEqual(kept, ['ODR1-this-is-not-a-run']);
  // A bad run file is refused with a reason, and nothing else changes.
  await open(page, `${url}/#/`);
  await page.setInputFiles('#run-file', { name: 'junk.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  assert.match(await page.locator('#run-file-error').textContent(), /junk\.txt: not a saved run/);
}, { timeoutMs: 120_000 });

browserTest('a finished run compares side by side with the bots on the same seed', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&partner=balanced&seed=42`);
  await page.click('[data-speed="max"]');
  await page.locator('#run-complete').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  const kept = /Error budget left: (-?[\d.]+) %/.exec(await textOf(page, '#run-complete'))[1];

  await page.click('#compare-link');
  await page.locator('#compare-table').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  // Yours (kept by the browser) and one pair of bots to start with.
  await waitFor(async () => (await page.locator('#compare-table thead th').count()) === 3,
    SIMULATION_TIMEOUT_MS, 'two runs side by side');
  const headings = await page.$$eval('#compare-table thead th', (ths) => ths.map((th) => th.textContent));
  assert.match(headings[1], /^You: SRE \(bot DevOps: balanced\)/);
  assert.match(headings[2], /^Bots: DevOps balanced, SRE balanced/);
  const budgetRow = await page.$$eval('#compare-table tbody tr', (trs) => trs
    .map((tr) => [...tr.children].map((c) => c.textContent))
    .find((cells) => cells[0] === 'Error budget left'));
  assert.ok(budgetRow[1].includes(`${kept} %`), `your column ${budgetRow[1]} shows the run's ${kept} %`);

  // Ticking another pair plays it too, and its line joins the budget chart.
  await page.click('label:has-text("Bots: DevOps ship fast, SRE hands off")');
  await waitFor(async () => (await page.locator('#compare-table thead th').count()) === 4,
    SIMULATION_TIMEOUT_MS, 'a third run');
  assert.equal(await page.locator('#compare-budget .budget-line').count(), 3);
  // The best of each row is marked with a star, not colour alone.
  assert.ok((await page.locator('#compare-table td.best').count()) > 0);
  // The par's expert joins too: the expert's solution on the same seed.
  await page.click('label:has-text("Expert solution (the par)")');
  await waitFor(async () => (await page.locator('#compare-table thead th').count()) === 5,
    SIMULATION_TIMEOUT_MS, 'the expert');
  const last = await page.$$eval('#compare-table thead th', (ths) => ths.at(-1).textContent);
  assert.match(last, /^Expert solution \(the par\)/);
}, { timeoutMs: 120_000 });

browserTest('many seeds play in background workers, agree with the page, and cancel at once', async (page, url) => {
  await open(page, `${url}/#/compare?scenario=first-slo&seed=42`);
  // The page's own run of balanced bots on seed 42, for the workers to agree with.
  await waitFor(async () => (await page.locator('#compare-table thead th').count()) === 2,
    SIMULATION_TIMEOUT_MS, 'the balanced bots on seed 42');
  const budgetRow = await page.$$eval('#compare-table tbody tr', (trs) => trs
    .map((tr) => [...tr.children].map((c) => c.textContent))
    .find((cells) => cells[0] === 'Error budget left'));
  const pageBudget = /-?[\d.]+ %/.exec(budgetRow[1])[0];

  await page.selectOption('#seeds-first', { label: 'Bots: DevOps balanced, SRE balanced' });
  await page.selectOption('#seeds-second', { label: 'Bots: DevOps ship fast, SRE hands off' });
  await page.selectOption('#seeds-count', '10');
  await page.click('#seeds-run');
  await waitFor(async () => /20 of 20 runs played/.test(await textOf(page, '#seeds-progress')),
    SIMULATION_TIMEOUT_MS, 'twenty runs');
  const headings = await page.$$eval('#seeds-table thead th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(headings, ['Metric', 'Bots: DevOps balanced, SRE balanced (10 seeds)',
    'Bots: DevOps ship fast, SRE hands off (10 seeds)', 'Seed by seed: first / second better (tied)']);
  // Seed by seed, the counts of one row cover at most the ten seeds.
  const tally = await page.$$eval('#seeds-table tbody tr', (trs) => trs
    .map((tr) => [...tr.children].map((c) => c.textContent))
    .find((cells) => cells[0] === 'Error budget left')[3]);
  const [a, b, tied] = tally.match(/\d+/g).map(Number);
  assert.equal(a + b + tied, 10, tally);
  // A dot per run; the workers' seed 42 is the page's seed 42, to the digit.
  assert.equal(await page.locator('#seeds-chart .dot').count(), 20);
  const titles = await page.$$eval('#seeds-chart .dot title', (ts) => ts.map((t) => t.textContent));
  assert.ok(titles.some((t) => t.startsWith(`seed 42: ${pageBudget} of the budget left`)),
    `a dot for seed 42 with ${pageBudget} (${titles.slice(0, 3)})`);

  // The chart saves as an SVG file that stands on its own.
  const [svg] = await Promise.all([page.waitForEvent('download'),
    page.locator('figure', { has: page.locator('#seeds-chart') }).locator('button:has-text("Save as SVG")').click()]);
  assert.equal(svg.suggestedFilename(), 'seeds-chart.svg');
  const markup = await readFile(await svg.path(), 'utf8');
  assert.match(markup, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
  assert.equal((markup.match(/class="dot"/g) ?? []).length, 20);

  // A long study, cancelled: it stops where it is and the workers are gone.
  await page.selectOption('#seeds-count', '100');
  await page.click('#seeds-run');
  await page.click('#seeds-cancel');
  await waitFor(async () => /stopped\. Cancelled\./.test(await textOf(page, '#seeds-progress')),
    5_000, 'the study to stop');
  const stoppedAt = await textOf(page, '#seeds-progress');
  await page.waitForTimeout(1_000);
  assert.equal(await textOf(page, '#seeds-progress'), stoppedAt, 'no run finishes after Cancel');
  assert.ok(await page.locator('#seeds-run').isEnabled(), 'a new study can start');
}, { timeoutMs: 120_000 });

browserTest('codes made by the native engine verify in the shipped page: the page computes the same runs', async (page, url) => {
  // Written by the CLI test native_result_codes_for_the_browser_test_are_current: the page
  // replays each with its own build of the engine and must reach the native run hash.
  const fixture = await readFile(new URL('./fixtures/native-result-codes.txt', import.meta.url), 'utf8');
  const codes = fixture.split('\n').filter((line) => line.startsWith('OD3-'));
  const hashes = [...fixture.matchAll(/run hash ([0-9a-f]{32})/g)].map((m) => m[1]);
  assert.equal(codes.length, 2);
  assert.equal(hashes.length, 2);
  await open(page, `${url}/#/class`);
  await page.fill('#class-codes', codes.join('\n'));
  await page.click('#check-codes');
  assert.match(await checked(page), /2 checked: 2 verified, 0 mismatch, 0 invalid/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  const csv = await readFile(await download.path(), 'utf8');
  for (const hash of hashes) assert.ok(csv.includes(hash), `the native run hash ${hash} is in the CSV`);
  await page.click('#clear-codes');
}, { timeoutMs: 120_000 });
