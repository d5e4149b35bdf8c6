/* entry.js: keying result forms. A clerk logs in, opens a station, keys the
   form (checks show as they type, with the codes of docs/checks.md) and
   saves; the server decides first or second entry. A coordinator sees two
   differing entries side by side and keeps one or sends one back, and
   explains warnings. Writes carry the session's CSRF token. */
'use strict';

/* blank: ballots validly cast for no list, where the forms count them (left
   empty, 0: Cambodia's forms have none). */
const FIELDS = ['registered', 'received', 'cast', 'spoiled', 'unused', 'valid', 'blank', 'invalid'];

function post(path, body) {
  return api(path, {method: 'POST', body: JSON.stringify(body),
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': App.session ? App.session.csrf : ''}});
}

/* The checks a clerk can see before saving (the server runs all of them). */
function localChecks(v, parties) {
  const out = [], sum = parties.reduce((s, p) => s + (v['votes:' + p] || 0), 0);
  if (sum !== v.valid) out.push(['error', 'F.102', `Σ ${I18N.num(sum)} ≠ ${I18N.t('valid')} ${I18N.num(v.valid)}`]);
  if (v.blank > v.cast) out.push(['error', 'F.114', `${I18N.t('blank')} > ${I18N.t('cast')}`]);
  else if (v.valid + v.blank + v.invalid !== v.cast) out.push(['error', 'F.103', v.blank
    ? `${I18N.t('valid')} + ${I18N.t('blank')} + ${I18N.t('invalid')} ≠ ${I18N.t('cast')}`
    : `${I18N.t('valid')} + ${I18N.t('invalid')} ≠ ${I18N.t('cast')}`]);
  if (v.cast + v.spoiled + v.unused !== v.received) out.push(['error', 'F.104', `${I18N.t('cast')} + ${I18N.t('spoiled')} + ${I18N.t('unused')} ≠ ${I18N.t('received')}`]);
  if (v.cast > v.registered) out.push(['error', 'F.105', `${I18N.t('cast')} > ${I18N.t('registered')}`]);
  if (v.invalid * 100 > v.cast * 5) out.push(['warning', 'W.201', `${I18N.t('invalid')} > 5 %`]);
  return out;
}

function checkList(items) {
  if (!items.length) return h('ul.msgs', {'data-checks': ''}, h('li.ok', {}, I18N.t('noChecks')));
  return h('ul.msgs', {'data-checks': ''}, items.map(([sev, code, msg]) => h('li.' + sev, {'data-code': code}, `${code} ${msg}`)));
}

function loginBox(main) {
  const user = h('input', {id: 'login-user', autocomplete: 'username', required: true});
  const pw = h('input', {id: 'login-password', type: 'password', autocomplete: 'current-password', required: true});
  const msg = h('p.msgs', {role: 'alert'});
  const form = h('form.login', {onsubmit: async e => {
    e.preventDefault();
    try {
      const s = await api('/session', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                       body: JSON.stringify({user: user.value, password: pw.value})});
      App.session = {user: s.user, role: s.role, scope: s.scope, csrf: s.csrf};
      viewEntry(main);
    } catch (err) { msg.textContent = err.message; }
  }}, h('label', {for: 'login-user'}, I18N.t('user'), user), h('label', {for: 'login-password'}, I18N.t('password'), pw),
    h('button.primary', {type: 'submit', id: 'login-submit'}, I18N.t('login')));
  return h('div', {}, form, msg);
}

async function viewEntry(main, station) {
  if (!App.session) {
    try { const s = await api('/session'); App.session = s.user ? s : null; } catch (e) { App.session = null; }
  }
  if (!App.session) { render(main, h('h1', {}, I18N.t('entry')), loginBox(main)); return; }
  const code = h('input', {id: 'station', value: station || '', autocomplete: 'off', 'aria-label': I18N.t('stationCode')});
  const area = h('div', {id: 'form-area'});
  const open = h('form.login', {onsubmit: e => { e.preventDefault(); location.hash = '#/entry/' + code.value.trim(); }},
    h('label', {for: 'station'}, I18N.t('stationCode'), code), h('button', {type: 'submit', id: 'open-station'}, I18N.t('open')));
  const who = h('p', {}, `${I18N.t('loggedAs')} ${App.session.user} (${App.session.role}) `,
    h('button', {type: 'button', id: 'logout', onclick: async () => {
      await api('/session', {method: 'DELETE', headers: {'X-CSRF-Token': App.session.csrf}}).catch(() => null);
      App.session = null; viewEntry(main);
    }}, I18N.t('logout')));
  render(main, h('h1', {}, I18N.t('entry')), who, open, worklist(), area);
  if (station) await showForm(area, station);
}

/* A coordinator's queue: the forms in scope whose entries differ, that wait
   for an explanation or were entered once; each opens the form. */
function worklist() {
  const box = h('section', {id: 'worklist'});
  if (!['coordinator', 'admin'].includes(App.session.role)) return box;
  const area = (App.session.scope || '').split(';')[0];
  api(`/elections/${App.id}/forms?state=todo` + (area ? `&area=${encodeURIComponent(area)}` : '')).then(w =>
    render(box, h('h2', {}, `${I18N.t('worklist')} (${I18N.num(w.forms.length)})`),
      w.forms.length ? h('ul', {}, w.forms.map(f => h('li', {'data-work': f.state},
        h('a', {href: '#/entry/' + f.station}, f.station), ` · ${I18N.t(f.state)}`)))
        : h('p.muted', {}, I18N.t('worklistEmpty')))).catch(e => render(box, h('p.msgs', {}, e.message)));
  return box;
}

/* note: what the last action answered, shown above the form again. */
async function showForm(area, station, note) {
  let f;
  try { f = await api(`/elections/${App.id}/forms/${encodeURIComponent(station)}`); }
  catch (e) { render(area, h('p.msgs', {role: 'alert'}, e.message)); return; }
  const seats = await api(`/elections/${App.id}/seats/${f.commune}`);
  const parties = seats.lists.map(l => l.party);
  const state = h('p', {}, I18N.t('state') + ': ', h('span.state', {id: 'form-state', 'data-state': f.state},
    I18N.t(f.state === 'official' ? 'official-state' : f.state)));
  const inputs = {};
  const field = (key, label) => {
    const inp = h('input', {id: 'f-' + key.replace(':', '-'), name: key, inputmode: 'numeric', autocomplete: 'off'});
    inputs[key] = inp;
    return h('label', {for: inp.id}, label, inp);
  };
  const checks = h('div', {id: 'local-checks'});
  const result = h('div', {id: 'entry-result', role: 'status'});
  if (note) render(result, note);
  const values = () => {
    const v = {};
    for (const [k, inp] of Object.entries(inputs)) v[k] = inp.value.trim() === '' ? 0 : Number(I18N.latin(inp.value.trim()));
    return v;
  };
  const form = h('form.entry', {id: 'entry-form', onsubmit: async e => {
    e.preventDefault();
    const v = values(), body = {votes: {}};
    for (const k of FIELDS) body[k] = v[k];
    for (const p of parties) body.votes[p] = v['votes:' + p];
    try {
      const r = await post(`/elections/${App.id}/forms/${encodeURIComponent(station)}/entries`, body);
      await showForm(area, station, [h('p.state', {'data-result': r.state}, `${I18N.t(r.from)} → ${I18N.t(r.state)}`),
        checkList(r.checks.map(c => [c.severity, c.code, c.message]))]);
    } catch (err) {
      const list = err.body && err.body.error && err.body.error.checks
        ? err.body.error.checks.map(c => [c.severity, c.code, c.message]) : [];
      render(result, h('p.msgs', {role: 'alert', 'data-error': err.status}, err.message), checkList(list));
    }
  }}, FIELDS.map(k => field(k, I18N.t(k))), parties.map(p => field('votes:' + p, Parties.name(p))),
    h('button.primary', {type: 'submit', id: 'save-entry'}, I18N.t('submitEntry')));
  form.addEventListener('input', () => render(checks, checkList(localChecks(values(), parties))));
  const coord = App.session.role === 'coordinator' || App.session.role === 'admin';
  const extra = [];
  if (coord && f.state === 'entries-different' && f.first && f.second) {
    const rows = FIELDS.map(k => ({field: I18N.t(k), first: f.first[k], second: f.second[k]}))
      .concat(parties.map(p => ({field: Parties.name(p), first: f.first.votes[p], second: f.second.votes[p]})));
    /* a decision says why: the audit log keeps the reason */
    const why = h('input', {id: 'resolve-reason', required: true, autocomplete: 'off', 'aria-label': I18N.t('reason')});
    const act = a => async () => {
      if (!why.value.trim()) { why.focus(); render(result, h('p.msgs', {role: 'alert'}, I18N.t('reasonNeeded'))); return; }
      try { await post(`/elections/${App.id}/forms/${encodeURIComponent(station)}/resolve`, {action: a, reason: why.value.trim()}); await showForm(area, station); }
      catch (err) { render(result, h('p.msgs', {role: 'alert'}, err.message)); }
    };
    extra.push(h('h2', {}, `${I18N.t('entryFirst')} (${f.first_user}) / ${I18N.t('entrySecond')} (${f.second_user})`),
      table('entries-' + station, [{key: 'field', label: ''}, {key: 'first', label: I18N.t('entryFirst'), num: true},
        {key: 'second', label: I18N.t('entrySecond'), num: true},
        {key: 'differs', label: '≠', fmt: v => v ? h('strong', {'data-differs': ''}, '≠') : ''}],
        rows.map(r => Object.assign(r, {differs: r.first !== r.second ? 1 : ''}))),
      h('label', {for: 'resolve-reason'}, I18N.t('reason') + ' ', why),
      h('p', {}, ['keep-first', 'keep-second', 'rekey-first', 'rekey-second'].map(a =>
        h('button', {type: 'button', 'data-action': a, onclick: act(a)},
          I18N.t({'keep-first': 'keepFirst', 'keep-second': 'keepSecond', 'rekey-first': 'rekeyFirst', 'rekey-second': 'rekeySecond'}[a])))));
  }
  if (coord && f.state === 'needs-explanation' && f.accepted) {
    for (const c of f.accepted.checks.filter(c => c.severity === 'warning' && !(f.explanations || {})[c.code])) {
      const text = h('textarea', {id: 'explain-' + c.code, rows: 2, cols: 40, 'aria-label': I18N.t('explanation')});
      extra.push(h('p', {}, `${c.code} ${c.message}`), text, h('button', {type: 'button', 'data-explain': c.code, onclick: async () => {
        try { await post(`/elections/${App.id}/forms/${encodeURIComponent(station)}/explanations`, {code: c.code, text: text.value}); await showForm(area, station); }
        catch (err) { render(result, h('p.msgs', {role: 'alert'}, err.message)); }
      }}, I18N.t('explain')));
    }
  }
  const keyable = ['empty', 'first-entered'].includes(f.state);
  render(area, h('h2', {}, `${I18N.t('station')} ${station} · ${areaName(App.names[f.commune] || {code: f.commune})}`),
    state, keyable ? form : null, keyable ? checks : null, result, ...extra);
  if (keyable) inputs.registered.focus();
}
