/* map.js: every commune of the election as a point at its centroid,
   coloured by the party of its chief on the date of the slider, which
   replays the mandate day by day; drawn with d3-geo in a Mercator frame
   fitted to the election's own communes, over the province boundaries of
   the reference data that fall within it. */
'use strict';

/* The frame of the election's own communes: the corners of their bounding
   box, padded, as points a projection can be fitted to (a frame around
   Portugal's councils for Portugal's election, never Cambodia's). */
function frameOf(points) {
  const lon = points.map(p => p[0]), lat = points.map(p => p[1]);
  let [w, e, s, n] = [Math.min(...lon), Math.max(...lon), Math.min(...lat), Math.max(...lat)];
  const pad = Math.max(0.05, 0.04 * Math.max(e - w, n - s));
  [w, e, s, n] = [w - pad, e + pad, s - pad, n + pad];
  return {box: [w, s, e, n], geo: {type: 'MultiPoint', coordinates: [[w, s], [w, n], [e, s], [e, n]]}};
}

/* d3-geo reads a ring's winding on the sphere: an outer ring must run
   clockwise, or it stands for the whole globe less the province. Files
   written to RFC 7946 run the other way; turn them by their planar area. */
function rewind(geometry) {
  const area = ring => ring.reduce((a, p, i) => {
    const q = ring[(i + 1) % ring.length];
    return a + (q[0] - p[0]) * (q[1] + p[1]);
  }, 0);
  const fix = poly => poly.map((ring, i) => ((area(ring) > 0) === (i === 0) ? ring : ring.slice().reverse()));
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return {type: 'MultiPolygon', coordinates: polys.map(fix)};
}

/* Does a feature's box meet the frame's? Only the provinces the election's
   communes lie among are drawn. */
function meets(box, f) {
  const [[w, s], [e, n]] = d3.geoBounds(f);
  return w <= box[2] && e >= box[0] && s <= box[3] && n >= box[1];
}

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
                                   : Promise.resolve(none(I18N.t('noCouncilsYet'))), Vendor.need('geo')]);
  const placed = App.communes.filter(c => c.lat !== null && c.lon !== null);
  const w = 800, margin = 12;
  const frame = placed.length ? frameOf(placed.map(c => [c.lon, c.lat])) : null;
  const proj = d3.geoMercator();
  if (frame) proj.fitWidth(w - 2 * margin, frame.geo);
  const path = d3.geoPath(proj);
  const hgt = frame ? Math.ceil(path.bounds(frame.geo)[1][1]) + 2 * margin : 200;
  proj.translate(proj.translate().map(t => t + margin));
  const root = svg('svg', {viewBox: `0 0 ${w} ${hgt}`, role: 'group', 'aria-label': I18N.t('mapTitle'),
                           'data-frame': frame ? frame.box.map(v => v.toFixed(2)).join(',') : ''});
  for (const f of frame ? geo.features || [] : []) {
    const g = {type: 'Feature', properties: f.properties, geometry: rewind(f.geometry)};
    if (!meets(frame.box, g)) continue;
    const country = f.properties && f.properties.featurecla === 'Admin-0 country';
    root.append(svg('path', {class: country ? 'country' : 'prov', d: path(g), 'aria-hidden': 'true'}));
  }
  const periods = chiefPeriods(m);
  const dots = [];
  /* every commune is drawn: one the gazetteer gives no centroid sits at its
     district's (or province's), hollow and said so in its title */
  let approx = 0;
  const r = placed.length > 300 ? 3.2 : placed.length > 40 ? 5 : 8;  /* a few communes: larger dots */
  for (const c of placed) {
    const [x, y] = proj([c.lon, c.lat]);
    approx += c.approx ? 1 : 0;
    const dot = svg('circle', {cx: x.toFixed(1), cy: y.toFixed(1), r, tabindex: 0,
                               'data-commune': c.code, role: 'link', class: c.approx ? 'approx' : null,
                               'aria-label': areaName(c) + (c.approx ? ' · ' + I18N.t('approxPlace') : '')},
                    svg('title', {}, areaName(c) + (c.approx ? ' · ' + I18N.t('approxPlace') : '')));
    dot.addEventListener('keydown', e => { if (e.key === 'Enter') location.hash = '#/commune/' + c.code; });
    root.append(dot);
    dots.push([dot, c.code, x, y]);
  }
  /* a tap opens the nearest commune within 12 px of the finger (a target
     of 24 px, whatever the dots' size on a phone's screen) */
  root.addEventListener('click', e => {
    const k = root.getScreenCTM(), px = (e.clientX - k.e) / k.a, py = (e.clientY - k.f) / k.d;
    let best = null, dist = 12 / k.a;
    for (const [, code, x, y] of dots) {
      const d = Math.hypot(x - px, y - py);
      if (d <= dist) { best = code; dist = d; }
    }
    if (best) location.hash = '#/commune/' + best;
  });
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
