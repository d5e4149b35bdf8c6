/* views.js: the overview, a province or district, a commune (its forms,
   seat allocation, council and timeline), and the parties with their seats
   and chiefs over the mandate. Each view fetches what it shows. */
'use strict';

function partyRows(area) {
  return (area.parties || []).filter(p => p.votes || p.seats)
    .sort((a, b) => b.seats - a.seats || b.votes - a.votes)
    .map(p => ({party: p.party, votes: p.votes, share: area.valid ? (100 * p.votes / area.valid).toFixed(2) : '',
                seats: p.seats, chiefs: p.chiefs}));
}

/* A party's name, and when the registry says it was dissolved, that day:
   its seats of polling day are history (2017's CNRP). */
function partyWithFate(id) {
  const d = Parties.byId[id] && Parties.byId[id].dissolved;
  return h('span', {}, h('a', {href: '#/party/' + id}, Parties.label(id)),
    d ? h('span.muted', {'data-dissolved': d}, ` · ${I18N.t('dissolvedWord')} ${I18N.date(d)}`) : null);
}

function partyTable(name, area) {
  return table(name, [
    {key: 'party', label: I18N.t('party'), fmt: v => partyWithFate(v)},
    {key: 'votes', label: I18N.t('votes'), num: true},
    {key: 'share', label: I18N.t('share'), num: true, fmt: v => v === '' ? '' : I18N.num(+v, 2) + ' %'},
    {key: 'seats', label: I18N.t('seats'), num: true},
    {key: 'chiefs', label: I18N.t('chiefs'), num: true},
  ], partyRows(area));
}

/* Nothing reported yet is "—", never a 0 that reads as a result. */
const notYet = (a, text) => a.stations_reported ? text : '—';

function cards(a) {
  const c = (k, v) => h('div.card', {'data-card': k}, h('div.k', {}, I18N.t(k)), h('div.v', {}, v));
  return h('div.cards', {},
    c('registered', notYet(a, I18N.num(a.registered))), c('cast', notYet(a, I18N.num(a.cast))),
    c('turnout', notYet(a, I18N.pct(a.cast, a.registered))), c('valid', notYet(a, I18N.num(a.valid))),
    a.blank !== undefined ? c('blank', notYet(a, I18N.num(a.blank))) : null,  /* elections with blank ballots */
    c('invalid', notYet(a, I18N.num(a.invalid) + ' (' + I18N.pct(a.invalid, a.cast) + ')')),
    c('forms', I18N.num(a.stations_reported) + ' / ' + I18N.num(a.stations_expected)),
    c('seats', I18N.num(a.seats)));
}

/* The path from the nation down to code, by the parents the gazetteer
   named (a council may sit right under its province: two levels or three). */
function crumbs(code) {
  const chain = [];
  for (let c = code; c && chain.length < 4; c = App.names[c] ? App.names[c].parent : '') chain.unshift(c);
  const parts = [h('a', {href: '#/'}, nationName())];
  for (const sub of chain) {
    const n = App.names[sub], label = n ? areaName(n) : sub;
    parts.push(sub === code ? h('span', {'aria-current': 'page'}, label)
      : h('a', {href: (n && n.level === 3 ? '#/commune/' : '#/area/') + sub}, label));
  }
  return h('nav.crumbs', {'aria-label': I18N.t('breadcrumbs')}, parts);
}

async function viewOverview(main) {
  const [nat, prov] = await Promise.all([api(`/elections/${App.id}/results`),
                                         api(`/elections/${App.id}/results?by=province`), Vendor.need('axis')]);
  const a = nat.areas[0];
  const bars = partyRows(a).filter(p => p.seats > 0)
    .map(p => ({label: Parties.name(p.party), value: p.seats, colour: Parties.colour(p.party),
                title: `${Parties.name(p.party)}: ${I18N.num(p.seats)} ${I18N.t('seatsLower')}, `
                  + `${I18N.num(p.votes)} ${I18N.t('votesLower')} (${I18N.num(+p.share, 2)} %)`}));
  render(main, h('h1', {}, I18N.t('overview')), cards(a),
    h('div.grid2', {}, h('div', {}, h('h2', {}, I18N.t('parties')), partyTable('parties-nation', a)),
      barChart(I18N.t('seatChart'), bars)),
    h('h2', {}, I18N.t('provinces')), areaTable('provinces', prov.areas, '#/area/'));
}

function areaTable(name, areas, prefix) {
  return table(name, [
    {key: 'area', label: I18N.t('area'), fmt: (v, r) => h('a', {href: prefix + v}, areaName(App.names[v] || r))},
    {key: 'registered', label: I18N.t('registered'), num: true, fmt: v => v === '' ? '—' : I18N.num(v)},
    {key: 'cast', label: I18N.t('cast'), num: true, fmt: v => v === '' ? '—' : I18N.num(v)},
    {key: 'turnout', label: I18N.t('turnout'), num: true, fmt: v => v === '' ? '—' : I18N.num(+v, 2) + ' %'},
    {key: 'stations', label: I18N.t('forms'), num: true, fmt: v => v},
    {key: 'seats', label: I18N.t('seats'), num: true},
    {key: 'first', label: I18N.t('chiefs'), fmt: v => v ? Parties.label(v) : ''},
  ], areas.map(x => {
    const top = (x.parties || []).slice().sort((p, q) => q.chiefs - p.chiefs || q.seats - p.seats)[0];
    const none = !x.stations_reported;  /* no form yet: no figure, not a zero */
    return {area: x.area, name: x.name, registered: none ? '' : x.registered, cast: none ? '' : x.cast,
            turnout: none || !x.registered ? '' : (100 * x.cast / x.registered).toFixed(2),
            stations: `${I18N.num(x.stations_reported)}/${I18N.num(x.stations_expected)}`,
            seats: x.seats, first: top && top.chiefs ? top.party : ''};
  }));
}

async function viewArea(main, code) {
  const self0 = App.names[code];
  const by = self0 && self0.level === 1 &&
    Object.values(App.names).some(n => n.level === 2 && n.parent === code) ? 'district' : 'commune';
  const [self, kids] = await Promise.all([api(`/elections/${App.id}/results/${code}`),
                                          api(`/elections/${App.id}/results/${code}?by=${by}`)]);
  const a = self.areas[0];
  render(main, crumbs(code), h('h1', {}, areaName(App.names[code] || a)), cards(a),
    h('h2', {}, I18N.t('parties')), partyTable('parties-' + code, a),
    h('h2', {}, I18N.t(by === 'district' ? 'districts' : 'communes')),
    areaTable(by + 's-' + code, kids.areas, by === 'district' ? '#/area/' : '#/commune/'));
}

function fracText(f) { return f ? f.text : ''; }
const dec = v => v === '' || v === undefined ? '' : I18N.num(Number(v), 2);

/* The council on a day of the mandate (none: today, or its last day once it
   is over, said beside the heading), with a date picker bounded by the
   mandate; picking a day redraws this section only. */
async function councilSection(code, date) {
  const council = await api(`/elections/${App.id}/councils/${code}` + (date ? `?date=${date}` : ''))
    .catch(e => ({error: e.message}));
  const members = council.members || [];
  const box = h('section', {id: 'council-section', 'data-date': council.date || ''});
  const pick = council.mandate ? h('input', {type: 'date', id: 'council-date', value: council.date,
    min: council.mandate.start, max: council.mandate.end, 'aria-label': I18N.t('councilOn'),
    onchange: async e => { if (e.target.value) box.replaceWith(await councilSection(code, e.target.value)); }}) : null;
  render(box, h('h2', {}, I18N.t('council') + (council.date ? ' · ' + I18N.date(council.date) : '')),
    pick ? h('label', {for: 'council-date'}, I18N.t('councilOn') + ' ', pick) : null,
    council.clamped ? h('p.muted', {'data-clamped': ''}, `${I18N.t('mandateEnded')} ${I18N.date(council.mandate.end)}`) : null,
    council.error ? h('p.muted', {}, council.error) : table('council-' + code, [
      {key: 'post', label: I18N.t('post'), fmt: v => I18N.t(v)}, {key: 'name', label: I18N.t('name')},
      {key: 'party', label: I18N.t('party'), fmt: v => Parties.label(v)},
      {key: 'list_party', label: I18N.t('list'), fmt: v => Parties.name(v)},
      {key: 'since', label: I18N.t('since'), fmt: v => I18N.date(v)},
      {key: 'why', label: I18N.t('why'), fmt: (v, r) => I18N.reason(r.why_code, v)}],
      /* a post's own start and reason (the seat may be older) */
      members.map(m => Object.assign({}, m, m.post_since ? {since: m.post_since, why: m.post_why,
                                                            why_code: m.post_why_code} : {}))
        .sort((x, y) => (x.post === 'none') - (y.post === 'none'))),
    pendingLots(council.pending_lots || []));
  box.changes = council.changes || [];
  return box;
}

async function viewCommune(main, code) {
  const [res, area, seats, council] = await Promise.all([
    api(`/elections/${App.id}/results/${code}`), api(`/elections/${App.id}/areas/${code}`),
    api(`/elections/${App.id}/seats/${code}`), councilSection(code)]);
  const a = res.areas[0];
  const forms = await Promise.all(area.children.map(s =>
    api(`/elections/${App.id}/forms/${encodeURIComponent(s.code)}`).catch(() => ({station: s.code, state: 'empty'}))));
  const parties = seats.lists.map(l => l.party);
  const formRows = forms.map(f => {
    const r = {station: f.station, state: f.state, registered: f.registered};
    const acc = f.accepted || {};
    for (const k of ['cast', 'valid', 'invalid']) r[k] = acc[k];
    for (const p of parties) r['votes:' + p] = acc.votes ? acc.votes[p] : '';
    return r;
  });
  const formCols = [{key: 'station', label: I18N.t('station')},
    {key: 'state', label: I18N.t('state'), fmt: v => I18N.t(v === 'official' ? 'official-state' : v)},
    {key: 'registered', label: I18N.t('registered'), num: true}, {key: 'cast', label: I18N.t('cast'), num: true},
    {key: 'valid', label: I18N.t('valid'), num: true}, {key: 'invalid', label: I18N.t('invalid'), num: true}]
    .concat(parties.map(p => ({key: 'votes:' + p, label: Parties.name(p), num: true})));
  const proto = (seats.protocol || []).map(s => ({seat: s.seat, party: s.party, kind: s.kind,
    value: fracText(s.value), exact: s.value ? s.value.exact : '', runner_up: s.runner_up || '',
    runner_value: fracText(s.runner_value), tie: s.tie}));
  const closest = (seats.margins || []).find(m => m.closest);
  const changes = council.changes;
  render(main, crumbs(code), h('h1', {}, areaName(App.names[code] || a)), cards(a),
    h('h2', {}, I18N.t('parties')), partyTable('parties-' + code, a),
    h('h2', {}, I18N.t('allocation')),
    h('p.muted', {}, `${I18N.t('quota')}: ${dec(fracText(seats.quota))} · ${seats.method} · ${I18N.t('protocolNote')}`),
    table('protocol-' + code, [
      {key: 'seat', label: I18N.t('step'), num: true}, {key: 'party', label: I18N.t('party'), fmt: v => Parties.label(v)},
      {key: 'kind', label: I18N.t('kind'), fmt: v => I18N.word(v)}, {key: 'value', label: I18N.t('value'), num: true, fmt: dec},
      {key: 'runner_up', label: I18N.t('runnerUp'), fmt: v => v ? Parties.label(v) : ''},
      {key: 'runner_value', label: I18N.t('value'), num: true, fmt: dec},
      {key: 'tie', label: I18N.t('tie'), fmt: v => I18N.word(v)}], proto),
    closest ? h('p', {'data-margin': ''}, `${I18N.t('margins')}: ${Parties.name(closest.holder)} / ${Parties.name(closest.challenger)}: `
      + `${I18N.num(closest.votes_to_move)} ${I18N.t('votesToMove')}`) : null,
    council,
    h('h2', {}, I18N.t('timeline')),
    table('timeline-' + code, [{key: 'date', label: I18N.t('date'), fmt: v => I18N.date(v)},
      {key: 'what', label: I18N.t('what'), fmt: v => I18N.word(v)}, {key: 'name', label: I18N.t('name')},
      {key: 'party', label: I18N.t('party'), fmt: v => v ? Parties.label(v) : ''},
      {key: 'detail', label: I18N.t('detail'), fmt: (v, r) => I18N.reason(r.detail_code, v)}], changes),
    h('h2', {}, I18N.t('stations')), table('forms-' + code, formCols, formRows));
}

/* Posts or redistributed seats that a tie decides and no lots settle yet. */
function pendingLots(list) {
  if (!list.length) return null;
  return h('div', {'data-pending-lots': ''}, h('h3', {}, I18N.t('pendingLots')),
    h('ul', {}, ...list.map(p => h('li', {}, `${I18N.word(p.what)}: ${p.parties.split(',').map(x => Parties.name(x)).join(' = ')}`
      + (p.event ? ` (${I18N.t('event')} ${p.event}, ${I18N.date(p.date)})` : '')))));
}

async function mandate() {
  if (!App.mandate) App.mandate = await api(`/elections/${App.id}/mandate`);
  return App.mandate;
}

/* The first of each month of the mandate (its first day first). */
function mandateMonths(m) {
  const months = [];
  for (let d = new Date(m.from.slice(0, 7) + '-01T00:00:00Z'); d.toISOString().slice(0, 10) <= m.until;
       d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.toISOString().slice(0, 10));
  months[0] = m.from;
  return months;
}

/* The days a chart samples: the first of each month, and the day of every
   event of the ledger (a step falls on the day, not the month after). */
function chartDays(m, ledger, months) {
  const evs = ledger.events.map(e => e.date).filter(d => d >= m.from && d <= m.until);
  return [...new Set(months.concat(evs))].sort();
}

/* How many of a party's people hold a role on a day. rows: the mandate's
   [person, commune, party, role, start, end, start_reason, end_reason] */
function holding(rows, id, role, day) {
  return rows.filter(r => r[2] === id && r[3] === role && r[4] <= day && (!r[5] || r[5] > day)).length;
}

/* The mandate's events for a chart: its dissolutions (the ledger's, and the
   registry's date of a party dissolved). */
function eventMarks(ledger, ids) {
  const marks = ledger.events.filter(e => e.type === 'dissolve')
    .map(e => ({date: e.date, label: `${Parties.name(e.party)} ${I18N.t('dissolvedWord')}`}));
  for (const id of ids) {
    const d = Parties.byId[id] && Parties.byId[id].dissolved;
    if (d && !marks.some(x => x.date === d)) marks.push({date: d, label: `${Parties.name(id)} ${I18N.t('dissolvedWord')}`});
  }
  return marks;
}

/* The parties' table, and once councils exist, every party's seats and
   chiefs over the mandate side by side. */
async function viewParties(main) {
  const nat = await api(`/elections/${App.id}/results`);
  const a = nat.areas[0];
  const charts = [];
  if (App.election.official_communes) {
    const [m, ledger] = await Promise.all([mandate(), api(`/elections/${App.id}/ledger`), Vendor.need('plot')]);
    const days = chartDays(m, ledger, mandateMonths(m)), ids = partyRows(a).filter(p => p.seats).map(p => p.party);
    const marks = eventMarks(ledger, ids);
    for (const role of ['councillor', 'chief'])
      charts.push(lineChart(I18N.t(role === 'chief' ? 'chiefsOverTime' : 'seatsOverTime'),
        ids.map(id => ({label: Parties.name(id), colour: Parties.colour(id),
                        points: days.map(d => [d, holding(m.memberships, id, role, d)])})), marks));
  }
  render(main, h('h1', {}, I18N.t('parties')), partyTable('parties-nation', a), h('div.grid2', {}, charts));
}

/* Seats and chiefs of a party on the first of each month, and defections. */
async function viewParty(main, id) {
  if (!Parties.byId[id]) { notFound(main, `${I18N.t('noSuchParty')}: ${id}`); return; }
  const [m, ledger] = await Promise.all([mandate(), api(`/elections/${App.id}/ledger`), Vendor.need('plot')]);
  const rows = m.memberships;
  const months = mandateMonths(m);
  const days = chartDays(m, ledger, months);
  const seats = days.map(d => [d, holding(rows, id, 'councillor', d)]);
  const chiefs = days.map(d => [d, holding(rows, id, 'chief', d)]);
  const atMonth = d => seats.findIndex(p => p[0] === d);
  const partyOf = {};
  for (const r of rows) if (r[3] === 'councillor' && !(r[0] in partyOf)) partyOf[r[0]] = r[2];
  const byMonth = {};
  for (const ev of ledger.events.filter(e => e.type === 'defect')) {
    const mon = ev.date.slice(0, 7), from = partyOf[ev.person];
    byMonth[mon] = byMonth[mon] || {month: mon, joined: 0, left: 0};
    if (ev.to_party === id) byMonth[mon].joined++;
    if (from === id) byMonth[mon].left++;
  }
  const defs = Object.values(byMonth).filter(x => x.joined || x.left).sort((a, b) => a.month < b.month ? -1 : 1);
  const dissolved = Parties.byId[id].dissolved;
  render(main, h('nav.crumbs', {'aria-label': I18N.t('breadcrumbs')}, h('a', {href: '#/parties'}, I18N.t('parties'))),
    h('h1', {}, Parties.label(id)),
    dissolved ? h('p', {'data-dissolved': dissolved}, `${I18N.t('dissolvedOn')} ${I18N.date(dissolved)}`) : null,
    lineChart(I18N.t('overTime'), [{label: I18N.t('seats'), colour: Parties.colour(id), points: seats},
                                   {label: I18N.t('chiefs'), colour: '#444', dash: '5 3', points: chiefs}],
              eventMarks(ledger, [id])),
    table('series-' + id, [{key: 'date', label: I18N.t('date'), fmt: v => I18N.date(v)},
      {key: 'seats', label: I18N.t('seats'), num: true}, {key: 'chiefs', label: I18N.t('chiefs'), num: true}],
      months.map(d => ({date: d, seats: seats[atMonth(d)][1], chiefs: chiefs[atMonth(d)][1]}))),
    h('h2', {}, I18N.t('defections')),
    defectionChart(I18N.t('defections'), defs),
    table('defections-' + id, [{key: 'month', label: I18N.t('month'), fmt: v => I18N.month(v)},
      {key: 'joined', label: I18N.t('joined'), num: true}, {key: 'left', label: I18N.t('left'), num: true}], defs));
}
