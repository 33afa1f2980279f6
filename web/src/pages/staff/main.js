// Queue page: caseworkers list new reports with filters, open one (photos, a
// small map, history, likely duplicates), change its status or visibility,
// add a note, or merge it into a duplicate. Every change carries the report's
// version as If-Match; when someone else changed the report meanwhile (412) the
// page shows what happened since and lets the caseworker apply the change again.
import '../../lib/base.css';
import './style.css';
import { ApiError, request } from '../../lib/api.js';
import { $, el, formatDate } from '../../lib/dom.js';
import { applyTexts, currentLang, langSwitch, translator } from '../../lib/i18n.js';
import { statusNames, texts, visibilityNames } from './texts.js';

let lang = currentLang();
let t = translator(texts, lang);
const TOKEN_KEY = 'trygg.staffToken';
const state = { token: sessionStorage.getItem(TOKEN_KEY) || '', categories: [], cursor: '', detail: null, pending: null, map: null, marker: null, photoURLs: [] };

const stName = (s) => (statusNames[lang] || statusNames.sv)[s] || s;
const visName = (v) => (visibilityNames[lang] || visibilityNames.sv)[v] || v;
const catName = (code) => (state.categories.find((c) => c.code === code) || {}).name || code;
const api = (path, opts = {}) => request(path, { token: state.token, lang, ...opts });

function status(msg, cls = '') {
  const s = $('#status');
  s.textContent = msg;
  s.className = cls;
}

// ---- login -----------------------------------------------------------------

async function login(token) {
  try {
    await request('/v1/staff/reports?limit=1', { token });
  } catch {
    status(t('badToken'), 'error');
    return false;
  }
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#login-box').hidden = true;
  $('#logout').hidden = false;
  $('#queue').hidden = false;
  status('');
  await loadCategories();
  await loadList(false);
  return true;
}

async function loadCategories() {
  try {
    state.categories = (await request('/v1/categories', { lang })).categories || [];
  } catch {
    state.categories = [];
  }
  const sel = $('#f-category');
  const keep = sel.value;
  sel.replaceChildren(el('option', { value: '' }, t('all')));
  const kind = $('#f-kind').value;
  for (const c of state.categories) {
    if (kind && c.kind && c.kind !== kind) continue;
    sel.append(el('option', { value: c.code }, `${c.parent ? '\u2003' : ''}${c.name}`));
  }
  sel.value = keep;
}

// ---- the list --------------------------------------------------------------

function filterQuery() {
  const q = new URLSearchParams();
  const add = (k, v) => v && q.set(k, v);
  add('status', $('#f-status').value);
  add('kind', $('#f-kind').value);
  add('category', $('#f-category').value);
  add('visibility', $('#f-visibility').value);
  add('text', $('#f-text').value.trim());
  q.set('limit', '25');
  return q;
}

async function loadList(more) {
  const q = filterQuery();
  if (more && state.cursor) q.set('cursor', state.cursor);
  status(t('loading'));
  let page;
  try {
    page = await api(`/v1/staff/reports?${q}`);
  } catch (err) {
    status(t('failed', err.message), 'error');
    return;
  }
  status('');
  const rows = $('#rows');
  if (!more) rows.replaceChildren();
  for (const r of page.reports) rows.append(row(r));
  state.cursor = page.next_cursor || '';
  $('#more').hidden = !state.cursor;
  $('#empty').hidden = rows.children.length > 0;
  $('#list').hidden = rows.children.length === 0;
}

function row(r) {
  const open = el('button', { type: 'button', class: 'link', 'aria-label': t('open', r.reference), onclick: () => openDetail(r.id) }, r.reference);
  return el('tr', { 'data-id': r.id },
    el('td', {}, open),
    el('td', {}, catName(r.category)),
    el('td', {}, el('span', { class: `badge st-${r.status}` }, stName(r.status)), r.visibility !== 'pending' ? el('span', { class: 'muted' }, ` · ${visName(r.visibility)}`) : ''),
    el('td', {}, formatDate(r.received_at, lang)),
    el('td', { class: 'desc' }, (r.description || '').slice(0, 120)));
}

// ---- one report --------------------------------------------------------------

async function openDetail(id) {
  status(t('loading'));
  let d;
  try {
    d = await api(`/v1/staff/reports/${id}`);
  } catch (err) {
    status(t('failed', err.message), 'error');
    return;
  }
  status('');
  $('#queue').hidden = true;
  $('#detail').hidden = false;
  $('#conflict').hidden = true;
  state.pending = null;
  showDetail(d);
  $('#detail-h').focus();
  loadDuplicates(d);
}

function showDetail(d) {
  state.detail = d;
  $('#detail-h').textContent = `${d.reference} · ${catName(d.category)}`;
  const facts = [
    [t('kindL'), t(`k_${d.kind}`)],
    [t('status'), stName(d.status)],
    [t('visibility'), visName(d.visibility)],
    [t('municipality'), d.municipality ? `${d.municipality.name} (${d.municipality.code})` : ''],
    [t('observed'), formatDate(d.observed_at, lang)],
    [t('received'), formatDate(d.received_at, lang)],
    [t('place'), d.location ? `${d.location.lat.toFixed(5)}, ${d.location.lon.toFixed(5)}` : ''],
    [t('feeling'), d.feeling ? String(d.feeling) : ''],
    [t('confirmations'), d.confirmations ? String(d.confirmations) : ''],
    [t('contact'), d.contact ? [d.contact.name, d.contact.email, d.contact.phone].filter(Boolean).join(', ') : ''],
    [t('duplicateOf'), d.duplicate_of || ''],
    [t('version'), String(d.version)],
  ].filter(([, v]) => v);
  $('#facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, v)]));
  $('#d-description').textContent = d.description || '';

  // The change form: only the statuses the workflow allows from here.
  const sel = $('#c-status');
  const allowed = d.allowed_statuses || [];
  sel.replaceChildren(el('option', { value: '' }, allowed.length ? t('keepStatus', stName(d.status)) : t('noWorkflow')),
    ...allowed.map((s) => el('option', { value: s }, stName(s))));
  sel.disabled = allowed.length === 0;
  $('#c-visibility').value = d.visibility;

  $('#history').replaceChildren(...(d.history || []).map((e) => el('li', {},
    el('time', { datetime: e.at }, formatDate(e.at, lang)), ' · ', t('ev', e.type),
    e.from_status || e.to_status ? ` (${stName(e.from_status || '–')} → ${stName(e.to_status || '–')})` : '',
    e.actor ? el('span', { class: 'muted' }, ` · ${e.actor}`) : '',
    e.note ? el('div', { class: 'note' }, e.note, e.public ? el('span', { class: 'muted' }, ' (publik)') : '') : '')));

  showPhotos(d);
  showMap(d);
}

// Photos of unpublished reports need the token, which an <img src> cannot
// send: fetch them and show blob: URLs (the CSP allows blob: images).
async function showPhotos(d) {
  for (const u of state.photoURLs) URL.revokeObjectURL(u);
  state.photoURLs = [];
  const box = $('#photos');
  box.replaceChildren();
  let i = 0;
  for (const p of d.photos || []) {
    i++;
    try {
      const res = await fetch(p.url, { headers: { Authorization: `Bearer ${state.token}` } });
      if (!res.ok) continue;
      const url = URL.createObjectURL(await res.blob());
      state.photoURLs.push(url);
      box.append(el('a', { href: url, target: '_blank' }, el('img', { src: url, alt: t('photoAlt', i), width: p.width, height: p.height })));
    } catch {
      /* a missing photo leaves a gap, nothing else */
    }
  }
}

// The small map loads MapLibre only when a report is opened.
async function showMap(d) {
  if (!d.location) return;
  const at = [d.location.lon, d.location.lat];
  try {
    if (!state.map) {
      if (!document.querySelector('link[href="/assets/maplibre-gl.css"]')) {
        document.head.append(el('link', { rel: 'stylesheet', href: '/assets/maplibre-gl.css' }));
      }
      const { createMap, maplibregl } = await import('../../lib/mapbase.js');
      state.map = await createMap($('#detail-map'), { center: at, zoom: 15 });
      state.marker = new maplibregl.Marker({ color: '#a4121c' }).setLngLat(at).addTo(state.map);
    } else {
      state.marker.setLngLat(at);
      state.map.jumpTo({ center: at, zoom: 15 });
    }
  } catch {
    $('#detail-map').textContent = `${d.location.lat.toFixed(5)}, ${d.location.lon.toFixed(5)}`;
  }
}

async function loadDuplicates(d) {
  const list = $('#dupe-list');
  list.replaceChildren();
  let res;
  try {
    res = await api(`/v1/staff/reports/${d.id}/duplicates`);
  } catch {
    return;
  }
  const cands = (res.candidates || []).filter((c) => c.id !== d.duplicate_of);
  if (!cands.length || d.status === 'duplicate') {
    list.append(el('li', { class: 'muted' }, t('noDupes')));
    return;
  }
  for (const c of cands) {
    list.append(el('li', {},
      el('strong', {}, c.reference), ` · ${catName(c.category)} · ${stName(c.status)} · `,
      el('span', { class: 'muted' }, t('score', Math.round(c.score * 100), Math.round(c.distance_m))),
      c.description ? el('div', { class: 'note' }, c.description.slice(0, 160)) : '',
      el('button', { type: 'button', onclick: () => change({ merge: c }) }, t('mergeInto', c.reference))));
  }
}

// ---- changes, with If-Match and 412 ----------------------------------------

function formChange() {
  const body = {};
  const d = state.detail;
  if ($('#c-status').value) body.status = $('#c-status').value;
  if ($('#c-visibility').value !== d.visibility) body.visibility = $('#c-visibility').value;
  const note = $('#c-note').value.trim();
  if (note) {
    body.note = note;
    if ($('#c-public').checked) body.public_note = true;
  }
  return body;
}

function describe(ch) {
  if (ch.merge) return t('mergeInto', ch.merge.reference);
  const parts = [];
  if (ch.body.status) parts.push(`${t('status')} → ${stName(ch.body.status)}`);
  if (ch.body.visibility) parts.push(`${t('visibility')} → ${visName(ch.body.visibility)}`);
  if (ch.body.note) parts.push(`${t('note')}: “${ch.body.note}”`);
  return parts.join(', ');
}

// change sends one change at the version the caseworker saw: {body} for PATCH
// or {merge: candidate}.
async function change(ch) {
  const d = state.detail;
  if (!ch.merge && !Object.keys(ch.body).length) {
    status(t('nothing'));
    return;
  }
  const headers = { 'If-Match': `"${d.version}"` };
  $('#save').disabled = true;
  try {
    const next = ch.merge
      ? await api(`/v1/staff/reports/${d.id}/merge`, { method: 'POST', headers, body: { into: ch.merge.id } })
      : await api(`/v1/staff/reports/${d.id}`, { method: 'PATCH', headers, body: ch.body });
    state.pending = null;
    $('#conflict').hidden = true;
    $('#c-note').value = '';
    $('#c-public').checked = false;
    showDetail(next);
    loadDuplicates(next);
    status(ch.merge ? t('merged', ch.merge.reference) : t('saved'), 'ok');
  } catch (err) {
    if (err instanceof ApiError && err.status === 412) await conflict(ch, err.details || {});
    else status(t('failed', err.message), 'error');
  } finally {
    $('#save').disabled = false;
  }
}

// conflict shows what changed since the caseworker's version, reloads the
// report and offers to apply the same change to the current version.
async function conflict(ch, details) {
  state.pending = ch;
  const changes = details.changes || [];
  $('#conflict-changes').replaceChildren(...changes.map((e) => el('li', {},
    formatDate(e.at, lang), ' · ', t('ev', e.type),
    e.from_status || e.to_status ? ` (${stName(e.from_status || '–')} → ${stName(e.to_status || '–')})` : '',
    e.data && e.data.moderation ? ` (${visName(e.data.moderation.from)} → ${visName(e.data.moderation.to)})` : '',
    e.actor ? ` · ${e.actor}` : '', e.note ? ` · “${e.note}”` : '')));
  $('#conflict-mine').textContent = t('yourChange', describe(ch));
  try {
    const fresh = await api(`/v1/staff/reports/${state.detail.id}`);
    showDetail(fresh);
  } catch {
    /* keep the old view; re-applying will tell */
  }
  status(t('reloaded'));
  $('#conflict').hidden = false;
  $('#conflict').focus();
}

// ---- wiring ------------------------------------------------------------------

function render() {
  t = translator(texts, lang);
  applyTexts(document, t, lang);
  if (state.detail && !$('#detail').hidden) showDetail(state.detail);
}

$('#login').addEventListener('submit', (e) => {
  e.preventDefault();
  login($('#token').value.trim()).then((ok) => ok && ($('#token').value = ''));
});
$('#logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});
$('#filters').addEventListener('submit', (e) => {
  e.preventDefault();
  loadList(false);
});
$('#f-kind').addEventListener('change', loadCategories);
$('#more').addEventListener('click', () => loadList(true));
$('#back').addEventListener('click', () => {
  $('#detail').hidden = true;
  $('#queue').hidden = false;
  loadList(false).then(() => {
    const b = state.detail && document.querySelector(`tr[data-id="${state.detail.id}"] button`);
    if (b) b.focus();
  });
});
$('#change').addEventListener('submit', (e) => {
  e.preventDefault();
  change({ body: formChange() });
});
$('#reapply').addEventListener('click', () => state.pending && change(state.pending));
$('#discard').addEventListener('click', () => {
  state.pending = null;
  $('#conflict').hidden = true;
  status('');
});
langSwitch($('#lang'), (l) => {
  lang = l;
  render();
  if (state.token && !$('#queue').hidden) loadCategories().then(() => loadList(false));
});

render();
if (state.token) login(state.token).then((ok) => ok || sessionStorage.removeItem(TOKEN_KEY));
