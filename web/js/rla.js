/* rla.js: the risk-limiting audit's pages (docs/rla.md). #/rla: the nation,
   communes confirmed, in progress and escalated to a full hand count;
   #/rla/COMMUNE: one commune's assertions with their exact margins, the
   sample's progress and every p-value. All from /api/v1/elections/ID/rla/. */
'use strict';

/* A label in the language chosen, English when i18n.js has none yet. */
function rlaT(key, en) {
  const s = I18N.t(key);
  return s === key ? en : s;
}

function rlaCard(key, label, value) {
  return h('div.card', {'data-card': key}, h('div.k', {}, label), h('div.v', {}, I18N.num(value)));
}

const rlaStage = {
  'not-started': 'not started', reading: 'reading the sample', escalate: 'escalate: draw another round',
  confirmed: 'confirmed', 'full-count': 'full hand count', 'no-audit': 'no audit: full hand count'};
const rlaModes = {polling: 'ballot polling', oneaudit: 'ONEAudit, against the station forms'};

/* A stage or mode by name, from i18n.js's 'rla:NAME' keys. */
function rlaName(names, key) {
  return rlaT('rla:' + key, names[key] || key);
}

async function viewRlaNation(main) {
  const s = await api(`/elections/${App.id}/rla/status`);
  const rows = s.communes.map(c => ({
    commune: c.commune, name: c.commune, stage: rlaName(rlaStage, c.stage), sample: c.sample,
    read: c.read, ballots: c.manifest, max_pvalue: c.max_pvalue}));
  render(main, h('h1', {}, rlaT('rlaTitle', 'Risk-limiting audit')),
    h('p', {'data-rla': 'head'}, `${rlaT('rlaRisk', 'Risk limit')} ${s.risk_limit}` +
      (s.seed ? `, ${rlaT('rlaSeed', 'seed')} ${s.seed}` : `, ${rlaT('rlaNoSeed', 'no seed recorded yet')}`) +
      `, ${rlaT('rlaMode', 'measured by')} ${rlaName(rlaModes, s.mode || 'polling')}`),
    h('div.cards', {},
      rlaCard('rla-confirmed', rlaT('rlaConfirmed', 'Confirmed'), s.summary.confirmed),
      rlaCard('rla-progress', rlaT('rlaProgress', 'In progress'), s.summary.in_progress),
      rlaCard('rla-escalated', rlaT('rlaEscalated', 'To escalate'), s.summary.escalated),
      rlaCard('rla-full', rlaT('rlaFull', 'Full hand count'), s.summary.full_count)),
    table('rla-communes', [
      {key: 'commune', label: I18N.t('commune'), fmt: v => h('a', {href: '#/rla/' + v}, placeName(v))},
      {key: 'stage', label: rlaT('rlaStage', 'Stage')},
      {key: 'sample', label: rlaT('rlaSample', 'Sample'), num: true},
      {key: 'read', label: rlaT('rlaRead', 'Read'), num: true},
      {key: 'ballots', label: rlaT('rlaBallots', 'Ballots'), num: true},
      {key: 'max_pvalue', label: rlaT('rlaP', 'Largest p-value'), fmt: v => v.toFixed(4)}], rows));
}

async function viewRlaCommune(main, code) {
  const s = await api(`/elections/${App.id}/rla/status?commune=${encodeURIComponent(code)}`);
  const c = s.communes[0];
  const rows = c.assertions.map((a, i) => ({
    n: i + 1, kind: a.kind, winner: a.winner, loser: a.loser, margin: a.margin,
    diluted: a.diluted_margin, pvalue: a.pvalue, binding: a.binding ? '★' : ''}));
  const done = c.manifest ? Math.round(100 * c.read / c.manifest) : 0;
  render(main, h('p', {}, h('a', {href: '#/rla'}, rlaT('rlaTitle', 'Risk-limiting audit'))),
    h('h1', {}, placeName(code)),
    h('p', {'data-rla': 'stage'}, rlaName(rlaStage, c.stage)),
    h('p', {'data-rla': 'progress'},
      `${I18N.num(c.read)} ${rlaT('rlaReadOf', 'ballots read of a sample of')} ${I18N.num(c.sample)}` +
      ` (${I18N.num(c.manifest)} ${rlaT('rlaInBox', 'in the boxes')}, ${done} %), ` +
      `${rlaT('rlaRounds', 'rounds')} ${c.rounds}`),
    c.problem ? h('p', {role: 'note'}, c.problem) : null,
    table('rla-assertions-' + code, [
      {key: 'n', label: '#', num: true}, {key: 'kind', label: rlaT('rlaKind', 'Assertion')},
      {key: 'winner', label: rlaT('rlaWinner', 'Winner'), fmt: v => v ? Parties.name(v) : ''},
      {key: 'loser', label: rlaT('rlaLoser', 'Loser'), fmt: v => v ? Parties.name(v) : ''},
      {key: 'margin', label: rlaT('rlaMargin', 'Margin'), num: true},
      {key: 'diluted', label: rlaT('rlaDiluted', 'Diluted margin'), fmt: v => (100 * v).toFixed(2) + ' %'},
      {key: 'pvalue', label: rlaT('rlaP1', 'p-value'), fmt: v => v.toFixed(4)},
      {key: 'binding', label: rlaT('rlaBinding', 'Binding')}], rows));
}

/* The place's name where the dashboard knows it, else its code. */
function placeName(code) {
  return areaName(App.names[code]) || code;
}

async function viewRla(main, arg) {
  if (arg) await viewRlaCommune(main, arg);
  else await viewRlaNation(main);
}
