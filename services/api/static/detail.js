// Incident detail: evidence with the zone/line and box drawn, facts, caption, revisions, acknowledge and notes.
import { api, el, fmtTime, toast, words } from './api.js';

const geometryCache = new Map();

export async function cameraGeometry(cameraId) {
  if (!geometryCache.has(cameraId)) {
    geometryCache.set(cameraId, api(`/cameras/${encodeURIComponent(cameraId)}/geometry`).catch(() => null));
  }
  return geometryCache.get(cameraId);
}

/** Draw ``img`` on ``canvas`` with zones/lines (normalised coordinates) and the incident's box. */
export function drawEvidence(canvas, img, geometry, inc) {
  const w = img.naturalWidth, h = img.naturalHeight;
  canvas.width = w; canvas.height = h;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  g.lineWidth = Math.max(2, w / 320);
  g.font = `${Math.max(14, Math.round(w / 38))}px system-ui, sans-serif`;
  const label = (text, x, y, colour) => {
    const m = g.measureText(text);
    g.fillStyle = 'rgba(0,0,0,.65)'; g.fillRect(x, y - parseInt(g.font, 10), m.width + 8, parseInt(g.font, 10) + 6);
    g.fillStyle = colour; g.fillText(text, x + 4, y);
  };
  if (geometry) {
    for (const z of geometry.zones) {
      const fired = inc && inc.zone === z.name;
      const c = fired ? '#ff9f1a' : 'rgba(255,255,255,.35)';
      g.strokeStyle = c; g.fillStyle = fired ? 'rgba(255,159,26,.16)' : 'rgba(255,255,255,.04)';
      g.setLineDash(fired ? [] : [6, 5]);
      g.beginPath();
      z.polygon.forEach(([x, y], i) => (i ? g.lineTo(x * w, y * h) : g.moveTo(x * w, y * h)));
      g.closePath(); g.fill(); g.stroke();
      if (fired) label(`zone ${z.name}`, z.polygon[0][0] * w, z.polygon[0][1] * h - 4, c);
    }
    for (const ln of geometry.lines) {
      const fired = inc && inc.line === ln.name;
      const c = fired ? '#ff4fd8' : 'rgba(255,79,216,.6)';
      g.setLineDash([]); g.strokeStyle = c; g.lineWidth = Math.max(3, w / 240);
      g.beginPath(); g.moveTo(ln.start[0] * w, ln.start[1] * h); g.lineTo(ln.end[0] * w, ln.end[1] * h); g.stroke();
      label(`${ln.name}: ${ln.in_name} / ${ln.out_name}`, ln.start[0] * w + 6, ln.start[1] * h - 6, c);
    }
  }
  if (inc) label(`${inc.camera_id}  ${fmtTime(inc.started_at, true)}`, 6, h - 8, '#ffffff');
}

function fact(dl, name, value) {
  if (value === undefined || value === null || value === '') return;
  dl.append(el('dt', { text: name }), el('dd', { text: typeof value === 'object' ? JSON.stringify(value) : String(value) }));
}

function fmtFact(k, v) {
  if (typeof v === 'number' && /_seen$|_at$/.test(k) && v > 1e9) return fmtTime(new Date(v * 1000).toISOString(), true);
  if (typeof v === 'number') return Number.isInteger(v) ? v : v.toFixed(2);
  if (Array.isArray(v)) return v.join(', ');
  return v;
}

/** Fill ``host`` with incident ``id``; ``session`` decides whether ack/notes are enabled. */
export async function showIncident(host, id, session, onChange) {
  host.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
  let inc;
  try { inc = await api(`/incidents/${encodeURIComponent(id)}`); } catch (e) {
    host.replaceChildren(el('p', { class: 'error', text: `Cannot load incident: ${e.message}` })); return;
  }
  const canWrite = session.role === 'operator' || session.role === 'admin';
  const why = canWrite ? null : `your key has role '${session.role}'; acknowledging and notes need 'operator'`;
  const canvas = el('canvas', { id: 'evidence-canvas' });
  const evidence = el('div', { class: 'evidence' }, canvas);
  const dl = el('dl', { class: 'facts', id: 'facts' });
  const revs = el('ol', { class: 'revs', id: 'revisions' });
  const notes = el('ul', { class: 'notes', id: 'notes-list' });
  const ackBtn = el('button', { id: 'ack', class: 'primary', disabled: !canWrite || !!inc.acked_at, title: why || '' },
    inc.acked_at ? `Acknowledged by ${inc.acked_by}` : 'Acknowledge');
  const noteText = el('textarea', { id: 'note-text', placeholder: canWrite ? 'Add a note for the next shift…' : why,
    disabled: !canWrite, maxlength: 4000 });
  const noteBtn = el('button', { id: 'note-add', disabled: !canWrite, title: why || '' }, 'Add note');

  host.replaceChildren(
    el('header', {},
      el('h2', { id: 'detail-title', text: `${words(inc.type)} · ${inc.zone || inc.line || inc.camera_id}` }),
      el('span', { class: `sev sev-${inc.severity}`, text: inc.severity }),
      el('span', { class: `state state-${inc.state}`, text: inc.state })),
    el('div', { class: 'muted', text: `${inc.camera_id} · ${fmtTime(inc.started_at, true)} · id ${inc.id}` }),
    evidence,
    el('div', { class: 'legend' }, el('span', {}, el('i', { style: 'background:#ff9f1a' }), 'zone that fired'),
      el('span', {}, el('i', { style: 'background:#ff4fd8' }), 'counting line'),
      el('span', {}, el('i', { style: 'background:#ff3030' }), 'object (boxed at the edge)'),
      inc.crop_url ? el('a', { href: inc.crop_url, target: '_blank', text: 'crop' }) : null,
      inc.snapshot_url ? el('a', { href: inc.snapshot_url, target: '_blank', text: 'snapshot' }) : null),
    el('div', { class: 'actions' }, ackBtn),
    el('h3', { text: 'Caption' }),
    inc.caption ? el('div', { class: 'caption', id: 'caption' }, inc.caption,
      el('small', { text: `${inc.caption_source || ''} ${inc.caption_model ? '· ' + inc.caption_model : ''}` }))
      : el('p', { class: 'muted', text: 'No caption yet.' }),
    el('h3', { text: 'Facts' }), dl,
    el('h3', { text: 'Revisions' }), revs,
    el('h3', { text: 'Notes' }), el('div', { class: 'notes' }, notes, noteText, el('div', { class: 'actions' }, noteBtn)),
  );
  fact(dl, 'rule', inc.rule);
  fact(dl, 'object', inc.object_class);
  fact(dl, 'tracks', inc.track_ids.join(', '));
  fact(dl, 'started', fmtTime(inc.started_at, true));
  fact(dl, 'ended', inc.ended_at ? fmtTime(inc.ended_at, true) : 'ongoing');
  for (const [k, v] of Object.entries(inc.facts || {})) fact(dl, words(k), fmtFact(k, v));
  fact(dl, 'box', inc.box);
  fact(dl, 'models', Object.entries(inc.models || {}).map(([k, v]) => `${k}=${v}`).join(' '));
  fact(dl, 'acknowledged', inc.acked_at ? `${fmtTime(inc.acked_at, true)} by ${inc.acked_by}` : 'no');

  if (inc.snapshot_url) {
    const img = new Image();
    const geometry = await cameraGeometry(inc.camera_id);
    img.onload = () => drawEvidence(canvas, img, geometry, inc);
    img.onerror = () => evidence.replaceChildren(el('p', { class: 'muted', text: 'snapshot not available' }));
    img.src = inc.snapshot_url;
  } else {
    evidence.replaceChildren(el('p', { class: 'muted', text: 'no snapshot for this incident' }));
  }

  api(`/incidents/${encodeURIComponent(id)}/revisions`).then((r) => {
    revs.replaceChildren(...r.data.map((v) => el('li', {},
      el('span', { text: fmtTime(v.received_at) }),
      el('span', { text: v.kind === 'ack' ? 'ack' : `rev ${v.seq} ${v.incident.state}` }),
      el('span', { text: v.kind === 'ack' ? `by ${v.incident.acked_by}` : (v.incident.caption || '') }))));
    if (!r.data.length) revs.append(el('li', { class: 'muted', text: 'no revisions recorded' }));
  }).catch(() => revs.replaceChildren(el('li', { class: 'muted', text: 'revisions unavailable' })));

  const loadNotes = () => api(`/incidents/${encodeURIComponent(id)}/notes`).then((r) => {
    notes.replaceChildren(...r.data.map((n) => el('li', {}, el('b', { text: n.author }), ` ${fmtTime(n.created_at, true)}: `, n.text)));
    if (!r.data.length) notes.append(el('li', { class: 'muted', text: 'No notes.' }));
  });
  loadNotes();

  ackBtn.addEventListener('click', async () => {
    ackBtn.disabled = true;
    try {
      const r = await api(`/incidents/${encodeURIComponent(id)}/ack`, { method: 'POST' });
      ackBtn.textContent = `Acknowledged by ${r.acked_by}`;
      toast('Incident acknowledged');
      onChange && onChange(r);
    } catch (e) { ackBtn.disabled = false; toast(`Acknowledge failed: ${e.message}`, true); }
  });
  noteBtn.addEventListener('click', async () => {
    const text = noteText.value.trim();
    if (!text) return;
    try {
      await api(`/incidents/${encodeURIComponent(id)}/notes`, { method: 'POST', body: { text } });
      noteText.value = ''; loadNotes();
    } catch (e) { toast(`Note failed: ${e.message}`, true); }
  });
}
