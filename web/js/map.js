/* map.js: province boundaries (from the reference data) and every commune
   as a point at its centroid, coloured by the party of its chief on the
   date of the slider, which replays the mandate day by day. */
'use strict';

const MapView = {
  lon0: 102.3, lon1: 107.7, lat0: 14.75, lat1: 10.35, w: 800,
  scale() { return this.w / ((this.lon1 - this.lon0) * Math.cos(12.5 * Math.PI / 180)); },
  xy(lon, lat) {
    const k = this.scale();
    return [(lon - this.lon0) * Math.cos(12.5 * Math.PI / 180) * k, (this.lat0 - lat) * k];
  },
  path(rings) {
    return rings.map(ring => ring.map((p, i) => {
      const [x, y] = this.xy(p[0], p[1]);
      return (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
    }).join(' ') + 'Z').join(' ');
  },
};

/* chiefs[commune] = [[start, end, party], ...] from the mandate's memberships. */
function chiefPeriods(m) {
  const out = {};
  for (const r of m.memberships) if (r[3] === 'chief') (out[r[1]] = out[r[1]] || []).push([r[4], r[5], r[2]]);
  return out;
}

function chiefOn(periods, day) {
  for (const p of periods || []) if (p[0] <= day && (!p[1] || p[1] > day)) return p[2];
  return null;
}

async function viewMap(main) {
  /* before the results are official there is no council to colour: the
     communes are drawn grey and the page says why */
  const none = msg => ({memberships: [], from: App.election.date, until: App.election.date, error: msg});
  const [geo, m] = await Promise.all([api('/geo/provinces').catch(e => ({error: e.message})),
    App.election.official_communes ? mandate().catch(e => none(e.message))
                                   : Promise.resolve(none(I18N.t('noCouncilsYet')))]);
  const hgt = (MapView.lat0 - MapView.lat1) * MapView.scale();
  const root = svg('svg', {viewBox: `0 0 ${MapView.w} ${hgt.toFixed(0)}`, role: 'img',
                           'aria-label': I18N.t('mapTitle')});
  for (const f of geo.features || []) {
    const g = f.geometry, polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const country = f.properties && f.properties.featurecla === 'Admin-0 country';
    root.append(svg('path', {class: country ? 'country' : 'prov', d: polys.map(p => MapView.path(p)).join(' ')}));
  }
  const periods = chiefPeriods(m);
  const dots = [];
  /* every commune is drawn: one the gazetteer gives no centroid sits at its
     district's (or province's), hollow and said so in its title */
  let approx = 0;
  for (const c of App.communes) {
    if (c.lat === null || c.lon === null) continue;
    const [x, y] = MapView.xy(c.lon, c.lat);
    approx += c.approx ? 1 : 0;
    const dot = svg('circle', {cx: x.toFixed(1), cy: y.toFixed(1), r: 3.2, tabindex: 0,
                               'data-commune': c.code, role: 'link', class: c.approx ? 'approx' : null},
                    svg('title', {}, areaName(c) + (c.approx ? ' · ' + I18N.t('approxPlace') : '')));
    dot.addEventListener('click', () => { location.hash = '#/commune/' + c.code; });
    dot.addEventListener('keydown', e => { if (e.key === 'Enter') location.hash = '#/commune/' + c.code; });
    root.append(dot);
    dots.push([dot, c.code]);
  }
  const d0 = Date.parse(m.from), d1 = Date.parse(m.until), days = Math.max(1, Math.round((d1 - d0) / 864e5));
  const label = h('output', {id: 'map-date', 'aria-live': 'polite'});
  const legend = h('div.legend', {id: 'map-legend'});
  const slider = h('input', {type: 'range', min: 0, max: days, value: 0, id: 'map-slider',
                             'aria-label': I18N.t('date'), 'data-from': m.from});
  const paint = () => {
    const day = new Date(d0 + slider.value * 864e5).toISOString().slice(0, 10);
    const counts = {};
    for (const [dot, code] of dots) {
      const p = chiefOn(periods[code], day);
      dot.setAttribute('fill', p ? Parties.colour(p) : '#bbb');
      dot.setAttribute('data-party', p || '');
      counts[p || '—'] = (counts[p || '—'] || 0) + 1;
    }
    label.value = `${I18N.t('onDate')} ${I18N.date(day)}`;
    label.setAttribute('data-date', day);
    render(legend, ...Object.entries(counts).sort((a, b) => b[1] - a[1])
      .map(([p, n]) => h('span', {'data-legend': p}, h('span.swatch', {style: `background:${Parties.colour(p)}`}),
                             `${Parties.name(p)} ${I18N.num(n)}`)));
  };
  slider.addEventListener('input', paint);
  const unplaced = App.communes.length - dots.length;
  render(main, h('h1', {}, I18N.t('mapTitle')), h('p.muted', {}, I18N.t('mapHint')),
    h('p.muted', {id: 'map-approx', 'data-approx': approx, 'data-unplaced': unplaced},
      `${I18N.num(App.communes.length)} ${I18N.t('communesLower')} · ${I18N.num(approx)} ${I18N.t('approxCount')}`
      + (unplaced ? ` · ${I18N.num(unplaced)} ${I18N.t('unplacedCount')}` : '')),
    geo.error ? h('p.muted', {}, geo.error) : null,
    m.error ? h('p.muted', {'data-no-councils': ''}, m.error) : null,
    h('div.slider', {}, h('label', {for: 'map-slider'}, I18N.t('date')), slider, label), legend,
    h('div', {id: 'map'}, root));
  paint();
}
