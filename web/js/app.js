/* app.js: start-up and routing. Loads the election (the only one, or
   ?election=ID), the parties and the communes (for names and search), then
   shows the view the #fragment names; every view shows the election's short
   hash and whether its figures are provisional or official. */
'use strict';

const App = {id: null, election: null, communes: [], names: {}, mandate: null, session: null};

async function loadElection() {
  const want = new URLSearchParams(location.search).get('election');
  const list = await api('/elections');
  if (!list.elections.length) throw new Error('no election in this database');
  App.elections = list.elections;
  App.id = want || list.elections[list.elections.length - 1].id;
  App.election = await api(`/elections/${App.id}`);
  App.loadedAt = new Date();
  await Parties.load();
  const c = await api(`/elections/${App.id}/communes`);
  App.communes = c.communes;
  const areas = await api(`/elections/${App.id}/areas`);
  App.nation = areas;  /* the nation as the API names it (crumbs, the nation's row) */
  for (const p of areas.children) App.names[p.code] = p;
  for (const x of App.communes) App.names[x.code] = x;
  const provs = await Promise.all(areas.children.map(p => api(`/elections/${App.id}/areas/${p.code}`)));
  for (const p of provs) for (const d of p.children) App.names[d.code] = d;
}

/* The election's line: which election (a choice when several are stored),
   its hash and status, and how far the count has come: stations reported of
   expected, as of when these figures were read. */
function electionLine() {
  const e = App.election, line = document.getElementById('election-line');
  const status = e.status === 'official' ? 'official' : 'provisional';
  const which = (App.elections || []).length > 1
    ? h('select', {id: 'election-pick', 'aria-label': I18N.t('election'),
                   onchange: ev => { location.search = '?election=' + encodeURIComponent(ev.target.value); }},
        App.elections.map(x => h('option', {value: x.id, selected: x.id === App.id}, `${x.name || x.id} · ${I18N.date(x.date)}`)))
    : `${e.name || e.id} · ${I18N.date(e.date)}`;
  const asOf = App.loadedAt ? App.loadedAt.toTimeString().slice(0, 5) : '';
  render(line, h('span', {}, `${I18N.t('election')}: `), which, h('span', {}, ` · ${I18N.t('hash')} `),
    h('code', {id: 'election-hash', title: e.hash, lang: 'en'}, e.hash_short), ' ',
    h('span.badge.' + status, {id: 'status'}, I18N.t(status)),
    h('span', {id: 'progress', 'data-reported': e.stations_reported, 'data-expected': e.stations},
      ` · ${I18N.num(e.stations_reported)} ${I18N.t('of')} ${I18N.num(e.stations)} ${I18N.t('stationsReported')}`
      + (asOf ? ` · ${I18N.t('asOf')} ${I18N.digits(asOf)}` : '')));
  const banner = document.getElementById('banner');
  banner.hidden = !e.synthetic;
  banner.textContent = I18N.t('synthetic');
}

/* Every place of the election, for the search box: provinces, districts
   (where the tree has them) and communes, each with its level and code. */
function places() {
  return Object.values(App.names).filter(x => x && x.code && x.level >= 1 && x.level <= 3);
}

/* The place a query names: a code (a station's leads to its commune), then an
   exact name at the highest level (Phnom Penh the province, not Phnom Penh
   Thmei the commune), then a name that contains the query. */
function findPlace(q) {
  const raw = q.trim(), s = raw.toLowerCase();
  if (!s) return null;
  const all = places().sort((x, y) => x.level - y.level);
  for (const word of raw.split(/[\s·]+/).reverse()) {
    const byCode = all.find(x => x.code === word);
    if (byCode) return byCode;
    const station = App.communes.find(c => word.startsWith(c.code + '-'));
    if (station) return station;
  }
  const name = raw.split(' · ')[0].trim().toLowerCase();
  return all.find(x => x.name.toLowerCase() === name || x.name_km === raw)
    || all.find(x => x.name.toLowerCase().includes(name) || (x.name_km && x.name_km.includes(raw)));
}

/* A place's page: a commune's own, an area's drill-down. */
function placeHash(x) { return (x.level === 3 ? '#/commune/' : '#/area/') + x.code; }

/* Places whose name (Latin in any case, or Khmer) or code contains the
   query, the highest levels and names that begin with it first. */
function placesMatching(q) {
  const s = q.trim().toLowerCase();
  if (!s) return [];
  const hit = x => x.name.toLowerCase().includes(s) || (x.name_km && x.name_km.includes(q.trim()))
    || x.code.toLowerCase().startsWith(s) || (x.level === 3 && s.startsWith(x.code.toLowerCase() + '-'));  /* a station */
  const starts = x => x.name.toLowerCase().startsWith(s) ? 0 : 1;
  return places().filter(hit).sort((x, y) => starts(x) - starts(y) || x.level - y.level || (x.name < y.name ? -1 : 1));
}

/* The search box: a combobox whose list suggests places (every level) and,
   from the API, people by name; arrows move through it, Enter or a click
   opens the chosen one (Enter alone: the best place, as findPlace reads the
   query), Escape closes it. */
const Search = {
  items: [], active: -1, asked: 0,
  input() { return document.getElementById('search'); },
  list() { return document.getElementById('search-list'); },
  async suggest() {
    const q = this.input().value, ask = ++this.asked;
    const found = placesMatching(q).slice(0, 8).map(x => ({href: placeHash(x),
      text: `${areaName(x)} · ${I18N.t(['', 'province', 'district', 'commune'][x.level] || 'area')} · ${x.code}`}));
    this.show(found);
    if (q.trim().length < 2) return;
    const ppl = await api(`/elections/${App.id}/people?q=${encodeURIComponent(q.trim())}`).catch(() => ({people: []}));
    if (ask !== this.asked) return;  /* a later keystroke asked again */
    this.show(found.concat(ppl.people.slice(0, 8).map(p => ({href: '#/commune/' + p.commune, person: p.person,
      text: `${I18N.lang === 'km' && p.name_km ? p.name_km : p.name || p.name_km} · ${Parties.name(p.party)} · `
        + `${areaName(App.names[p.commune]) || p.commune_name}`}))));
  },
  show(items) {
    this.items = items;
    this.active = -1;
    const list = this.list(), input = this.input();
    render(list, ...items.map((it, i) => h('li', {role: 'option', id: 'search-opt-' + i, 'aria-selected': 'false',
      'data-person': it.person || null, onmousedown: e => { e.preventDefault(); this.open(it); }}, it.text)));
    list.hidden = !items.length;
    input.setAttribute('aria-expanded', String(!!items.length));
    input.removeAttribute('aria-activedescendant');
  },
  move(by) {
    if (!this.items.length) return;
    this.active = (this.active + by + this.items.length) % this.items.length;
    this.list().querySelectorAll('[role="option"]').forEach((o, i) => o.setAttribute('aria-selected', String(i === this.active)));
    this.input().setAttribute('aria-activedescendant', 'search-opt-' + this.active);
  },
  open(it) {
    this.input().value = '';
    this.show([]);
    location.hash = it.href;
  },
  key(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); this.move(e.key === 'ArrowDown' ? 1 : -1); }
    else if (e.key === 'Escape') this.show([]);
    else if (e.key === 'Enter') {
      e.preventDefault();
      if (this.active >= 0) { this.open(this.items[this.active]); return; }
      const x = findPlace(this.input().value);
      if (x) this.open({href: placeHash(x)});
      else if (this.items.length) this.open(this.items[0]);
    }
  },
  start() {
    const input = this.input();
    input.addEventListener('input', () => this.suggest());
    input.addEventListener('keydown', e => this.key(e));
    input.addEventListener('blur', () => setTimeout(() => this.show([]), 150));
  },
};

/* While the count goes on, the page follows it without a reload: every
   30 s (?refresh=N to change it) the election is read again and, when its
   data version moved, the view is drawn anew. Never on the entry page,
   under a clerk's fingers, nor in a hidden tab, nor once all is official. */
function liveRefresh() {
  const secs = Number(new URLSearchParams(location.search).get('refresh')) || 30;
  setInterval(async () => {
    if (document.hidden || App.election.status === 'official' || App.refreshing) return;
    if ((location.hash.replace(/^#\/?/, '').split('/')[0]) === 'entry') return;
    App.refreshing = true;
    try {
      const e = await api(`/elections/${App.id}`).catch(() => null);
      if (e && e.data_version !== App.election.data_version) {
        App.election = e;
        App.loadedAt = new Date();
        App.mandate = null;
        await route();
      }
    } finally { App.refreshing = false; }
  }, secs * 1000);
}

/* An address the dashboard has no page for (#/nothing, #/party/XYZ). */
function notFound(main, what) {
  render(main, h('h1', {'data-notfound': ''}, I18N.t('notFound')),
    h('p', {}, what || location.hash), h('p', {}, h('a', {href: '#/'}, I18N.t('overview'))));
}

async function route() {
  const main = document.getElementById('main');
  const [, view, arg] = (location.hash.replace(/^#\/?/, '') || 'overview').match(/^([^/]*)\/?(.*)$/) || [];
  document.querySelectorAll('header nav a').forEach(a => {
    const target = a.getAttribute('href').replace(/^#\/?/, '') || 'overview';
    a.classList.toggle('active', target === (view || 'overview') || (view === 'party' && target === 'parties'));
  });
  electionLine();
  main.setAttribute('aria-busy', 'true');
  try {
    if (view === 'area' && arg) await viewArea(main, arg);
    else if (view === 'commune' && arg) await viewCommune(main, arg);
    else if (view === 'map') await viewMap(main);
    else if (view === 'parties') await viewParties(main);
    else if (view === 'party' && arg) await viewParty(main, arg);
    else if (view === 'entry') await viewEntry(main, arg);
    else if (view === 'rla') await viewRla(main, arg);
    else if (!view || view === 'overview') await viewOverview(main);
    else notFound(main);
  } catch (e) {
    render(main, h('h1', {}, I18N.t('error')), h('p', {role: 'alert'}, e.message));
  }
  main.removeAttribute('aria-busy');
}

async function start() {
  I18N.set(I18N.lang);
  const lang = document.getElementById('lang');
  const label = () => { lang.textContent = I18N.lang === 'km' ? 'English' : 'ខ្មែរ'; };
  label();
  lang.addEventListener('click', () => { I18N.set(I18N.lang === 'km' ? 'en' : 'km'); label(); route(); });
  Search.start();
  try { await loadElection(); } catch (e) {
    document.getElementById('main').replaceChildren(h('p', {role: 'alert'}, e.message));
    return;
  }
  window.addEventListener('hashchange', route);
  await route();
  liveRefresh();
  document.body.dataset.ready = '1';
}

start();
