// Which job is mine? A new user plays First SLO as SRE, then as DevOps on the same seed, and
// finds both runs on the home page's card, on the learning path and on "your two jobs"; the
// roles page compares the jobs with pay and its source, and its "live it" links start runs.
// Also: speed keys work after a click, and the bot's actions are marked as the bot's.

import assert from 'node:assert/strict';
import {
  axeViolations, browserTest, open, textOf, waitFor, ACTION_TIMEOUT_MS, SIMULATION_TIMEOUT_MS,
} from './browser.mjs';

/** From the home page as a new user would: pick First SLO, a role and seed 42, start. */
async function startFromHome(page, url, role) {
  await open(page, `${url}/`);
  await page.locator('[data-testid="scenario-card-first-slo"] button').click();
  await page.locator(`label[for="role-${role}"]`).click();
  await page.fill('#seed-input', '42');
  await page.click('#start-run');
  await page.locator('#sim-clock').waitFor();
}

/** Plays the run to its end at max speed; returns the run-complete panel's numbers. */
async function playToEnd(page) {
  await page.click('[data-speed="max"]');
  if ((await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== 'true') {
    await page.click('#btn-play-pause');
  }
  await page.locator('#run-complete').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  const text = await textOf(page, '#run-complete');
  const [, features, rollbacks] = /Features live: (\d+), deploys rolled back: (\d+)/.exec(text);
  return { features: Number(features), rollbacks: Number(rollbacks) };
}

browserTest('a new user plays both roles on one seed and sees both on the card, the path and "your two jobs"', async (page, url) => {
  await open(page, `${url}/#/you`);
  await waitFor(async () => /not finished a run yet/.test((await textOf(page, '#you-next')) ?? ''),
    ACTION_TIMEOUT_MS, '"your two jobs" to say what to play first');

  await startFromHome(page, url, 'sre');
  assert.match(await textOf(page, '#seat-line'), /You are the on-call SRE this week: \d engineers? \(you included\)/);
  const sre = await playToEnd(page);
  assert.match(await textOf(page, '#debrief-reflection'), /^As the on-call SRE/);
  assert.equal(await page.getAttribute('#debrief-roles-link', 'href'), '#/roles');
  assert.equal(await page.locator('#debrief-you-link').count(), 0, 'one role only so far');

  // With one role played, "your two jobs" suggests the other seat on the same scenario and seed.
  await open(page, `${url}/#/you`);
  const other = page.locator('#you-other-role');
  await other.waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  const otherHref = await other.getAttribute('href');
  assert.match(otherHref, /scenario=first-slo&role=devops/);
  assert.match(otherHref, /seed=42/);

  await startFromHome(page, url, 'devops');
  assert.match(await textOf(page, '#seat-line'), /You are the DevOps engineer this week: \d engineers, \d+ features waiting/);
  const devops = await playToEnd(page);
  assert.match(await textOf(page, '#debrief-reflection'), /^As the DevOps engineer/);
  await page.locator('#debrief-you-link').waitFor();

  // The home card marks both roles, and survives a reload.
  await open(page, `${url}/`);
  await page.reload();
  const card = page.locator('[data-testid="card-progress-first-slo"]');
  await card.waitFor();
  const cardText = await card.textContent();
  assert.match(cardText, /✓ DevOps/);
  assert.match(cardText, /✓ SRE/);
  assert.match(cardText, /of 2 objectives met/);
  // The hero's link takes the focus to the learning path; both tracks moved on from First SLO.
  await page.click('#path-jump');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'path-title');
  assert.match(await page.locator('#track-sre-next').textContent(), /Next up: Alerts that matter as SRE/);
  assert.match(await page.locator('#track-devops-next').textContent(), /Next up: The Friday deploy as DevOps/);
  assert.match(await page.getAttribute('#track-sre-next', 'href'), /scenario=alerts-that-matter&role=sre/);

  // "Your two jobs": one section per role, whose numbers are each run's own outcome.
  await open(page, `${url}/#/you`);
  await page.locator('#you-sre').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  const delivery = async (seat) => page.locator(`#you-${seat} [data-fact="delivery"] .fact-text`).textContent();
  for (const [seat, run] of [['sre', sre], ['devops', devops]]) {
    const text = await delivery(seat);
    assert.match(text, new RegExp(`: ${run.features} features? in users' hands at the end`), `${seat}: ${text}`);
    assert.match(text, new RegExp(`; ${run.rollbacks} deploys? rolled back`), `${seat}: ${text}`);
  }
  assert.match(await page.locator('#you-sre [data-fact="pages"] .fact-text').textContent(), /The pager|never opened/);
  assert.equal(await page.locator('#you-devops [data-fact="pages"]').count(), 0, 'the DevOps seat carried no pager');
  // Each fact comes with a question, and the page never hands out a verdict.
  const questions = await page.locator('.fact-question strong').allTextContents();
  assert.ok(questions.length >= 8 && questions.every((q) => q.trim().endsWith('?')), questions.join(' | '));
  assert.doesNotMatch(await textOf(page, 'main'), /you are (an|a) (SRE|DevOps)/i);
  await page.locator('#you-print').waitFor();
  const download = page.waitForEvent('download');
  await page.click('#you-save');
  assert.equal((await download).suggestedFilename(), 'ops-dojo-your-two-jobs.txt');
  assert.deepEqual(await axeViolations(page), [], '"your two jobs"');

  // Projector mode and the keyboard: the page reads in large type, links reachable by Tab.
  await open(page, `${url}/#/you?profile=projector`);
  await page.locator('#you-devops').waitFor({ timeout: SIMULATION_TIMEOUT_MS });
  assert.equal(await page.evaluate(() => document.body.classList.contains('projector')), true);
  assert.deepEqual(await axeViolations(page), [], '"your two jobs" in projector mode');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'roles-link');
}, { timeoutMs: 180_000 });

browserTest('the roles page shows pay with its source and date, and a live-it link starts the right run', async (page, url) => {
  await open(page, `${url}/`);
  await page.click('#home-roles-link');
  await page.locator('#pay-table').waitFor();
  assert.match(await textOf(page, '#pay-source'), /Source: Glassdoor, September 2025/);
  assert.match(await textOf(page, '#pay-source'), /US only/);
  const pay = await textOf(page, '#pay-table');
  assert.match(pay, /\$141,000/);
  assert.match(pay, /\$167,000/);
  assert.match(await textOf(page, 'main'), /15 % from 2024 to 2034/);
  assert.deepEqual(await axeViolations(page), [], 'roles page');

  // Projector mode; then the keyboard alone follows the triage point's live-it link.
  await open(page, `${url}/#/roles?profile=projector`);
  await page.locator('#pay-table').waitFor();
  assert.deepEqual(await axeViolations(page), [], 'roles page in projector mode');
  const triage = page.locator('#aspect-triage .live-it a');
  assert.match(await triage.textContent(), /Live it: Night on-call as SRE/);
  await triage.focus();
  await page.keyboard.press('Enter');
  await page.locator('#sim-clock').waitFor();
  assert.match(page.url(), /#\/play\?scenario=night-on-call&role=sre&partner=balanced&seed=1&profile=projector/);
  assert.match(await textOf(page, 'h1'), /Night on-call/);
  assert.match(await textOf(page, '#seat-line'), /on-call SRE for these 4 days/);
});

browserTest('speed keys work after a button was clicked; Space still presses a focused button', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=sre&seed=5`);
  await page.locator('#sim-clock').waitFor();
  await page.click('[data-speed="1m"]'); // the clicked button keeps the focus
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.speed), '1m');
  await page.keyboard.press('3');
  await waitFor(async () => (await page.getAttribute('[data-speed="1h"]', 'aria-pressed')) === 'true',
    ACTION_TIMEOUT_MS, 'key 3 to pick 1 h/s while a button has focus');
  await page.keyboard.press('5');
  await waitFor(async () => (await page.getAttribute('[data-speed="max"]', 'aria-pressed')) === 'true',
    ACTION_TIMEOUT_MS, 'key 5 to pick the top speed');
  // Space on the focused play button presses that button once (not the shortcut as well).
  const before = await page.getAttribute('#btn-play-pause', 'aria-pressed');
  await page.focus('#btn-play-pause');
  await page.keyboard.press(' ');
  await waitFor(async () => (await page.getAttribute('#btn-play-pause', 'aria-pressed')) !== before,
    ACTION_TIMEOUT_MS, 'Space to toggle play once');
});

browserTest('the strip marks the bot\'s actions as the bot\'s, apart from the person\'s', async (page, url) => {
  await open(page, `${url}/#/play?scenario=first-slo&role=devops&partner=ship-fast&seed=42`);
  await page.locator('#sim-clock').waitFor();
  await playToEnd(page);
  const legend = await textOf(page, '.strip-legend');
  assert.match(legend, /your action/);
  assert.match(legend, /the bot's action \(SRE bot, ship fast\)/);
  // The person did nothing: none of the actions marked is theirs.
  assert.equal(await page.locator('#annotation-strip .mark-action').count(), 0);
  await page.locator('.annotation-strip details summary').click();
  const tags = await page.locator('#strip-events li.bot-action .tag').allTextContents();
  const mine = await page.locator('#strip-events li.action').count();
  assert.equal(mine, 0, 'no action in the list is the person\'s');
  assert.ok(tags.length > 0 && tags.every((t) => t === 'Bot'), `the bot acted, tagged as the bot: ${tags.join(',')}`);
  assert.ok(await page.locator('#annotation-strip .mark-bot-action').count() > 0, 'the bot\'s actions marked on the strip');
}, { timeoutMs: 120_000 });

browserTest('progress that cannot be read is set aside, and what can be read stays', async (page, url) => {
  await open(page, `${url}/`);
  const kept = 'ops-dojo progress 1\nfirst-slo\tsre\t1\t2\nthis line is damaged\n';
  await page.evaluate((text) => localStorage.setItem('ops-dojo/progress', text), kept);
  await page.reload();
  await page.locator('#progress-problem').waitFor();
  assert.match(await textOf(page, '#progress-problem'), /line 3/);
  assert.match(await textOf(page, '[data-testid="card-progress-first-slo"]'), /✓ SRE \(1 of 2 objectives met\)/);
  assert.equal(await page.evaluate(() => localStorage.getItem('ops-dojo/damaged/ops-dojo/progress')), kept);
  const download = page.waitForEvent('download');
  await page.click('#progress-save');
  assert.equal((await download).suggestedFilename(), 'ops-dojo-progress.txt');
});
