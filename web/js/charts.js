/* charts.js: the dashboard's charts on D3 and Observable Plot (web/vendor/,
   loaded by Vendor.need before a view draws): seats per party as bars with
   a real axis (D3 modules only, light enough for the overview's budget),
   and a party's seats and chiefs over the mandate, with the mandate's
   events marked, and defections per month (Plot). Every mark has a tooltip;
   numbers and dates follow the page's language. */
'use strict';
const SVGNS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v);
  for (const kid of kids.flat()) if (kid) el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  return el;
}

const isoDay = d => d.toISOString().slice(0, 10);

/* Ticks for 0..max: a step of 1, 2 or 5 times a power of ten, 3 to 6 of
   them, whole numbers only (seats and chiefs are counts). */
function niceTicks(max) {
  const raw = Math.max(1, max) / 5, pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = Math.max(1, [1, 2, 5, 10].map(k => k * pow).find(s => s >= raw));
  const top = Math.ceil(Math.max(1, max) / step) * step, out = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return out;
}

/* bars: [{label, value, colour, title}]: horizontal bars on a linear scale
   with its axis below; each bar's tooltip says its label and value (the
   title element: what a screen reader and a long press read too). */
function barChart(title, bars) {
  const w = 560, row = 26, left = 150, right = 60, top = 6, axisH = 24;
  const hgt = top + row * bars.length + axisH;
  const x = d3.scaleLinear().domain([0, Math.max(1, ...bars.map(b => b.value))]).nice().range([left, w - right]);
  const root = d3.create('svg').attr('viewBox', `0 0 ${w} ${hgt}`).attr('role', 'img').attr('aria-label', title);
  const g = root.append('g').selectAll('g').data(bars).join('g')
    .attr('transform', (b, i) => `translate(0,${top + i * row})`).attr('data-bar', b => b.label);
  g.append('text').attr('x', left - 6).attr('y', row / 2 + 5).attr('text-anchor', 'end').text(b => b.label);
  g.append('rect').attr('x', left).attr('y', 3).attr('height', row - 6)
    .attr('width', b => Math.max(0.5, x(b.value) - left)).attr('fill', b => b.colour)
    .append('title').text(b => b.title || `${b.label}: ${I18N.num(b.value)}`);
  g.append('text').attr('x', b => x(b.value) + 4).attr('y', row / 2 + 5).text(b => I18N.num(b.value));
  root.append('g').attr('class', 'axis').attr('transform', `translate(0,${top + row * bars.length + 2})`)
    .call(d3.axisBottom(x).ticks(Math.min(6, x.domain()[1])).tickFormat(v => Number.isInteger(v) ? I18N.num(v) : ''))
    .selectAll('.tick').attr('data-tick', v => v);
  return h('figure.chart', {}, h('figcaption', {}, title), root.node());
}

/* Plot's options every chart shares: the page's font, numbers in its language. */
function plotBase(extra) {
  return Object.assign({width: 640, height: 260, marginLeft: 48, marginTop: 28, marginRight: 16,
                        style: {fontFamily: 'inherit', fontSize: '12px', background: 'transparent'}}, extra);
}

/* Plot names its groups with aria-label, which ARIA allows only on an
   element with a role (axe: aria-prohibited-attr); the chart is one image
   named by its title, and the table beside it carries the figures. */
function plainAria(chart) {
  chart.querySelectorAll('g[aria-label]').forEach(g => g.removeAttribute('aria-label'));
  chart.setAttribute('role', 'img');
}

/* series: [{label, colour, dash, points: [[isoDate, value]]}]; marks: [{date,
   label}] drawn as dashed verticals (a dissolution, a deadline). A step line
   per series (a count holds until it changes), a grid on nice ticks, a
   tooltip on the nearest day. The axis ticks carry data-tick, the marks
   data-mark, for the tests. */
function lineChart(title, series, marks) {
  const data = series.flatMap(s => s.points.map(([d, v]) => ({date: new Date(d), value: v, series: s.label,
                                                               colour: s.colour, dash: s.dash || null})));
  if (!data.length) return h('p.muted', {}, '—');
  const x0 = Math.min(...data.map(d => +d.date)), x1 = Math.max(...data.map(d => +d.date));
  const shown = (marks || []).filter(m => Date.parse(m.date) >= x0 && Date.parse(m.date) <= x1)
    .map(m => Object.assign({}, m, {at: new Date(m.date)}));
  const ticks = niceTicks(Math.max(...data.map(d => d.value)));
  const chart = Plot.plot(plotBase({
    ariaLabel: title,
    x: {type: 'utc', label: null, tickFormat: d => I18N.month(isoDay(d).slice(0, 7)), ticks: 6},
    y: {domain: [0, ticks[ticks.length - 1]], ticks, grid: true, label: null, tickFormat: v => I18N.num(v)},
    marks: [
      Plot.ruleY([0]),
      ...series.map(s => Plot.lineY(data.filter(d => d.series === s.label),
        {x: 'date', y: 'value', stroke: s.colour, strokeWidth: 2, curve: 'step-after', strokeDasharray: s.dash || null})),
      Plot.ruleX(shown, {x: 'at', stroke: '#b03a2e', strokeDasharray: '4 3', className: 'event'}),
      Plot.text(shown, {x: 'at', text: m => `${m.label} · ${I18N.date(m.date)}`, frameAnchor: 'top', dy: -16,
                        textAnchor: 'start', dx: 3, fill: '#b03a2e'}),
      Plot.tip(data, Plot.pointerX({x: 'date', y: 'value', z: 'series',
        title: d => `${d.series} · ${I18N.date(isoDay(d.date))}: ${I18N.num(d.value)}`})),
    ],
  }));
  chart.querySelectorAll('[aria-label="y-axis tick label"] text').forEach((t, i) => t.setAttribute('data-tick', ticks[i]));
  chart.querySelectorAll('g.event line').forEach((l, i) => l.setAttribute('data-mark', shown[i].date));
  plainAria(chart);
  const legend = h('div.legend', {}, series.map((s, i) => h('span', {},
    h('span.swatch', {style: `background:${s.colour}`}), s.label + (s.dash ? ' (- -)' : ''))));
  return h('figure.chart', {}, h('figcaption', {}, title), chart, legend);
}

/* Defections per month: joined above the line, left below it, one bar of
   each per month with its tooltip. rows: [{month: 'YYYY-MM', joined, left}] */
function defectionChart(title, rows) {
  if (!rows.length) return null;
  const data = rows.flatMap(r => [
    {month: new Date(r.month + '-01'), n: r.joined, kind: I18N.t('joined'), colour: '#2e7d32', ym: r.month},
    {month: new Date(r.month + '-01'), n: -r.left, kind: I18N.t('left'), colour: '#b03a2e', ym: r.month}]).filter(d => d.n);
  const top = niceTicks(Math.max(1, ...data.map(d => Math.abs(d.n))));
  const ticks = top.slice(1).map(v => -v).reverse().concat(top);
  const chart = Plot.plot(plotBase({
    ariaLabel: title, height: 200,
    x: {type: 'utc', label: null, tickFormat: d => I18N.month(isoDay(d).slice(0, 7)), ticks: 6},
    y: {domain: [ticks[0], ticks[ticks.length - 1]], ticks, grid: true, label: null, tickFormat: v => I18N.num(Math.abs(v))},
    marks: [
      Plot.rectY(data, {x: 'month', interval: 'month', y: 'n', fill: 'colour', inset: 1,
                        title: d => `${I18N.month(d.ym)} · ${d.kind}: ${I18N.num(Math.abs(d.n))}`, tip: true}),
      Plot.ruleY([0]),
    ],
  }));
  plainAria(chart);
  const legend = h('div.legend', {}, [['joined', '#2e7d32'], ['left', '#b03a2e']].map(([k, c]) =>
    h('span', {}, h('span.swatch', {style: `background:${c}`}), I18N.t(k))));
  return h('figure.chart', {'data-chart': 'defections'}, h('figcaption', {}, title), chart, legend);
}
