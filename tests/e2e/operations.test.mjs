// End-to-end tests of the two roles: the SRE's operations on a multi-service scenario (a new
// user opens the retry storm, lets the trigger pass, sees the service stay down, stops the
// retries and watches it recover; picks another service and switches its protections;
// answers the pager; freezes deploys), and the DevOps desk (ships a feature by canary and
// follows it through the pipeline while a bot carries the pager), and playing both.
// Run after building the app: node --test tests/e2e/operations.test.mjs
// (OPS_DOJO_DIST and CHROMIUM_PATH as for app.test.mjs.)

import assert from 'node:assert/strict';
import { axeViolations, browserTest as sharedBrowserTest } from './browser.mjs';

/**
 * A browser test of this file (a fresh 1366×900 page that fails on console errors, page
 * errors and foreign hosts); clicks, locator waits and navigations may take 20 s here.
 */
function browserTest(name, { timeout }, body) {
  sharedBrowserTest(name, body, { timeoutMs: timeout, actionTimeoutMs: 20_000 });
}

/** Availability of the last 5 minutes, as the headline shows it, in percent. */
async function availabilityNow(page) {
  const text = await page.locator('#num-sli-now').textContent();
  return Number.parseFloat(text.replace(/[^0-9.]/g, ''));
}

browserTest('stopping retries ends a retry storm that outlived its trigger', { timeout: 90_000 }, async (page, url) => {
  await page.goto(`${url}/#/play?scenario=retry-storm&role=sre&seed=3`);
  await page.locator('[data-speed="max"]').click();
  // The surge is on Tuesday 10:00–10:05; by 11:00 it is long over.
  await page.waitForFunction(
    () => /Day 2 \(Tue\) · 1[1-9]:/.test(document.querySelector('#sim-clock').textContent),
  );
  await page.locator('#btn-play-pause').click();
  assert.ok((await availabilityNow(page)) < 10, 'an hour after the surge the storm goes on');

  const retries = page.locator('#action-retries');
  assert.equal(await retries.getAttribute('aria-pressed'), 'true');
  await retries.click();
  assert.equal(await retries.getAttribute('aria-pressed'), 'false');
  await page.locator('#event-log li', { hasText: 'Retries switched off' }).first().waitFor();

  // Ten simulated minutes later the service answers again.
  const step = page.locator('#btn-step');
  for (let i = 0; i < 60; i += 1) await step.click();
  await page.waitForFunction(
    () => Number.parseFloat(document.querySelector('#num-sli-now').textContent) > 99,
  );
});

browserTest('an SRE picks a service and switches its protections', { timeout: 60_000 }, async (page, url) => {
  await page.goto(`${url}/#/play?scenario=retry-storm&role=sre&seed=3`);
  const picker = page.locator('#action-service');
  await picker.selectOption({ label: 'orders-db' });
  assert.equal(await page.locator('#num-replicas').textContent(), '2');
  await page.locator('#action-scale-up').click();
  assert.equal(await page.locator('#num-replicas').textContent(), '3');
  await page.locator('#event-log li', { hasText: 'Scaled orders-db from 2 to 3' }).first().waitFor();

  const breaker = page.locator('#action-breaker');
  await breaker.click();
  assert.equal(await breaker.getAttribute('aria-pressed'), 'true');
  const shedding = page.locator('#action-shedding');
  await shedding.click();
  assert.equal(await shedding.getAttribute('aria-pressed'), 'true');
  await page.locator('#event-log li', { hasText: 'Load shedding on orders-db switched on' }).first().waitFor();

  // The entry service has no breaker of its own (its callers are the users).
  await picker.selectOption({ index: 0 });
  assert.equal(await page.locator('#action-breaker').count(), 0);
  assert.equal(await page.locator('#num-replicas').textContent(), '5');
});

browserTest('the on-call acknowledges an incident and the pager counts it', { timeout: 60_000 }, async (page, url) => {
  await page.goto(`${url}/#/play?scenario=first-slo&role=sre&seed=5`);
  // "Skip to next event" runs until something lands in the event log: the first page.
  const skip = page.locator('#btn-skip');
  // A bot plays DevOps: its deploys land in the log too, so it may take many skips.
  for (let i = 0; i < 80 && (await page.locator('#incident-open').count()) === 0; i += 1) {
    await skip.click();
  }
  const incident = page.locator('#incident-open');
  await incident.waitFor();
  assert.match(await incident.textContent(), /Incident #1 open since Day \d/);
  await page.locator('#event-log li', { hasText: 'Incident #1 opened' }).first().waitFor();

  await page.locator('#action-acknowledge').click();
  await page.locator('#event-log li', { hasText: 'Acknowledged incident #1' }).first().waitFor();
  assert.equal(await page.locator('#action-acknowledge').count(), 0, 'acknowledged once');
  assert.match(await page.locator('#incident-stats').textContent(), /1 acknowledged; median time to acknowledge/);

  // Mitigate (the peak passes), then close it: a postmortem first if it spent > 20 %.
  await page.locator('#action-scale-up').click();
  for (let i = 0; i < 80 && (await page.locator('#incident-mitigated').count()) === 0; i += 1) {
    await skip.click();
  }
  await page.locator('#incident-mitigated').waitFor();
  if ((await page.locator('#action-postmortem').count()) > 0) {
    await page.locator('#action-postmortem').click();
    await page.locator('#event-log li', { hasText: 'Postmortem of incident #1 written' }).first().waitFor();
  }
  await page.locator('#action-resolve').click();
  await page.locator('#event-log li', { hasText: 'Resolved incident #1' }).first().waitFor();
  await page.locator('#incident-timeline summary').click();
  assert.match(await page.locator('#incident-timeline').textContent(),
    /#1 paged Day \d.*acknowledged after .* mitigated after .*resolved/);
});

browserTest('a postmortem files action items in the DevOps backlog, and DevOps ships the P0', { timeout: 90_000 }, async (page, url) => {
  // One person in both seats: the SRE writes the postmortem, DevOps picks up its items.
  await page.goto(`${url}/#/play?scenario=night-on-call&role=both&seed=1`);
  const skip = page.locator('#btn-skip');
  for (let i = 0; i < 150 && (await page.locator('#action-postmortem').count()) === 0; i += 1) {
    await skip.click();
  }
  assert.equal(await page.locator('#action-items').count(), 0, 'no items before a postmortem');
  await page.locator('#action-postmortem').click();
  await page.locator('#event-log li', { hasText: /Postmortem of incident #1 written .*action items for DevOps: P0 / }).first().waitFor();
  const items = page.locator('#action-items');
  await items.waitFor();
  assert.match(await items.locator('summary').textContent(), /Postmortem action items \(1 waiting\)/);
  const first = page.locator('#action-item-1');
  assert.equal(await first.textContent(), 'P0 Zone-loss alert and fail-over runbook (4 h)');
  assert.match(await items.textContent(), /Incident #1's postmortem: the next fault of this kind lasts half as long/);
  await first.click();
  await page.locator('#event-log li', { hasText: 'Shipped P0 action item #1' }).first().waitFor();
  assert.equal(await first.textContent(), '✓ P0 Zone-loss alert and fail-over runbook');
  assert.equal(await first.isDisabled(), true, 'shipped once');
  assert.match(await first.getAttribute('title'), /already shipped/);

  // One more key moment, then the rest of the run at full speed: the debrief replays each
  // key moment in a background worker while the page stays usable.
  await page.locator('#action-scale-up').click();
  await page.locator('[data-speed="max"]').click();
  await page.locator('#btn-play-pause').click();
  await page.locator('#run-complete').waitFor({ timeout: 60_000 });
  assert.match(await page.locator('#replays-title').textContent(), /What if\? Your key moments, replayed/);
  const lines = page.locator('#replays-lines li');
  await lines.first().waitFor({ timeout: 60_000 });
  const text = await page.locator('#replays-lines').textContent();
  assert.match(text, /Had you not shipped action item #1 at Day 1 \(Mon\) · \d\d:\d\d, /);
  assert.match(text, /Had you not scaled to \d+ replicas at Day 1 \(Mon\) · \d\d:\d\d, ([\d.]+ % more of the budget would (have gone|be left)|the budget would have ended the same)/);
  assert.match(text, /\((no change in|[\d,]+ (more|fewer)) failed requests/);
});

browserTest('two services fail at once: the pager lists them worst first and marks the one being worked', { timeout: 90_000 }, async (page, url) => {
  // Night on-call, first night: a zone goes dark under payments-api and ledger at 02:30.
  await page.goto(`${url}/#/play?scenario=night-on-call&role=sre&seed=1`);
  const skip = page.locator('#btn-skip');
  for (let i = 0; i < 40 && (await page.locator('#incident-harm').count()) === 0; i += 1) {
    await skip.click();
  }
  const harm = page.locator('#incident-harm li');
  assert.match(await harm.nth(0).textContent(), /^ledger: [\d,]+ requests\/s failing$/);
  assert.match(await harm.nth(1).textContent(), /^payments-api: [\d,]+ requests\/s failing$/);
  await page.locator('#action-acknowledge').click();
  await page.selectOption('#action-service', '1'); // ledger
  await page.locator('#action-failover').click();
  await page.locator('#event-log li', { hasText: 'Failing over ledger' }).first().waitFor();
  assert.match(await harm.nth(0).textContent(), /^ledger: .* \(being worked\)$/);
  assert.doesNotMatch(await harm.nth(1).textContent(), /being worked/);
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], 'axe finds nothing on the pager with two services failing');
});

browserTest('the SRE approves a freeze request from the DevOps bot in the pager', { timeout: 90_000 }, async (page, url) => {
  // budget-policy: the SRE freezes by hand; a ship-fast DevOps bot asks for an exception.
  await page.goto(`${url}/#/play?scenario=budget-policy&role=sre&seed=1&partner=ship-fast`);
  await page.locator('#btn-play-pause').click(); // pause: the player reads first
  await page.locator('#action-freeze').click();
  await page.locator('#event-log li', { hasText: 'Deploys frozen by the SRE' }).first().waitFor();
  const skip = page.locator('#btn-skip');
  for (let i = 0; i < 60 && (await page.locator('#freeze-request').count()) === 0; i += 1) {
    await skip.click();
  }
  const request = page.locator('#freeze-request');
  assert.match(await request.textContent(), /Request #1: ship through the freeze\? DevOps asks to ship "[^"]+" \(all at once\) while deploys are frozen\./);
  await page.locator('#event-log li', { hasText: /Request #1: DevOps asks the SRE for an exception to the freeze/ }).first().waitFor();
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], 'axe finds nothing on the pager with a request');
  await page.locator('#action-approve-request').click();
  await page.locator('#event-log li', { hasText: /Request #1 to ship "[^"]+" during the freeze approved by the SRE, with -?\d+ % of the budget left, burning [\d.]+× over the last hour, (no|an) incident open\. Committed/ }).first().waitFor();
  assert.equal(await request.count(), 0, 'answered: the request leaves the pager');
  assert.match(await page.locator('#action-freeze').textContent(), /frozen \(press to thaw\)/, 'an exception does not thaw deploys');
});

browserTest('a DevOps player ships a feature by canary and follows it through the pipeline', { timeout: 60_000 }, async (page, url) => {
  await page.goto(`${url}/#/play?scenario=first-slo&role=devops&seed=3&partner=budget-guard`);
  await page.locator('#btn-play-pause').click(); // pause: the player reads first
  assert.match(await page.locator('.bot-badge').textContent(), /bot plays SRE: budget guard/);
  // The scenario's objectives, with their live status in words.
  assert.equal(await page.locator('#objectives li').count(), 2);
  assert.match(await page.locator('#objectives').textContent(), /Put 3 features in users' hands — behind: 0 in use/);
  assert.match(await page.locator('#next-feature').textContent(), /Gift cards — value \d+ points, \d+ engineer-hours, defect risk \d+ %/);
  await page.locator('label[for="strategy-canary"]').click();
  assert.match(await page.locator('#ship-note').textContent(), /in production in 1 h 30 min/);
  await page.locator('#action-ship').click();
  await page.locator('#event-log li', { hasText: 'Committed "Gift cards"' }).first().waitFor();
  assert.match(await page.locator('#deploys').textContent(), /#1 Gift cards\s*build/);
  // One change at a time: the button waits for the pipeline and says why.
  assert.equal(await page.locator('#action-ship').isDisabled(), true);
  assert.match(await page.locator('#ship-note').textContent(), /pipeline takes one change at a time/);
  // 40 minutes of build and test later, the canary serves 5 % of requests.
  await page.locator('[data-speed="1h"]').click();
  await page.locator('#btn-play-pause').click();
  await page.locator('#event-log li', { hasText: 'Deploy #1 canary: 5 % of requests' }).first().waitFor();
  await page.locator('#event-log li', { hasText: /Deploy #1 (passed canary analysis|stopped)|Canary analysis stopped deploy #1/ }).first().waitFor();
  await page.locator('#outcomes').getByText(/Delivery \(DORA\)/).waitFor();
});

browserTest('an SRE freezes deploys, and the DevOps bot may not ship', { timeout: 60_000 }, async (page, url) => {
  await page.goto(`${url}/#/play?scenario=first-slo&role=sre&seed=3`);
  await page.locator('#btn-play-pause').click();
  const freeze = page.locator('#action-freeze');
  assert.equal(await freeze.getAttribute('aria-pressed'), 'false');
  await freeze.click();
  assert.equal(await freeze.getAttribute('aria-pressed'), 'true');
  await page.locator('#event-log li', { hasText: 'Deploys frozen by the SRE' }).first().waitFor();
  // The SRE does not ship features: that desk belongs to the DevOps bot.
  assert.equal(await page.locator('#action-ship').count(), 0);
  await freeze.click();
  await page.locator('#event-log li', { hasText: 'Deploys thawed by the SRE' }).first().waitFor();
});

browserTest('playing both roles from the home page gives both desks and no bot', { timeout: 60_000 }, async (page, url) => {
  await page.goto(`${url}/#/`);
  await page.locator('[data-testid="scenario-card-first-slo"] button').click();
  await page.locator('label[for="role-sre"]').click();
  await page.locator('#partner-policy').selectOption('ship-fast');
  await page.locator('label[for="role-both"]').click();
  assert.equal(await page.locator('#partner-policy').count(), 0, 'no bot to pick when you play both');
  await page.locator('#start-run').click();
  await page.locator('#actions-title', { hasText: 'DevOps + SRE' }).waitFor();
  assert.equal(await page.locator('.bot-badge').count(), 0);
  await page.locator('#action-ship').waitFor();
  await page.locator('#action-scale-up').waitFor();
  assert.match(await page.locator('#team-hours').textContent(), /DevOps: [\d.]+ engineer-hours free \(4 engineers\) · SRE: [\d.]+ engineer-hours free \(2 engineers\)/);
});

browserTest('the guide shows each step when it happens, and the debrief tells the run back', { timeout: 90_000 }, async (page, url) => {
  await page.goto(`${url}/#/play?scenario=first-slo&role=both&seed=3`);
  await page.locator('#btn-play-pause').click();
  const guide = page.locator('#guidance-now');
  assert.match(await guide.textContent(), /Before you press anything/);
  // The hint stays closed until asked for.
  assert.equal(await page.locator('#guidance-now details.hint').getAttribute('open'), null);
  await page.locator('#guidance-now details.hint summary').click();
  assert.match(await guide.textContent(), /What is this\?/);

  // Ship a feature all at once, then let the week play out.
  await page.locator('label[for="strategy-all_at_once"]').click();
  await page.locator('#action-ship').click();
  await page.locator('[data-speed="max"]').click();
  await page.locator('#btn-play-pause').click();
  // By the afternoon the time step has replaced the first one; the first sits below.
  await page.locator('#guidance-now', { hasText: 'Afternoon: traffic is climbing' }).waitFor();
  await page.locator('#run-complete').waitFor({ timeout: 60_000 });
  const debrief = page.locator('#debrief');
  assert.match(await page.locator('#debrief-objectives').textContent(), /Put 3 features in users' hands — missed \(\d in use\)/);
  // Nobody answered the pages: the key moments list the incidents with what they cost.
  assert.match(await page.locator('#debrief-moments').textContent(), /Incident #1 paged.* failed requests, [\d.]+ % of the error budget spent/);
  assert.match(await page.locator('#debrief-what-if').textContent(), /never acknowledged/);
  assert.match(await page.locator('#debrief-reflection').textContent(), /Your one action was delivery work/);
  assert.match(await debrief.textContent(), /Concepts in this run/);
  // The par on this seed, worked out in a background worker: nobody acting misses both
  // objectives, the expert meets both, and a sentence places this run between them.
  assert.match(await page.locator('#par-title').textContent(), /Par on seed 3/);
  await page.locator('#par-table').waitFor({ timeout: 60_000 });
  assert.match(await page.locator('#par-hands-off').textContent(), /Nobody acting.*0 of 2/);
  assert.match(await page.locator('#par-expert').textContent(), /Expert.*2 of 2/);
  assert.match(await page.locator('#par-you').textContent(), /You.*[0-2] of 2/);
  assert.match(await page.locator('#par-verdict').textContent(), /the expert met all 2|as the expert did/);
});

browserTest('a teacher loads a scenario file: mistakes are shown with line and column, a good file plays', { timeout: 60_000 }, async (page, url) => {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { REPO_ROOT } = await import('./browser.mjs');
  const good = (await fs.readFile(path.join(REPO_ROOT, 'scenarios', 'first-slo.toml'), 'utf8'))
    .replace('id = "first-slo"', 'id = "class-slo"')
    .replace('title = "First SLO"', 'title = "Class SLO <b>bold</b>"');
  await page.goto(`${url}/#/`);
  const upload = (name, text) => page.locator('#scenario-file').setInputFiles({
    name, mimeType: 'text/plain', buffer: Buffer.from(text),
  });
  await upload('broken.toml', good.replace('target = 0.999', 'target = 1.5'));
  const result = page.locator('#scenario-load-result');
  await result.waitFor();
  assert.match(await result.textContent(), /^broken\.toml:\d+:10: expected a target between 0 and 1/);

  await upload('class.toml', good);
  await page.locator('#scenario-load-result', { hasText: 'Loaded "Class SLO <b>bold</b>" from class.toml' }).waitFor();
  // Text from a file is text: the markup shows as written, no element is made of it.
  const card = page.locator('[data-testid="scenario-card-class-slo"]');
  assert.match(await card.locator('h3').textContent(), /<b>bold<\/b>/);
  assert.equal(await card.locator('h3 b').count(), 0);
  await page.locator('#start-run').click();
  await page.locator('h1', { hasText: 'Class SLO' }).waitFor();
  // The link works after a reload: the scenario is kept in this browser.
  await page.reload();
  await page.locator('h1', { hasText: 'Class SLO' }).waitFor();
});
