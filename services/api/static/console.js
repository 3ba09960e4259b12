// citylens operator console: sign-in, live feed (SSE), search with filter chips, camera health, counts, zone editor.
import { $, api, ApiError, el, fmtAge, fmtTime, qs, setCsrf, toast, words } from './api.js';
import { renderCountsChart } from './chart.js';
import { showIncident } from './detail.js';
import { initEditor } from './editor.js';

const S = { session: null, view: 'live', selected: null, incidents: new Map(), source: null, cameras: [],
  timers: [] };

// ------------------------------------------------------------------------------------------ session
async function boot() {
  try {
    S.session = await api('/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showSignIn();
    return showSignIn(`The API did not answer: ${e.message}`);
  }
  setCsrf(S.session.csrf);
  const next = new URLSearchParams(location.search).get('next');
  if (next && next.startsWith('/') && !next.startsWith('//')) { location.replace(next); return; }
  startApp();
}

function showSignIn(message = '') {
  $('#signin').hidden = false; $('#app').hidden = true; $('#tabs').hidden = true; $('#user').hidden = true;
  $('#signin-error').textContent = message;
  $('#key').focus();
}

$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('#signin-error').textContent = '';
  try {
    S.session = await api('/session', { method: 'POST', body: { key: $('#key').value.trim() } });
    $('#key').value = '';
    setCsrf(S.session.csrf);
    const next = new URLSearchParams(location.search).get('next');
    if (next && next.startsWith('/') && !next.startsWith('//')) { location.replace(next); return; }
    startApp();
  } catch (e) { $('#signin-error').textContent = e.message; }
});

$('#signout').addEventListener('click', async () => {
  try { await api('/session', { method: 'DELETE' }); } catch (_) { /* already gone */ }
  if (S.source) S.source.close();
  S.timers.forEach(clearInterval); S.timers = [];
  setCsrf(null);
  if (S.session && S.session.open_mode) { toast('Open mode: no sign-in is needed on this API'); return; }
  location.reload();
});

function startApp() {
  $('#signin').hidden = true; $('#app').hidden = false; $('#tabs').hidden = false; $('#user').hidden = false;
  $('#who').textContent = S.session.open_mode ? 'open mode (no keys)' : S.session.name;
  $('#role').textContent = S.session.role;
  $('#signout').hidden = S.session.open_mode;
  document.body.dataset.role = S.session.role;
  loadFeed().then(connectEvents);
  loadCameras();
  S.timers.push(setInterval(() => { if (S.view === 'cameras') loadCameras(); }, 5000));
  S.timers.push(setInterval(() => { if (S.view === 'counts') loadCounts(); }, 15000));
}

// --------------------------------------------------------------------------------------------- tabs
for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => show(b.dataset.view));

function show(view) {
  S.view = view;
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.view === view);
  for (const v of document.querySelectorAll('.view')) v.classList.toggle('active', v.id === `view-${view}`);
  $('#app').classList.toggle('wide', !['live', 'search'].includes(view));
  if (view === 'cameras') loadCameras();
  if (view === 'counts') loadCounts();
  if (view === 'editor') initEditor(S.cameras.map((c) => c.camera_id));
  if (view === 'search') $('#search-q').focus();
}

// --------------------------------------------------------------------------------------------- feed
function row(inc, fresh = false) {
  const tr = el('tr', { 'data-id': inc.id, class: [fresh ? 'fresh' : '', S.selected === inc.id ? 'selected' : ''].join(' ').trim(),
    onclick: () => select(inc.id) },
    el('td', {}, inc.snapshot_url ? el('img', { class: 'thumb', loading: 'lazy', src: inc.snapshot_url, alt: '' }) : ''),
    el('td', { title: inc.started_at, text: fmtTime(inc.started_at) }),
    el('td', { class: 'type', text: words(inc.type) }),
    el('td', {}, el('span', { class: `sev sev-${inc.severity}`, text: inc.severity })),
    el('td', { text: inc.camera_id }),
    el('td', { text: inc.zone || inc.line || '—' }),
    el('td', { text: inc.object_class || '—' }),
    el('td', {}, el('span', { class: `state state-${inc.state}`, text: inc.state })),
    el('td', { class: inc.acked_at ? 'ack-yes' : 'muted', title: inc.acked_by ? `by ${inc.acked_by}` : '', text: inc.acked_at ? '✓' : '·' }));
  return tr;
}

function feedFilterMatches(inc) {
  const cam = $('#feed-camera').value, st = $('#feed-state').value;
  return (!cam || inc.camera_id === cam) && (!st || inc.state === st);
}

async function loadFeed() {
  const params = { limit: 100, camera: $('#feed-camera').value, state: $('#feed-state').value };
  try {
    const r = await api(`/incidents${qs(params)}`);
    S.incidents.clear();
    for (const inc of r.data) S.incidents.set(inc.id, inc);
    $('#feed tbody').replaceChildren(...r.data.map((i) => row(i)));
    S.feedTotal = r.count;
    $('#feed-count').textContent = `${r.count} total`;
    $('#feed-empty').hidden = r.data.length > 0;
  } catch (e) { toast(`Cannot load incidents: ${e.message}`, true); }
}
$('#feed-camera').addEventListener('change', loadFeed);
$('#feed-state').addEventListener('change', loadFeed);

function upsertFeed(inc) {
  S.incidents.set(inc.id, inc);
  const body = $('#feed tbody');
  const old = body.querySelector(`tr[data-id="${CSS.escape(inc.id)}"]`);
  if (!feedFilterMatches(inc)) { if (old) old.remove(); return; }
  const tr = row(inc, !old);
  if (old) old.replaceWith(tr); else {
    body.prepend(tr);
    S.feedTotal = (S.feedTotal || 0) + 1;
    $('#feed-count').textContent = `${S.feedTotal} total`;
  }
  while (body.children.length > 300) body.lastChild.remove();
  $('#feed-empty').hidden = true;
  for (const t of document.querySelectorAll(`#search-results tr[data-id="${CSS.escape(inc.id)}"]`)) t.replaceWith(row(inc));
}

function connectEvents() {
  // EventSource sends the session cookie on its own and resends Last-Event-ID when it reconnects,
  // so the server replays exactly what was missed.
  const status = $('#live-status');
  const src = new EventSource('/events');
  S.source = src;
  const set = (cls, text) => { status.className = `live ${cls}`; status.querySelector('span').textContent = text; };
  src.onopen = () => set('on', 'live');
  src.onerror = () => set(src.readyState === EventSource.CLOSED ? 'err' : 'off', src.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…');
  const onIncident = (ev) => {
    const inc = JSON.parse(ev.data);
    window.__citylensLive = (window.__citylensLive || 0) + 1;  // read by the browser test
    upsertFeed(inc);
    if (S.selected === inc.id && ev.type === 'incident') refreshDetailSoon();
  };
  src.addEventListener('incident', onIncident);
  src.addEventListener('ack', onIncident);
  src.addEventListener('revoked', () => { src.close(); set('err', 'signed out'); showSignIn('Your key was revoked or your session ended.'); });
}

let detailTimer = null;
function refreshDetailSoon() {
  clearTimeout(detailTimer);
  detailTimer = setTimeout(() => S.selected && select(S.selected), 800);
}

function select(id) {
  S.selected = id;
  for (const tr of document.querySelectorAll('tr[data-id]')) tr.classList.toggle('selected', tr.dataset.id === id);
  showIncident($('#detail'), id, S.session, (inc) => upsertFeed(inc));
}

// ------------------------------------------------------------------------------------------- search
const CHIP_FIELDS = { cameras: 'camera', zones: 'zone', types: 'type', classes: 'class', colours: 'colour',
  since: 'since', until: 'until' };

async function runSearch(body) {
  const tbody = $('#search-results tbody');
  $('#search-summary').textContent = 'Searching…';
  let r;
  try {
    r = body ? await api('/search', { method: 'POST', body }) : await api(`/search${qs({ q: $('#search-q').value, limit: 50 })}`);
  } catch (e) { $('#search-summary').textContent = ''; toast(`Search failed: ${e.message}`, true); return; }
  renderChips(r);
  tbody.replaceChildren(...r.data.map((i) => row(i)));
  const pending = r.semantic_pending ? ` · ${r.semantic_pending} incidents not yet indexed for meaning` : '';
  $('#search-summary').textContent = r.count
    ? `${r.count} incident${r.count === 1 ? '' : 's'} match${r.truncated ? ' (query was cut)' : ''}${pending}`
    : `Nothing matches “${r.query}” with these filters. Remove a filter chip or use other words.${pending}`;
  $('#search-summary').className = r.count ? 'muted' : 'empty';
}

function renderChips(r) {
  const box = $('#search-chips');
  box.replaceChildren();
  const filters = (r.parsed && r.parsed.filters) || {};
  const remove = (field) => {
    // Re-run with the remaining filters given explicitly and only the free text, so the removed phrase is not re-read.
    const explicit = {};
    for (const [k, v] of Object.entries(filters)) {
      if (k === field || !(k in CHIP_FIELDS) || v === null || (Array.isArray(v) && !v.length)) continue;
      explicit[CHIP_FIELDS[k]] = v;
    }
    $('#search-q').value = r.parsed.text || '';
    runSearch({ q: r.parsed.text || '', filters: explicit, limit: 50 });
  };
  for (const [k, v] of Object.entries(filters)) {
    if (v === null || v === undefined || (Array.isArray(v) && !v.length) || v === '' || typeof v === 'object' && !Array.isArray(v)) continue;
    const shown = Array.isArray(v) ? v.map(words).join(', ') : (k === 'since' || k === 'until') ? fmtTime(v, true) : String(v);
    const label = CHIP_FIELDS[k] || k;
    box.append(el('span', { class: 'chip', 'data-field': k }, el('b', { text: `${label}:` }), shown,
      k in CHIP_FIELDS ? el('button', { title: `remove ${label} filter`, 'aria-label': `remove ${label} filter`, onclick: () => remove(k) }, '×') : null));
  }
  if (r.parsed && r.parsed.text) box.append(el('span', { class: 'chip text' }, el('b', { text: 'text:' }), r.parsed.text));
  const unmatched = r.unmatched || (r.parsed && r.parsed.unmatched);
  if (unmatched && (!Array.isArray(unmatched) || unmatched.length)) {
    box.append(el('span', { class: 'chip unmatched', title: 'words the search did not understand as a filter' },
      el('b', { text: 'not understood:' }), Array.isArray(unmatched) ? unmatched.join(', ') : String(unmatched)));
  }
}

$('#search-form').addEventListener('submit', (ev) => { ev.preventDefault(); runSearch(); });

// ------------------------------------------------------------------------------------------ cameras
async function latestSnapshot(cameraId) {
  const r = await api(`/incidents${qs({ camera: cameraId, limit: 1 })}`).catch(() => null);
  return r && r.data.length ? r.data[0] : null;
}

async function loadCameras() {
  let r;
  try { r = await api('/cameras'); } catch (e) { toast(`Cannot load cameras: ${e.message}`, true); return; }
  S.cameras = r.data;
  for (const sel of [$('#feed-camera'), $('#counts-camera')]) {
    const keep = sel.value;
    sel.replaceChildren(new Option('all', ''), ...r.data.map((c) => new Option(c.camera_id, c.camera_id)));
    sel.value = keep;
  }
  const cards = await Promise.all(r.data.map(async (c) => {
    const last = await latestSnapshot(c.camera_id);
    const dl = el('dl', {},
      el('div', {}, el('dt', { text: 'fps in' }), el('dd', { text: c.fps_in.toFixed(1) })),
      el('div', {}, el('dt', { text: 'fps out' }), el('dd', { text: c.fps_out.toFixed(1) })),
      el('div', {}, el('dt', { text: 'dropped' }), el('dd', { class: c.frames_dropped ? 'sev-warning' : '', text: c.frames_dropped })),
      el('div', {}, el('dt', { text: 'frames' }), el('dd', { text: `${c.frames_processed}/${c.frames_in}` })),
      el('div', {}, el('dt', { text: 'last frame' }), el('dd', { text: fmtTime(c.last_frame_at) })),
      el('div', {}, el('dt', { text: 'report age' }), el('dd', { class: c.age_s > 30 ? 'sev-warning' : '', text: fmtAge(c.age_s) })),
      el('div', {}, el('dt', { text: 'box' }), el('dd', { text: c.box || '—' })),
      el('div', {}, el('dt', { text: 'reconnects' }), el('dd', { text: c.reconnects })));
    return el('article', { class: 'cam', 'data-camera': c.camera_id },
      last && last.snapshot_url ? el('img', { src: last.snapshot_url, alt: `latest snapshot of ${c.camera_id}`, title: `latest evidence, ${fmtTime(last.started_at, true)}` })
        : el('div', { class: 'noimg', text: 'no snapshot yet' }),
      el('div', { class: 'body' },
        el('div', { class: 'head' }, el('b', { text: c.camera_id }), el('span', { class: `st st-${c.state}`, text: c.state })),
        dl, c.error ? el('p', { class: 'error', text: c.error }) : null));
  }));
  $('#cameras').replaceChildren(...cards);
  if (!cards.length) $('#cameras').append(el('p', { class: 'empty', text: 'No camera has reported health yet.' }));
  $('#cameras-updated').textContent = `updated ${fmtTime(new Date().toISOString())}`;
}

// ------------------------------------------------------------------------------------------- counts
async function loadCounts() {
  const params = { kind: 'line', camera: $('#counts-camera').value, bucket: $('#counts-bucket').value };
  $('#counts-csv').href = `/counts${qs({ ...params, format: 'csv' })}`;
  let r;
  try { r = await api(`/counts${qs(params)}`); } catch (e) { toast(`Cannot load counts: ${e.message}`, true); return; }
  renderCountsChart($('#counts-chart'), r.data, params.bucket);
  const totals = new Map();
  for (const d of r.data) {
    const k = `${d.camera_id} / ${d.name}\u0000${d.direction}`;
    totals.set(k, (totals.get(k) || 0) + d.count);
  }
  $('#counts-table tbody').replaceChildren(...[...totals].map(([k, v]) => {
    const [line, dir] = k.split('\u0000');
    return el('tr', { 'data-direction': dir }, el('td', { text: line }), el('td', { text: dir }), el('td', { class: 'total', text: v }));
  }));
}
$('#counts-camera').addEventListener('change', loadCounts);
$('#counts-bucket').addEventListener('change', loadCounts);

boot();
