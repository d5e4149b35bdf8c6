// dashboard.test.mjs: the dashboard in headless Chromium. Usage:
//   node dashboard.test.mjs BASE_URL PASSWORD SCREENSHOT_DIR
// Opens the overview, drills down to a commune, switches to Khmer, moves the
// map's date slider across the 2017 dissolution and sees the commune change
// colour, then two clerks key one form twice (agreeing) and another
// (disagreeing) and the coordinator resolves it. Every page, at desktop and
// phone widths and in both languages, is saved as a screenshot and checked
// by axe-core (no serious or critical violation); search works by keyboard
// and finds people; another country's map is framed on its own councils.
// Any console error fails the test.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const [base, password, shots, other] = process.argv.slice(2);
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const errors = [];
let step = 0;

async function newPage(width = 1280, lang = null) {
  // bypassCSP: axe-core is put into the page from outside (the page's own
  // policy allows only its own scripts, rightly)
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true, bypassCSP: true });
  if (lang) await ctx.addInitScript(l => localStorage.setItem('khum-lang', l), lang);
  const page = await ctx.newPage();
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  return page;
}
async function shot(page, name) {
  await page.screenshot({ path: `${shots}/${String(++step).padStart(2, '0')}-${name}.png`, fullPage: true });
}
async function visible(page, sel) {
  assert.ok(await page.locator(sel).first().isVisible(), `${sel} is visible`);
}
async function ready(page, url) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.waitForSelector('main:not([aria-busy])');
}
const ok = msg => console.log('ok - ' + msg);

try {
  // 1. The overview of the 2017 story.
  let page = await newPage();
  await ready(page, `${base}/?election=kh-news-2017#/`);
  await visible(page, '#election-hash');
  assert.match(await page.textContent('#election-hash'), /^[0-9a-f]{4}-/);
  assert.equal(await page.textContent('#status'), 'official');
  await visible(page, '[data-card="turnout"]');
  assert.match(await page.textContent('[data-table="parties-nation"]'), /CNRP/);
  await visible(page, 'figure.chart svg');
  assert.ok((await page.$$('figure.chart svg .axis [data-tick]')).length >= 2, 'the seat chart has an axis with ticks');
  assert.match(await page.textContent('[data-bar="CNRP"] title'), /CNRP: 3 seats, 1,500 votes/);
  await shot(page, 'overview');
  ok('overview: hash, status, cards, party table and seat chart');

  // A table downloads as CSV.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv="parties-nation"]')]);
  const csv = await (await import('node:fs/promises')).readFile(await dl.path(), 'utf8');
  assert.match(csv, /^party,votes,share,seats,chiefs\r\n/);
  ok('a table downloads as CSV');

  // 2. Drill down: province, district, commune.
  await page.click('[data-table="provinces"] a');
  await page.waitForSelector('[data-table^="districts-"]');
  await page.click('[data-table^="districts-"] a');
  await page.waitForSelector('[data-table^="communes-"]');
  await page.click('[data-table^="communes-"] a');
  await page.waitForSelector('[data-table="protocol-010201"]');
  await visible(page, 'nav.crumbs');
  await visible(page, '[data-table="council-010201"]');
  await visible(page, '[data-table="timeline-010201"]');
  await visible(page, '[data-table="forms-010201"]');
  assert.match(await page.textContent('[data-table="timeline-010201"]'), /2017/);
  await shot(page, 'commune');
  ok('drill-down to commune 010201: protocol, council, timeline, forms');

  // The council on a day of the mandate: over since 2022, so its last day,
  // said beside the heading; the picker is bounded by the mandate and
  // another day redraws the council (the CNRP chief before the dissolution).
  assert.ok(await page.isVisible('[data-clamped]'), 'the mandate is over: said');
  assert.equal(await page.getAttribute('#council-date', 'max'), await page.getAttribute('#council-section', 'data-date'));
  assert.equal(await page.getAttribute('#council-date', 'min'), '2017-06-04');
  await page.fill('#council-date', '2017-07-01');
  await page.waitForSelector('#council-section[data-date="2017-07-01"]');
  assert.match(await page.textContent('[data-table="council-010201"]'), /CNRP|Cambodia National Rescue/);
  ok('the council on a day picked within the mandate');

  // Search by Khmer name: the suggestion list offers it, Enter opens it.
  await page.goto(`${base}/?election=kh-news-2017#/`);
  await page.waitForSelector('main:not([aria-busy])');
  const search = async (q, hash) => {
    await page.fill('#search', q);
    await page.waitForSelector('#search-list [role="option"]');
    await page.press('#search', 'Enter');
    await page.waitForFunction(hh => location.hash === hh, hash);
  };
  await search('បន្ទាយនាង', '#/commune/010201');
  await page.waitForSelector('[data-table="protocol-010201"]');
  ok('search by Khmer name finds Banteay Neang');

  // The nation is named by the gazetteer's country (KH-1 ...: Cambodia).
  assert.equal(await page.textContent('nav.crumbs a'), 'Cambodia');

  // Search every level: a province by its name (not a commune whose name
  // begins the same), a district, a station's code leads to its commune.
  await search('Banteay Meanchey', '#/area/01');
  await search('mongkol borey', '#/area/0102');
  await search('010201-02', '#/commune/010201');
  await page.fill('#search', 'Banteay');
  await page.waitForSelector('#search-list [role="option"]');
  const offered = await page.$$eval('#search-list [role="option"]', os => os.map(o => o.textContent));
  assert.ok(offered.some(o => /Province/.test(o)) && offered.some(o => /Commune/.test(o)), `levels offered: ${offered}`);
  ok('search finds provinces, districts, communes and stations');

  // People: a councillor by name, Latin or Khmer, opens their commune.
  await page.fill('#search', 'candidate 1 of cpp');
  await page.waitForSelector('#search-list [data-person="CPP-1"]');
  await page.press('#search', 'ArrowDown');
  assert.equal(await page.getAttribute('#search', 'aria-activedescendant'),
               await page.getAttribute('#search-list [role="option"]', 'id'));
  await page.fill('#search', 'សុខ ចាន់');
  await page.waitForSelector('#search-list [data-person="CPP-1"]');
  await page.click('#search-list [data-person="CPP-1"]');
  await page.waitForFunction(() => location.hash === '#/commune/010201');
  ok('search finds a person by Latin or Khmer name and opens their commune');

  // By keyboard alone: Tab to the search box, type, ArrowDown to a
  // suggestion, Enter opens it.
  await page.goto(`${base}/?election=kh-news-2017#/parties`);
  await page.waitForSelector('main:not([aria-busy])');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  let tabs = 0;
  while (tabs++ < 20 && await page.evaluate(() => document.activeElement.id) !== 'search') await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search', 'Tab reaches the search box');
  await page.keyboard.type('Mongkol');
  await page.waitForSelector('#search-list [role="option"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#/area/0102');
  ok(`by keyboard: ${tabs} Tab presses to the search box, a suggestion, Enter opens it`);

  // 3. Khmer.
  await page.goto(`${base}/?election=kh-news-2017#/commune/010201`);
  await page.waitForSelector('[data-table="timeline-010201"]');
  await page.click('#lang');
  await page.waitForSelector('html[lang="km"]');
  await page.waitForSelector('main:not([aria-busy])');
  assert.match(await page.textContent('header nav'), /ទិដ្ឋភាពទូទៅ/);
  assert.match(await page.textContent('[data-card="registered"] .v'), /^[០-៩,]+$/, 'Khmer digits');
  assert.match(await page.textContent('[data-table="timeline-010201"]'), /វិច្ឆិកា/, 'Khmer month names');
  assert.equal(await page.textContent('nav.crumbs a'), 'កម្ពុជា', 'the nation in Khmer');
  // The ledger's reasons in Khmer too (by their codes, not the English text).
  const km = await page.textContent('[data-table="timeline-010201"]');
  assert.match(km, /ការលាលែង/, 'a resignation, in Khmer');
  assert.match(km, /បេក្ខជនបន្ទាប់នៃបញ្ជីដដែល/, 'the next candidate of the list, in Khmer');
  assert.doesNotMatch(km + await page.textContent('[data-table="council-010201"]'),
                      /next candidate|next sitting|posts derived|party dissolved|resign|defect/, 'no English reason left');
  await shot(page, 'khmer');
  await page.click('#lang');
  await page.waitForSelector('html[lang="en"]');
  ok('language switches to Khmer (strings and digits) and back');

  // 2017's story: the dissolution beside CNRP's polling-day seats, and on its
  // chart (a marker, an axis with real ticks); unknown addresses say so.
  await page.goto(`${base}/?election=kh-news-2017#/`);
  await page.waitForSelector('[data-table="parties-nation"] [data-dissolved="2017-11-16"]');
  await page.goto(`${base}/?election=kh-news-2017#/party/CNRP`);
  await page.waitForSelector('p[data-dissolved="2017-11-16"]');
  await page.waitForSelector('svg [data-mark="2017-11-16"]', {state: 'attached'});  // a line: no area
  assert.ok((await page.$$('svg [data-tick]')).length >= 3, 'the y axis has ticks between 0 and the top');
  await shot(page, 'party-cnrp');
  await page.goto(`${base}/?election=kh-news-2017#/party/CPP`);
  await page.waitForSelector('[data-chart="defections"] svg');
  await page.goto(`${base}/?election=kh-news-2017#/parties`);
  await page.waitForSelector('main:not([aria-busy])');
  assert.equal((await page.$$('main figure.chart svg')).length, 2, 'seats and chiefs per party over the mandate');
  await page.goto(`${base}/?election=kh-news-2017#/party/XYZ`);
  await page.waitForSelector('[data-notfound]');
  assert.match(await page.textContent('main'), /XYZ/);
  await page.goto(`${base}/?election=kh-news-2017#/nothing`);
  await page.waitForSelector('[data-notfound]');
  ok('CNRP dissolved 16 Nov 2017: said in the table and marked on its chart; unknown pages say not found');

  // Counting in progress: nothing reported is "—", not 0 and 0.00 %; the
  // election line says how far the count has come; a choice of election.
  await page.goto(`${base}/?election=kh-test-2022#/`);
  await page.waitForSelector('[data-table="provinces"]');
  assert.equal((await page.textContent('[data-card="registered"] .v')).trim(), '—');
  assert.match(await page.textContent('[data-table="provinces"] tbody'), /—/);
  assert.doesNotMatch(await page.textContent('[data-table="provinces"] tbody'), /0\.00 %/);
  assert.equal(await page.getAttribute('#progress', 'data-reported'), '0');
  assert.equal(await page.getAttribute('#progress', 'data-expected'), '3');
  assert.equal((await page.$$('#election-pick option')).length, 3);
  await page.selectOption('#election-pick', 'kh-news-2017');
  await page.waitForURL(/election=kh-news-2017/);
  await page.waitForSelector('#progress[data-reported="1"]');
  ok('counting in progress: no figure before a form, x of y stations, a choice of election');

  // 4. The map across the dissolution.
  await page.goto(`${base}/?election=kh-news-2017#/map`);
  await page.waitForSelector('circle[data-commune="010201"]');
  const colourOn = async day => {
    await page.evaluate(d => {
      const s = document.getElementById('map-slider');
      s.value = String(Math.round((Date.parse(d) - Date.parse(s.dataset.from)) / 864e5));
      s.dispatchEvent(new Event('input'));
    }, day);
    assert.equal(await page.getAttribute('#map-date', 'data-date'), day);
    return page.getAttribute('circle[data-commune="010201"]', 'data-party');
  };
  assert.equal(await colourOn('2017-07-01'), 'CNRP');
  await shot(page, 'map-before');
  assert.equal(await colourOn('2017-12-01'), 'CPP');
  await shot(page, 'map-after');
  // A tap 10 px beside a commune's dot still opens it (a 24 px target).
  const dot = await page.locator('circle[data-commune="010201"]').boundingBox();
  await page.mouse.click(dot.x + dot.width / 2 + 10, dot.y + dot.height / 2);
  await page.waitForFunction(() => location.hash === '#/commune/010201');
  ok('map: commune 010201 turns from CNRP to CPP across 16 Nov 2017');

  // A commune without a centroid is drawn at its district's, hollow, and counted.
  await page.goto(`${base}/?election=kh-test-2022#/map`);
  await page.waitForSelector('circle[data-commune="010202"].approx');
  assert.equal(await page.getAttribute('#map-approx', 'data-approx'), '1');
  assert.equal(await page.getAttribute('#map-approx', 'data-unplaced'), '0');
  ok('map: a commune without a centroid is placed at its district, marked and counted');

  // A tied redistribution waits for lots: the commune page says so.
  await ready(page, `${base}/?election=kh-tie-2017#/commune/010201`);
  await visible(page, '[data-pending-lots]');
  assert.match(await page.textContent('[data-pending-lots]'), /CPP = FUNCINPEC|FUNCINPEC = CPP/);
  await shot(page, 'pending-lots');
  ok('commune page: a tied redistribution waits for lots');

  // Phone width.
  const phone = await newPage(390);
  await ready(phone, `${base}/?election=kh-news-2017#/commune/010201`);
  await visible(phone, '[data-table="protocol-010201"]');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scroll at phone width (${overflow})`);
  await shot(phone, 'phone');
  ok('phone width: no horizontal scrolling');

  // 5. Two clerks key one form twice (agree), another (disagree); the coordinator resolves.
  const login = async (user, station, wait) => {
    const p = await newPage();
    await ready(p, `${base}/?election=kh-test-2022#/entry`);
    await p.fill('#login-user', user);
    await p.fill('#login-password', password);
    await p.click('#login-submit');
    await p.waitForSelector('#station');
    await p.goto(`${base}/?election=kh-test-2022#/entry/${station}`);
    await p.waitForSelector(wait);
    return p;
  };
  const key = async (user, station, f) => {
    const p = await login(user, station, '#entry-form');
    for (const [k, v] of Object.entries(f)) await p.fill(`#f-${k.replace(':', '-')}`, String(v));
    await p.click('#save-entry');
    await p.waitForSelector('[data-result], [data-error]');
    return p;
  };
  const F1 = { registered: 500, received: 510, cast: 400, spoiled: 2, unused: 108, valid: 390, invalid: 10,
               'votes:CPP': 200, 'votes:CNRP': 150, 'votes:FCP': 40 };
  // The first clerk keys in Khmer digits (one figure mixed), the second in Latin ones.
  const khmer = n => String(n).replace(/[0-9]/g, d => '០១២៣៤៥៦៧៨៩'[d]);
  const F1km = Object.fromEntries(Object.entries(F1).map(([k, v]) => [k, khmer(v)]));
  F1km.unused = '១០8';
  // A results page left open follows the count without a reload.
  const live = await newPage();
  await ready(live, `${base}/?election=kh-test-2022&refresh=1#/`);
  assert.equal(await live.getAttribute('#progress', 'data-reported'), '0');
  let p1 = await key('clerk1', '010201-01', F1km);
  assert.equal(await p1.getAttribute('[data-result]', 'data-result'), 'first-entered');
  let p2 = await key('clerk2', '010201-01', F1);
  assert.equal(await p2.getAttribute('[data-result]', 'data-result'), 'accepted');
  await shot(p2, 'entries-agree');
  ok('two clerks agree (Khmer digits and Latin digits): the form is accepted');
  await live.waitForSelector('#progress[data-reported="1"]', {timeout: 10000});
  assert.notEqual((await live.textContent('[data-card="registered"] .v')).trim(), '—');
  ok('an open results page shows the accepted form without a reload');

  // An inline check shows while typing.
  const p3 = await login('clerk1', '010201-02', '#entry-form');
  await p3.fill('#f-valid', '294');
  await p3.fill('#f-votes-CPP', '1');
  await p3.waitForSelector('#local-checks [data-code="F.102"]');
  ok('inline check F.102 appears while typing');
  await p3.fill('#f-cast', '300');
  await p3.fill('#f-blank', '301');
  await p3.waitForSelector('#local-checks [data-code="F.114"]');
  await p3.fill('#f-blank', '');
  ok('inline check F.114: more blank ballots than cast');

  const F2 = { registered: 400, received: 410, cast: 300, spoiled: 0, unused: 110, valid: 294, invalid: 6,
               'votes:CPP': 150, 'votes:CNRP': 100, 'votes:FCP': 44 };
  p1 = await key('clerk1', '010201-02', F2);
  p2 = await key('clerk2', '010201-02', Object.assign({}, F2, { 'votes:CPP': 140, 'votes:CNRP': 110 }));
  assert.equal(await p2.getAttribute('[data-result]', 'data-result'), 'entries-different');
  ok('two clerks disagree: entries differ');

  const pc = await login('coord', '010201-02', '[data-action="keep-first"]');
  await visible(pc, '[data-table="entries-010201-02"]');
  // The queue lists the form whose entries differ; a decision asks for a reason.
  await pc.waitForSelector('#worklist [data-work="entries-different"] a[href="#/entry/010201-02"]');
  await shot(pc, 'coordinator');
  await pc.click('[data-action="keep-first"]');
  await pc.waitForSelector('[role="alert"]');
  assert.equal(await pc.getAttribute('#form-state', 'data-state'), 'entries-different', 'no reason: nothing decided');
  await pc.fill('#resolve-reason', 'the first entry matches the paper form');
  await pc.click('[data-action="keep-first"]');
  await pc.waitForSelector('#form-state[data-state="accepted"]');
  await shot(pc, 'resolved');
  ok('the coordinator keeps the first entry: accepted');

  // Every page at both widths in both languages: a screenshot each, and
  // axe-core's rules with no serious or critical violation.
  const pages = [['overview', '#/'], ['province', '#/area/01'], ['district', '#/area/0102'],
    ['commune', '#/commune/010201'], ['map', '#/map'], ['parties', '#/parties'], ['party', '#/party/CNRP'],
    ['entry', '#/entry'], ['notfound', '#/nothing']];
  // (KHUM_PAGES=0 leaves this out: dashboard.sh runs it on one backend,
  // since the pages are the same on both)
  const matrix = process.env.KHUM_PAGES === '0' ? [] : [[1280, 'desktop'], [390, 'phone']];
  for (const lang of ['en', 'km']) for (const [width, wname] of matrix) {
    const pg = await newPage(width, lang);
    await ready(pg, `${base}/?election=kh-news-2017#/`);
    await pg.evaluate(axeSource);
    for (const [name, hash] of pages) {
      // within the page, as a reader moves (a new document per page would
      // cost the test minutes): the hash changes, the view is drawn
      await pg.evaluate(hh => new Promise(done => {
        if (location.hash === hh) return done();
        window.addEventListener('hashchange', () => setTimeout(done, 0), { once: true });
        location.hash = hh;
      }), hash);
      await pg.waitForSelector('main:not([aria-busy])');
      const res = await pg.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
      const bad = res.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
      console.log(`axe ${name} ${wname} ${lang}: ${res.violations.length} violations, `
        + `${bad.length} serious or critical${res.violations.length ? ' (' + res.violations.map(v => `${v.id}:${v.impact}`).join(', ') + ')' : ''}`);
      assert.deepEqual(bad.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(' ')})`), [],
                       `axe on ${name} ${wname} ${lang}`);
      if (wname === 'phone') {  // tap targets of 24 px at least (WCAG 2.5.8)
        const small = await pg.$$eval('a, button, input, select, [role="option"]', els => els
          .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
          .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])
          .filter(([, hgt]) => hgt < 24));
        assert.deepEqual(small, [], `targets under 24 px on ${name} ${lang}`);
      }
      await pg.screenshot({ path: `${shots}/page-${name}-${wname}-${lang}.png`, fullPage: true });
    }
    await pg.context().close();
  }
  if (matrix.length) ok('every page at desktop and phone width in English and Khmer: screenshots, no serious axe violation');

  // Another country's election: the map is framed on its own councils
  // (Portugal-like longitudes) and draws no Cambodian province.
  if (other) {
    const pg = await newPage();
    await ready(pg, `${other}/#/map`);
    await pg.waitForSelector('#map circle[data-commune]');
    const [w, s0, e, n] = (await pg.getAttribute('#map svg', 'data-frame')).split(',').map(Number);
    assert.ok(w > -10 && e < -5 && s0 > 36 && n < 43, `framed on the councils: ${w},${s0},${e},${n}`);
    assert.equal((await pg.$$('#map path')).length, 0, 'no Cambodian province drawn');
    await pg.screenshot({ path: `${shots}/page-map-other-country.png`, fullPage: true });
    // its nation is not called Cambodia: its gazetteer names no country
    await pg.goto(`${other}/#/area/03`);
    await pg.waitForSelector('nav.crumbs');
    assert.match(await pg.textContent('nav.crumbs a'), /^Nation$/);
    ok('another country\'s map is framed on its own councils; its nation is not called Cambodia');
  }

  assert.deepEqual(errors, [], 'no console errors');
  ok('no console errors');
} catch (e) {
  console.error('not ok - ' + (e && e.stack || e));
  console.error('console errors:', errors);
  process.exitCode = 1;
} finally {
  await browser.close();
}
