// End-to-end: a teacher's scenario loaded from a URL (the field on the home page, and a
// `#/?load=` link handed to a class), the messages when it cannot be, and the concepts page
// that scenario cards and the debrief link to.
//
// The scenario files come from tests/e2e/fixtures/, served by a second static server on
// another port: another origin, as a teacher's host is. One server allows other origins to
// read its files (CORS), the other does not.
//
// Run after building the app: node --test tests/e2e/scenarios.test.mjs

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import {
  ACTION_TIMEOUT_MS, REPO_ROOT, SIMULATION_TIMEOUT_MS, axeViolations, browserTest, open, textOf, waitFor,
} from './browser.mjs';
import { serve } from './static-server.mjs';

const FIXTURES = path.join(REPO_ROOT, 'tests', 'e2e', 'fixtures');

/** @type {{url: string, close: () => Promise<void>}} */
let teacher;
/** @type {{url: string, close: () => Promise<void>}} */
let closedHost;

before(async () => {
  teacher = await serve(FIXTURES, { cors: true });
  closedHost = await serve(FIXTURES);
});

after(async () => {
  await teacher?.close();
  await closedHost?.close();
});

/** Types `url` into the home page's URL field and loads it; returns the message shown. */
async function loadFromUrl(page, url) {
  await page.fill('#scenario-url', url);
  await page.click('#scenario-url-load');
  return waitFor(async () => {
    const text = await textOf(page, '#scenario-load-result');
    return text && !text.startsWith('Fetching') ? text : null;
  }, ACTION_TIMEOUT_MS, `a result for ${url}`);
}

browserTest('a scenario loaded from a URL joins the list and starts', async (page, url) => {
  await open(page, `${url}/`);
  const fileUrl = `${teacher.url}/class-lab.toml`;
  const message = await loadFromUrl(page, fileUrl);
  assert.match(message, /^Loaded "Class lab: one busy service" from http:\/\/127\.0\.0\.1:\d+\/class-lab\.toml/);
  const card = page.locator('[data-testid="scenario-card-class-lab"]');
  await card.waitFor();
  assert.equal(await card.locator('button').getAttribute('aria-pressed'), 'true', 'the loaded scenario is selected');
  // The link to hand out loads the same file.
  const share = await page.getAttribute('#scenario-share-link', 'href');
  assert.equal(share, `${url}/#/?load=${encodeURIComponent(fileUrl)}`);
  await page.click('#start-run');
  await page.locator('#sim-clock').waitFor();
  assert.match(page.url(), /scenario=class-lab/);
  assert.equal(await textOf(page, '.play-header h1'), 'Class lab: one busy service');
});

browserTest('a broken scenario from a URL is refused with URL:line:column', async (page, url) => {
  await open(page, `${url}/`);
  const fileUrl = `${teacher.url}/broken-lab.toml`;
  const message = await loadFromUrl(page, fileUrl);
  assert.equal(message, `${fileUrl}:18:19: expected a number above 0, found -50`);
  assert.equal(await page.getAttribute('#scenario-load-result', 'role'), 'alert');
  assert.equal(await page.locator('[data-testid="scenario-card-broken-lab"]').count(), 0);
});

browserTest('a missing file or a host that refuses other sites gets a clear message', async (page, url) => {
  await open(page, `${url}/`);
  const missing = `${teacher.url}/no-such-lab.toml`;
  assert.equal(
    await loadFromUrl(page, missing),
    `${missing}: the server answered 404 Not Found: there is no file at that address.`,
  );
  const closed = `${closedHost.url}/class-lab.toml`;
  const refused = await loadFromUrl(page, closed);
  assert.ok(refused.startsWith(`${closed}: could not fetch it.`), refused);
  assert.match(refused, /CORS/);
}, {
  // Chromium logs each failed fetch itself; these two are the point of the test.
  expectedConsoleErrors: [/status of 404/, /blocked by CORS policy/, /net::ERR_FAILED/],
});

browserTest('a ?load= link loads the scenario by itself and leaves the address bar clean', async (page, url) => {
  const fileUrl = `${teacher.url}/class-lab.toml`;
  await open(page, `${url}/#/?load=${encodeURIComponent(fileUrl)}&profile=projector`);
  await waitFor(async () => (await textOf(page, '#scenario-load-result'))?.startsWith('Loaded "Class lab'),
    ACTION_TIMEOUT_MS, 'the linked scenario to load');
  await waitFor(() => page.url().endsWith('#/?profile=projector'), ACTION_TIMEOUT_MS,
    () => `the load= part to leave the address bar (it reads ${page.url()})`);
  assert.equal(
    await page.locator('[data-testid="scenario-card-class-lab"] button').getAttribute('aria-pressed'),
    'true',
  );
  assert.deepEqual(await axeViolations(page), [], 'home page after loading from a link');
});

browserTest('the concepts page explains every concept and the cards link to it', async (page, url) => {
  await open(page, `${url}/`);
  await page.click('#concepts-link');
  await page.locator('#concept-erlang-c').waitFor();
  const entries = await page.locator('.concept-entry').count();
  assert.ok(entries >= 50, `the page lists every glossary entry (${entries})`);
  assert.match(await textOf(page, '#concept-erlang-c'), /M\/M\/c formula/);
  assert.match(await textOf(page, '#concept-erlang-c .practised-in'), /Queueing lab: M\/M\/c/);
  assert.deepEqual(await axeViolations(page), [], 'concepts page');

  // A card's concept goes to its entry, marked and focused.
  await open(page, `${url}/`);
  await page.locator('[data-testid="scenario-card-mmc-lab"] a', { hasText: 'Erlang C' }).click();
  await waitFor(async () => page.evaluate(() => document.activeElement?.id === 'concept-erlang-c'),
    ACTION_TIMEOUT_MS, 'the Erlang C entry to have the focus');
  assert.equal(await page.getAttribute('#concept-erlang-c', 'class'), 'concept-entry target');
});

browserTest('the debrief links each concept of the run to its explanation', async (page, url) => {
  // The queueing lab is one simulated day: a second at full speed.
  await open(page, `${url}/#/play?scenario=mmc-lab&role=sre&seed=1`);
  await page.click('[data-speed="max"]');
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') await page.click('#btn-play-pause');
  await page.locator('#debrief-concepts').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  const link = page.locator('#debrief-concepts a', { hasText: 'Erlang C' });
  assert.equal(await link.getAttribute('href'), '#/concepts?concept=erlang-c');
  assert.equal(await link.getAttribute('target'), '_blank', 'the finished run stays open');
});

browserTest('the debrief takes the run\'s SLO to production: both files, the factors explained, downloads', async (page, url) => {
  await open(page, `${url}/#/play?scenario=mmc-lab&role=sre&seed=1`);
  await page.click('[data-speed="max"]');
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') await page.click('#btn-play-pause');
  await page.locator('#to-production').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  await page.click('#to-production > summary');
  // DOMAIN.md: on a 28-day period the factors are 13.44 / 5.6 / 2.8 / 0.933.
  const table = await textOf(page, '#to-production table:not(#to-production-lab-table)');
  assert.match(table, /13\.44× = 2 % × 672 h ÷ 1 h/);
  assert.match(table, /0\.9333× = 10 % × 672 h ÷ 72 h/);
  for (const details of await page.locator('#to-production details > summary').all()) await details.click();
  const files = await page.locator('#to-production pre').allTextContents();
  assert.match(files[0], /apiVersion: openslo\/v1\nkind: SLO\n/);
  assert.match(files[1], /record: slo:sli_error:ratio_rate5m\n/);
  assert.match(files[1], /keep_firing_for: 6h\n/);
  assert.deepEqual(await axeViolations(page), [], 'debrief with both files open');

  await page.fill('#to-production-prefix', 'lab_');
  await waitFor(async () => (await page.locator('#to-production pre').last().textContent()).includes('lab_request_duration_seconds_count'),
    ACTION_TIMEOUT_MS, 'the prefix in the rules');
  const download = page.waitForEvent('download');
  await page.click('#to-production-prometheus');
  assert.equal((await download).suggestedFilename(), 'mmc-lab.rules.yml');

  await page.fill('#to-production-prefix', 'lab-');
  assert.match(await textOf(page, '#to-production-error'), /not usable in a Prometheus metric name/);
});

browserTest('alerts that matter: the debrief replays the run through another alert table, beside its own', async (page, url) => {
  await open(page, `${url}/#/play?scenario=alerts-that-matter&role=sre&seed=1`);
  await page.click('[data-speed="max"]');
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') await page.click('#btn-play-pause');
  await page.locator('#to-production').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  await page.click('#to-production > summary');
  const rows = () => page.$$eval('#to-production-lab-table tbody tr',
    (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
  const own = await rows();
  assert.equal(own.length, 1, 'the run\'s own table');
  assert.match(own[0][0], /Search availability, this run's table \(SRE Workbook \(Sloth\)\)/);
  assert.match(own[0][1], /^\d+ \(\d+\)$/, 'pages (at night)');
  // The naive threshold also pages for the 5-minute blip at 02:40: a page at night that
  // was not a significant event, so its precision falls below 100 %.
  await page.selectOption('#to-production-table', 'single-window');
  const single = await waitFor(async () => (await rows()).find((row) => row[0] === 'Single 10-minute window'),
    ACTION_TIMEOUT_MS, 'the single window replayed');
  assert.match(single[1], /^\d+ \(([1-9]\d*)\)$/, `pages at night: ${single}`);
  assert.match(single[3], /^(\d|[1-9]\d) %$/, `precision below 100 %: ${single}`);
  assert.deepEqual(await axeViolations(page), [], 'debrief with the tables compared');
});

browserTest('the concepts page exports any scenario\'s SLOs, with the alert table the learner picks', async (page, url) => {
  await open(page, `${url}/#/concepts`);
  await page.selectOption('#production-scenario', { label: 'Alerts that matter' });
  await page.click('#to-production > summary');
  assert.match(await textOf(page, '#to-production table caption'), /^Search availability: 99\.9 % over 28 days/);
  // The scenario's own table is the Workbook's: no wait, keeps firing for its short window.
  assert.match(await textOf(page, '#to-production table tbody tr'), /1h and 5m.*0s.*5m/s);
  // Pyrra's: 14× over 1h/5m, held 2 minutes, resolving at once.
  await page.selectOption('#to-production-table', 'pyrra');
  await waitFor(async () => (await textOf(page, '#to-production table tbody tr')).includes('14×'),
    ACTION_TIMEOUT_MS, "Pyrra's factors");
  assert.match(await textOf(page, '#to-production table tbody tr'), /1h and 5m.*14× = .*2m.*0s/s);
  assert.match(await textOf(page, '#to-production'), /hold for about half its short window/);
  for (const details of await page.locator('#to-production details > summary').all()) await details.click();
  const rules = await page.locator('#to-production pre').last().textContent();
  assert.match(rules, /\n {8}for: 2m\n/);
  assert.doesNotMatch(rules, /\n {8}keep_firing_for:/);
  assert.deepEqual(await axeViolations(page), [], 'concepts page with the export open');
});

browserTest('a share link carries a loaded scenario, and a run, to a browser that has neither', async (page, url) => {
  await open(page, `${url}/`);
  await loadFromUrl(page, `${teacher.url}/class-lab.toml`);
  await page.fill('#seed-input', '5');
  await page.click('#class-link-toggle');
  const link = await waitFor(async () => (await page.inputValue('#class-link-text').catch(() => '')) || null,
    ACTION_TIMEOUT_MS, 'the class link');
  assert.match(link, /#\/play\?scenario=class-lab&role=sre&partner=balanced&seed=5&embed=ODS1-[\w-]+$/);
  // Projected for a class: a QR code of the same link.
  await page.click('#class-link-qr-toggle');
  assert.ok(await page.locator('svg#class-link-qr path').isVisible(), 'a QR code');
  assert.deepEqual(await axeViolations(page), [], 'home page with the share box');

  // A browser that never loaded the file opens the run from the link alone, and the
  // address bar is left plain.
  const browser = page.context().browser();
  const student = await (await browser.newContext()).newPage();
  await open(student, link);
  await student.locator('#sim-clock').waitFor({ timeout: ACTION_TIMEOUT_MS });
  assert.equal(await textOf(student, '.play-header h1'), 'Class lab: one busy service');
  await waitFor(() => !student.url().includes('embed='), ACTION_TIMEOUT_MS, 'a plain address');

  // The student plays a while, then shares that moment: it opens elsewhere, paused there.
  // An hour of simulated time a second: a few hours in, well before the day's end.
  await student.click('[data-speed="1h"]');
  if ((await student.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') {
    await student.click('#btn-play-pause');
  }
  await waitFor(async () => /\b0[3-9]:\d\d/.test(await textOf(student, '#sim-clock')), SIMULATION_TIMEOUT_MS, '03:00');
  await student.click('#btn-play-pause');
  await waitFor(async () => (await student.getAttribute('#btn-play-pause', 'aria-pressed')) === 'false',
    ACTION_TIMEOUT_MS, 'the run to pause');
  const moment = await textOf(student, '#sim-clock');
  await student.click('#share-run');
  const runLink = await waitFor(async () => (await student.inputValue('#run-link-text').catch(() => '')) || null,
    ACTION_TIMEOUT_MS, 'the run link');
  assert.match(runLink, /&embed=ODS1-[\w-]+&run=ODR2-[\w-]+$/);
  const helper = await (await browser.newContext()).newPage();
  await open(helper, runLink);
  await helper.locator('#run-resumed').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  assert.equal(await textOf(helper, '#sim-clock'), moment, 'the same moment');
  await waitFor(() => !helper.url().includes('run='), ACTION_TIMEOUT_MS, 'a plain address');

  // A damaged link says what is wrong instead of starting anything.
  await open(helper, link.replace(/embed=ODS1-(.{10})/, 'embed=ODS1-$1!!'));
  const refusal = await waitFor(async () => textOf(helper, '#route-error'), ACTION_TIMEOUT_MS, 'a refusal');
  assert.match(refusal, /scenario could not be read/);
}, { timeoutMs: 120_000 });

browserTest('the alert lab runs a pasted OpenSLO file through the incident set, beside every named table', async (page, url) => {
  // Found from the home page, as a practitioner would.
  await open(page, `${url}/`);
  await page.click('#alert-lab-link');
  await page.locator('#lab-slo').waitFor();
  // A file with a mistake gets where it is.
  await page.fill('#lab-slo', 'apiVersion: openslo/v1\nkind: SLO\nspec: [1, 2\n');
  await page.click('#lab-run');
  assert.match(await textOf(page, '#lab-error'), /^your-slo\.yaml:\d+:\d+: /);
  // A team's own SLO: 99.5 % over 28 days, paging at 14× over an hour.
  const slo = await readFile(path.join(FIXTURES, 'checkout.openslo.yaml'), 'utf8');
  await page.fill('#lab-slo', slo);
  await page.click('#lab-run');
  await page.locator('#lab-result').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  assert.match(await textOf(page, '#lab-result'), /checkout ≥ 99\.5 % over 28 days in The incident set, seed 1, 5 days/);
  const rows = await page.$$eval('#lab-table tbody tr', (trs) => trs.map((tr) => tr.children[0].textContent));
  assert.deepEqual(rows, ['Your AlertPolicy', 'SRE Workbook (Sloth)', 'Pyrra', 'slo-generator', 'Single 10-minute window']);
  assert.ok((await page.locator('#lab-events li').count()) >= 2, 'the incidents that mattered');
  assert.match(await textOf(page, '#lab-pages'), /Your AlertPolicy paged at Day \d/);
  assert.deepEqual(await axeViolations(page), [], 'the alert lab with a result');
  // What was written is kept: a reload loses nothing.
  await page.reload();
  await page.locator('#lab-slo').waitFor();
  assert.equal(await page.inputValue('#lab-slo'), slo);
  // The example is Ops Dojo's own export, and runs in another world too.
  await page.click('#lab-example');
  assert.match(await page.inputValue('#lab-slo'), /kind: AlertPolicy/);
  await page.selectOption('#lab-world', 'first-slo');
  await page.click('#lab-run');
  await page.locator('#lab-result').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  assert.match(await textOf(page, '#lab-result'), /First SLO, seed 1, 7 days/);
}, { timeoutMs: 120_000 });
