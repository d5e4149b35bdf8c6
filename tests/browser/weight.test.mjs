// weight.test.mjs BASE: what a first visit transfers, measured in headless
// Chromium (bytes on the wire, after compression): the overview at most
// 200 KB, the map page at most 600 KB, on the national demo (1,646 communes).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.argv[2];
const budgets = [['#/', 200], ['#/map', 600]];
const browser = await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox']});
try {
  for (const [page, kb] of budgets) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Network.enable');
    let bytes = 0;
    cdp.on('Network.loadingFinished', e => { bytes += e.encodedDataLength; });
    await p.goto(`${base}/${page}`);
    await p.waitForSelector('body[data-ready]');
    await p.waitForLoadState('networkidle');
    const got = Math.round(bytes / 1024);
    console.log(`${page}: ${got} KB transferred (budget ${kb} KB)`);
    assert.ok(got <= kb, `${page} transfers ${got} KB, more than ${kb} KB`);
    await ctx.close();
  }
  console.log('ok - first visits within their transfer budgets');
} catch (e) {
  console.error('not ok - ' + (e && e.stack || e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
