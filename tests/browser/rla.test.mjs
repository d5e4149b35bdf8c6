// rla.test.mjs: the risk-limiting audit's pages in headless Chromium. Usage:
//   node rla.test.mjs BASE_URL ELECTION
// Opens the national page (#/rla) and one commune's (#/rla/010201) of an
// audit tests/e2e/rla_page.sh ran, checks the figures shown, and fails on any
// console error.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const [base, election] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const errors = [];
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(`${base}/?election=${election}#/rla`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.waitForSelector('[data-table="rla-communes"]');
  assert.equal((await page.textContent('[data-card="rla-confirmed"] .v')).trim(), '1');
  assert.equal((await page.textContent('[data-card="rla-full"] .v')).trim(), '1');
  assert.match(await page.textContent('[data-rla="head"]'), /Risk limit 0\.05, seed \d{20}/);
  console.log('ok - the national page: 1 confirmed, 1 full hand count');
  await page.click('[data-table="rla-communes"] a');
  await page.waitForSelector('[data-table="rla-assertions-010201"]');
  assert.equal((await page.textContent('[data-rla="stage"]')).trim(), 'confirmed');
  assert.match(await page.textContent('[data-rla="progress"]'), /150 ballots read of a sample of 150/);
  assert.match(await page.textContent('[data-table="rla-assertions-010201"]'), /★/);
  console.log('ok - a commune: stage, progress, assertions with the binding one');
  assert.deepEqual(errors, [], 'no console errors');
  console.log('ok - no console errors');
} catch (e) {
  console.error('not ok - ' + (e && e.stack || e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
