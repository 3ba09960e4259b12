// Zone and line editor: draw over a recent frame of a camera, read the YAML fragment (normalised 0..1 coordinates).
import { $, api, qs } from './api.js';
import { cameraGeometry, drawEvidence } from './detail.js';

const state = { camera: null, img: null, geometry: null, points: [], shapes: [] };

const r3 = (v) => Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;

/** Words for the two crossing directions of a line from start to end (supervision: 'in' = left of start->end). */
export function directionWords(start, end) {
  const dx = end[0] - start[0], dy = end[1] - start[1];
  // As the demo config notes: with start at the top and end at the bottom, 'in' is travel to the RIGHT.
  const ix = dy, iy = -dx;
  const name = (x, y) => (Math.abs(x) >= Math.abs(y) ? (x > 0 ? 'rightward' : 'leftward') : (y > 0 ? 'downward' : 'upward'));
  return [name(ix, iy), name(-ix, -iy)];
}

function yaml() {
  const zones = state.shapes.filter((s) => s.kind === 'zone');
  const lines = state.shapes.filter((s) => s.kind === 'line');
  const out = [];
  if (zones.length) {
    out.push('zones:');
    for (const z of zones) {
      out.push(`  - name: ${z.name}`, '    kind: generic',
        `    polygon: [${z.points.map(([x, y]) => `[${r3(x)}, ${r3(y)}]`).join(', ')}]`);
    }
  }
  if (lines.length) {
    out.push('lines:');
    for (const l of lines) {
      const [inName, outName] = directionWords(l.points[0], l.points[1]);
      out.push(`  - name: ${l.name}`, `    start: [${r3(l.points[0][0])}, ${r3(l.points[0][1])}]`,
        `    end: [${r3(l.points[1][0])}, ${r3(l.points[1][1])}]`,
        `    in_name: ${inName}     # objects moving ${inName} on screen`,
        `    out_name: ${outName}`);
    }
  }
  return out.length ? out.join('\n') : '# draw a zone or a line on the frame';
}

function redraw() {
  const c = $('#editor-canvas');
  const g = c.getContext('2d');
  if (state.img) drawEvidence(c, state.img, state.geometry, null);
  else { g.fillStyle = '#000'; g.fillRect(0, 0, c.width, c.height); }
  const w = c.width, h = c.height;
  const all = [...state.shapes, { kind: $('#editor-mode').value, points: state.points, draft: true }];
  for (const s of all) {
    if (!s.points.length) continue;
    g.setLineDash(s.draft ? [6, 4] : []);
    g.strokeStyle = s.kind === 'zone' ? '#7ee787' : '#ffd33d'; g.lineWidth = 3;
    g.fillStyle = 'rgba(126,231,135,.15)';
    g.beginPath();
    s.points.forEach(([x, y], i) => (i ? g.lineTo(x * w, y * h) : g.moveTo(x * w, y * h)));
    if (s.kind === 'zone' && !s.draft) { g.closePath(); g.fill(); }
    g.stroke();
    for (const [x, y] of s.points) { g.fillStyle = '#fff'; g.fillRect(x * w - 3, y * h - 3, 6, 6); }
  }
  $('#editor-yaml').textContent = yaml();
}

async function loadFrame(cameraId) {
  state.camera = cameraId; state.points = []; state.shapes = []; state.img = null;
  state.geometry = await cameraGeometry(cameraId);
  // The newest evidence snapshot is the most recent full frame the center holds for this camera.
  const r = await api(`/incidents${qs({ camera: cameraId, limit: 1 })}`).catch(() => null);
  const url = r && r.data.length ? r.data[0].snapshot_url : null;
  if (!url) { redraw(); return; }
  const img = new Image();
  img.onload = () => { state.img = img; redraw(); };
  img.src = url;
}

export function initEditor(cameraIds) {
  const sel = $('#editor-camera');
  sel.replaceChildren(...cameraIds.map((id) => new Option(id, id)));
  const c = $('#editor-canvas');
  const at = (e) => { const b = c.getBoundingClientRect(); return [(e.clientX - b.left) / b.width, (e.clientY - b.top) / b.height]; };
  c.onclick = (e) => {
    const mode = $('#editor-mode').value;
    state.points.push(at(e));
    if (mode === 'line' && state.points.length === 2) {
      state.shapes.push({ kind: 'line', name: $('#editor-name').value || 'line', points: state.points });
      state.points = [];
    }
    redraw();
  };
  c.ondblclick = () => {
    if ($('#editor-mode').value === 'zone' && state.points.length >= 3) {
      state.shapes.push({ kind: 'zone', name: $('#editor-name').value || 'zone', points: state.points.slice(0, -1) });
      state.points = [];
      redraw();
    }
  };
  $('#editor-clear').onclick = () => { state.points = []; state.shapes = []; redraw(); };
  $('#editor-mode').onchange = () => { state.points = []; $('#editor-name').value = $('#editor-mode').value === 'zone' ? 'my-zone' : 'my-line'; redraw(); };
  sel.onchange = () => loadFrame(sel.value);
  if (cameraIds.length) loadFrame(cameraIds[0]); else redraw();
}
