/* util.js: fetching the API, building elements and tables (each with its
   CSV download), and the party registry's names and colours. */
'use strict';
const API = '/api/v1';

async function api(path, opts = {}) {
  const res = await fetch(API + path, Object.assign({credentials: 'same-origin'}, opts));
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const err = new Error(body && body.error ? `${body.error.message} [${body.error.code}]` : `HTTP ${res.status}`);
    err.status = res.status;
    err.body = body;
    throw err;
  }
  return body;
}

/* h('tag.class', {attr: v}, children...): a DOM element; strings become text. */
function h(spec, attrs, ...kids) {
  const [tag, ...cls] = spec.split('.');
  const el = document.createElement(tag);
  if (cls.length) el.className = cls.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

/* Replace el's children, leaving out the null, undefined and false that
   optional parts of a view give (replaceChildren would print "null"). */
function render(el, ...kids) {
  el.replaceChildren(...kids.flat().filter(k => k !== null && k !== undefined && k !== false));
}

function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/* A table from columns [{key, label, num, fmt}] and rows of plain values,
   with a link that downloads exactly those rows as CSV. */
function table(name, columns, rows, caption) {
  const head = h('tr', {}, columns.map(c => h('th' + (c.num ? '.n' : ''), {scope: 'col'}, c.label)));
  const body = rows.map(r => h('tr', {}, columns.map(c => {
    const v = r[c.key];
    const shown = c.fmt ? c.fmt(v, r) : (c.num ? I18N.num(v) : v);
    return h('td' + (c.num ? '.n' : ''), {}, shown);
  })));
  const csv = [columns.map(c => csvField(c.key)).join(',')]
    .concat(rows.map(r => columns.map(c => csvField(r[c.key])).join(','))).join('\r\n') + '\r\n';
  const link = h('a.dl', {href: '#', 'data-csv': name, onclick: e => {
    e.preventDefault();
    const url = URL.createObjectURL(new Blob([csv], {type: 'text/csv;charset=utf-8'}));
    const a = h('a', {href: url, download: name + '.csv'});
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }}, I18N.t('downloadCsv'));
  /* a table wider than a phone scrolls in its box, which the keyboard can
     then reach and scroll too (axe: scrollable-region-focusable) */
  return h('div', {}, h('div.tablebox', {tabindex: 0, role: 'region', 'aria-label': caption || columns.map(c => c.label).filter(Boolean).slice(0, 3).join(', ')},
    h('table', {'data-table': name},
    caption ? h('caption.sr', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body))), link);
}

const Parties = {
  byId: {},
  async load() {
    const d = await api('/parties');
    for (const p of d.parties) this.byId[p.id] = p;
  },
  colour(id) { return (this.byId[id] && this.byId[id].colour) || '#8a8f98'; },
  name(id) {
    const p = this.byId[id];
    if (!p) return id;
    return I18N.lang === 'km' && p.name_km ? p.name_km : p.abbr || id;
  },
  label(id) { return h('span', {}, h('span.swatch', {style: `background:${this.colour(id)}`}), this.name(id)); },
};

function areaName(a) {
  if (!a) return '';
  if (a.level === 0 || a.code === '') return nationName();
  return I18N.lang === 'km' && a.name_km ? a.name_km : a.name;
}

/* The chart and map libraries (web/vendor/, copied there by
   scripts/vendor-web from web/package-lock.json), loaded when a page first
   needs them: the overview's bars need the small D3 modules only, the map
   d3-geo, the party pages Observable Plot and the whole of d3 it builds on
   (about 160 KB gzip'd, kept off the overview's first visit). Scripts of a
   set load in order (async = false), each once. */
const Vendor = {
  sets: {
    axis: ['d3-array', 'd3-color', 'd3-interpolate', 'd3-format', 'd3-time', 'd3-time-format',
           'd3-scale', 'd3-selection', 'd3-axis'],
    geo: ['d3-array', 'd3-geo'],
    plot: ['d3', 'plot.umd'],
  },
  loading: {},
  script(name) {
    if (!this.loading[name]) this.loading[name] = new Promise((ok, no) => {
      const el = document.createElement('script');
      el.src = `vendor/${name}.min.js`;
      el.async = false;
      el.onload = ok;
      el.onerror = () => no(new Error(`web/vendor/${name}.min.js is missing: run scripts/vendor-web`));
      document.head.append(el);
    });
    return this.loading[name];
  },
  /* the whole of d3, once loaded, holds every module a set asks for */
  need(set) {
    const names = set !== 'plot' && this.loading.d3 ? ['d3'] : this.sets[set];
    return Promise.all(names.map(n => this.script(n)));
  },
};

/* The nation by the country its gazetteer's ISO 3166-2 codes name (the
   areas API's country: "KH" for KH-1 ...), in the page's language: a Khmer
   name from i18n.js where it has one (Chromium has no Khmer region names),
   else the browser's; the word "nation" when the data names no country. */
function nationName() {
  const cc = (App.nation || {}).country;
  if (!cc) return I18N.t('nation');
  const own = I18N.t('country:' + cc);
  if (own !== 'country:' + cc) return own;
  try { return new Intl.DisplayNames([I18N.lang], {type: 'region'}).of(cc) || cc; } catch (e) { return cc; }
}
