// Line counts per direction over time as a plain SVG line chart (no chart library).
import { el, fmtTime } from './api.js';

const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#3fa7ff', '#f0883e', '#3fb950', '#d2a8ff', '#f85149', '#e3b341', '#56d4dd', '#db61a2'];

function s(tag, attrs = {}, text) {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Render ``rows`` (CountPublic) into ``host``: one series per camera/line/direction, summed over classes. */
export function renderCountsChart(host, rows, bucket) {
  host.replaceChildren();
  const series = new Map();
  const times = new Set();
  for (const r of rows) {
    const key = `${r.camera_id} / ${r.name} / ${r.direction}`;
    const t = new Date(r.bucket_start).getTime();
    times.add(t);
    if (!series.has(key)) series.set(key, new Map());
    const m = series.get(key);
    m.set(t, (m.get(t) || 0) + r.count);
  }
  if (!series.size) {
    host.append(el('p', { class: 'empty', text: 'No line crossings counted yet.' }));
    return { series: 0, total: 0 };
  }
  const ts = [...times].sort((a, b) => a - b);
  const W = 1000, H = 320, L = 48, R = 12, T = 14, B = 30;
  let max = 1;
  for (const m of series.values()) for (const v of m.values()) max = Math.max(max, v);
  const nice = Math.max(1, Math.ceil(max / 4)) * 4;
  const x = (t) => ts.length === 1 ? L + (W - L - R) / 2 : L + ((t - ts[0]) / (ts[ts.length - 1] - ts[0])) * (W - L - R);
  const y = (v) => H - B - (v / nice) * (H - T - B);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': 'line counts per direction over time', id: 'counts-svg' });
  for (let i = 0; i <= 4; i++) {
    const v = (nice / 4) * i;
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'axis', 'stroke-dasharray': i ? '2 4' : '' }));
    svg.append(s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  const ticks = Math.min(ts.length, 8);
  for (let i = 0; i < ticks; i++) {
    const t = ts[Math.round((i * (ts.length - 1)) / Math.max(1, ticks - 1))];
    const label = bucket === 'day' ? new Date(t).toISOString().slice(0, 10) : fmtTime(new Date(t).toISOString()).slice(0, 5);
    svg.append(s('text', { x: x(t), y: H - 10, 'text-anchor': i === 0 && ticks > 1 ? 'start' : i === ticks - 1 && ticks > 1 ? 'end' : 'middle' }, label));
  }
  const legend = el('div', { class: 'legend-row' });
  let i = 0, total = 0;
  for (const [key, m] of series) {
    const c = COLOURS[i++ % COLOURS.length];
    const pts = ts.map((t) => [x(t), y(m.get(t) || 0)]);
    svg.append(s('polyline', { points: pts.map((p) => p.join(',')).join(' '), fill: 'none', stroke: c, 'stroke-width': 2,
      'vector-effect': 'non-scaling-stroke', 'data-series': key }));
    for (const [t, v] of m) {
      const dot = s('circle', { cx: x(t), cy: y(v), r: 3, fill: c });
      dot.append(s('title', {}, `${key}: ${v} at ${new Date(t).toISOString()}`));
      svg.append(dot);
    }
    const sum = [...m.values()].reduce((a, b) => a + b, 0);
    total += sum;
    legend.append(el('span', { class: 'series', 'data-series': key }, el('i', { style: `background:${c}` }), `${key}: ${sum}`));
  }
  host.append(svg, legend);
  return { series: series.size, total };
}
