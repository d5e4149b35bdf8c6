/* charts.js: small SVG charts drawn by hand: horizontal bars (seats per
   party) and lines over time (a party's seats and chiefs). */
'use strict';
const SVGNS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v);
  for (const kid of kids.flat()) if (kid) el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  return el;
}

/* bars: [{label, value, colour}] */
function barChart(title, bars) {
  const w = 560, row = 22, left = 150, top = 8, max = Math.max(1, ...bars.map(b => b.value));
  const hgt = top * 2 + row * bars.length;
  const root = svg('svg', {viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': title});
  bars.forEach((b, i) => {
    const y = top + i * row, bw = (w - left - 70) * b.value / max;
    root.append(svg('text', {x: left - 6, y: y + 15, 'text-anchor': 'end'}, b.label),
      svg('rect', {x: left, y: y + 3, width: Math.max(bw, 0.5), height: row - 6, fill: b.colour}),
      svg('text', {x: left + bw + 4, y: y + 15}, I18N.num(b.value)));
  });
  return h('figure.chart', {}, h('figcaption', {}, title), root);
}

/* series: [{label, colour, points: [[isoDate, value], ...]}] */
/* Ticks for 0..max: a step of 1, 2 or 5 times a power of ten, 3 to 6 of them. */
function niceTicks(max) {
  const raw = Math.max(1, max) / 5, pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(k => k * pow).find(s => s >= raw);
  const top = Math.ceil(Math.max(1, max) / step) * step, out = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return out;
}

/* series: [{label, colour, points: [[date, value]]}]; marks: [{date, label}]
   drawn as dashed verticals (a dissolution, a deadline). */
function lineChart(title, series, marks) {
  const w = 560, hgt = 220, l = 50, r = 10, t = 16, b = 30;
  const all = series.flatMap(s => s.points);
  if (!all.length) return h('p.muted', {}, '—');
  const xs = all.map(p => Date.parse(p[0])), x0 = Math.min(...xs), x1 = Math.max(...xs) || x0 + 1;
  const ticks = niceTicks(Math.max(...all.map(p => p[1])));
  const ymax = ticks[ticks.length - 1];
  const X = d => l + (w - l - r) * (Date.parse(d) - x0) / Math.max(1, x1 - x0);
  const Y = v => hgt - b - (hgt - t - b) * v / ymax;
  const root = svg('svg', {viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': title});
  for (const v of ticks)
    root.append(svg('line', {x1: l, y1: Y(v), x2: w - r, y2: Y(v), stroke: v ? '#e3e3e3' : '#888', 'data-tick': v}),
      svg('text', {x: l - 4, y: Y(v) + 4, 'text-anchor': 'end'}, I18N.num(v)));
  root.append(svg('line', {x1: l, y1: t, x2: l, y2: hgt - b, stroke: '#888'}),
    svg('text', {x: l, y: hgt - 8}, I18N.date(new Date(x0).toISOString().slice(0, 10))),
    svg('text', {x: w - r, y: hgt - 8, 'text-anchor': 'end'}, I18N.date(new Date(x1).toISOString().slice(0, 10))));
  for (const m of (marks || []).filter(m => Date.parse(m.date) >= x0 && Date.parse(m.date) <= x1))
    root.append(svg('line', {x1: X(m.date), y1: t, x2: X(m.date), y2: hgt - b, stroke: '#b03a2e',
                             'stroke-dasharray': '4 3', 'data-mark': m.date}),
      svg('text', {x: X(m.date) + 3, y: t - 4, fill: '#b03a2e'}, `${m.label} · ${I18N.date(m.date)}`));
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => (k ? 'L' : 'M') + X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1)).join(' ');
    root.append(svg('path', {d, fill: 'none', stroke: s.colour, 'stroke-width': 2, 'stroke-dasharray': i ? '5 3' : ''}));
  });
  const legend = h('div.legend', {}, series.map((s, i) => h('span', {},
    h('span.swatch', {style: `background:${s.colour}`}), s.label + (i ? ' (- -)' : ''))));
  return h('figure.chart', {}, h('figcaption', {}, title), root, legend);
}
