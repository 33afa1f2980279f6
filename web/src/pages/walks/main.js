// Walk planner: choose a start (map click, coordinates or geolocation), a time
// budget and a focus; trygg proposes a route through the places that matter
// (POST /v1/walks/plan). Places that must be visited are added by clicking the
// map or from the lists, moved by dragging their markers and removed again;
// each change re-plans. The walk is saved with its plan, its route downloads as
// GPX, and walk mode records observations and measures stop by stop, on a phone.
import '../../lib/base.css';
import './style.css';
import { request } from '../../lib/api.js';
import { $, el, formatDate } from '../../lib/dom.js';
import { applyTexts, currentLang, langSwitch, translator } from '../../lib/i18n.js';
import { factorNames, texts } from './texts.js';

let lang = currentLang();
let t = translator(texts, lang);
const TOKEN_KEY = 'trygg.staffToken';
const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  categories: [],
  municipality: null,
  mustVisit: [], // {lat, lon, name}
  plan: null,
  map: null,
  maplibregl: null,
  markers: [],
  startMarker: null,
  walk: null, // the walk in walk mode
  stopIndex: 0,
  lastObservation: null,
};

const api = (path, opts = {}) => request(path, { token: state.token, lang, ...opts });
const catName = (code) => (state.categories.find((c) => c.code === code) || {}).name || code;
const round = (x) => Math.round(x * 1e5) / 1e5;

function status(msg, cls = '') {
  const s = $('#status');
  s.textContent = msg;
  s.className = cls;
}

// ---- login -----------------------------------------------------------------

async function login(token) {
  try {
    await request('/v1/categories', { token, lang }).then((d) => (state.categories = d.categories || []));
    await request('/v1/walks', { token });
  } catch (err) {
    // A token for several municipalities must name one when listing walks (400):
    // it is still a good token.
    if (!(err.status === 400)) {
      status(t('badToken'), 'error');
      return false;
    }
  }
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('#login-box').hidden = true;
  $('#logout').hidden = false;
  $('#planner').hidden = false;
  status('');
  fillCategories();
  defaultsForSave();
  await initMap();
  loadWalks();
  return true;
}

function fillCategories() {
  const kinds = [...document.querySelectorAll('input[name=kind]:checked')].map((i) => i.value);
  const sel = $('#categories');
  const keep = new Set([...sel.selectedOptions].map((o) => o.value));
  sel.replaceChildren(...state.categories.filter((c) => !kinds.length || kinds.includes(c.kind))
    .map((c) => el('option', { value: c.code, selected: keep.has(c.code) }, `${c.parent ? '\u2003' : ''}${c.name}`)));
  const obs = $('#obs-category');
  const keepObs = obs.value;
  obs.replaceChildren(...state.categories.filter((c) => c.parent).map((c) => el('option', { value: c.code }, `${c.kind === 'felanmalan' ? '⚠ ' : ''}${c.name}`)));
  if (keepObs) obs.value = keepObs;
}

// ---- the map ---------------------------------------------------------------

async function initMap() {
  if (state.map) return;
  const { createMap, maplibregl } = await import('../../lib/mapbase.js');
  state.maplibregl = maplibregl;
  state.map = await createMap($('#map'), { center: [15.5, 59.5], zoom: 5 });
  state.map.addSource('route', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  state.map.addLayer({ id: 'route-casing', type: 'line', source: 'route', paint: { 'line-color': '#ffffff', 'line-width': 7 }, layout: { 'line-join': 'round', 'line-cap': 'round' } });
  state.map.addLayer({ id: 'route', type: 'line', source: 'route', paint: { 'line-color': '#0b5394', 'line-width': 4 }, layout: { 'line-join': 'round', 'line-cap': 'round' } });
  state.map.on('click', (e) => {
    const p = { lat: round(e.lngLat.lat), lon: round(e.lngLat.lng) };
    if (document.querySelector('input[name=clickmode]:checked').value === 'must') {
      addMust({ ...p, name: t('place', state.mustVisit.length + 1) });
    } else {
      setStart(p);
    }
  });
}

function setStart(p, { fly = false } = {}) {
  $('#lat').value = p.lat;
  $('#lon').value = p.lon;
  placeStart(p);
  if (fly && state.map) state.map.jumpTo({ center: [p.lon, p.lat], zoom: 15 });
  locate(p);
}

function placeStart(p) {
  if (!state.map) return;
  const at = [p.lon, p.lat];
  if (!state.startMarker) {
    state.startMarker = new state.maplibregl.Marker({ color: '#1d6b2f', draggable: true }).setLngLat(at).addTo(state.map);
    state.startMarker.on('dragend', () => {
      const ll = state.startMarker.getLngLat();
      setStart({ lat: round(ll.lat), lon: round(ll.lng) });
      if (state.plan) plan();
    });
  } else {
    state.startMarker.setLngLat(at);
  }
}

async function locate(p) {
  try {
    state.municipality = await request(`/v1/municipalities/locate?lat=${p.lat}&lon=${p.lon}`);
    $('#muni').textContent = t('inMuni', state.municipality.name, state.municipality.code);
  } catch {
    state.municipality = null;
    $('#muni').textContent = t('noMuni');
  }
  return state.municipality;
}

function startPoint() {
  const lat = Number($('#lat').value.replace(',', '.'));
  const lon = Number($('#lon').value.replace(',', '.'));
  if (!$('#lat').value || !$('#lon').value || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

// ---- must-visit places -----------------------------------------------------

function addMust(p) {
  if (state.mustVisit.length >= 12) return;
  state.mustVisit.push({ lat: round(p.lat), lon: round(p.lon), name: p.name });
  showMust();
  if (state.plan) plan();
}

function removeMust(i) {
  state.mustVisit.splice(i, 1);
  showMust();
  if (state.plan) plan();
}

function showMust() {
  $('#must-list').replaceChildren(...state.mustVisit.map((m, i) => el('li', {},
    `${m.name} (${m.lat.toFixed(4)}, ${m.lon.toFixed(4)}) `,
    el('button', { type: 'button', class: 'small', onclick: () => removeMust(i) }, t('remove', m.name)))));
  for (const mk of state.markers.filter((x) => x.must)) mk.marker.remove();
  state.markers = state.markers.filter((x) => !x.must);
  if (!state.map) return;
  state.mustVisit.forEach((m, i) => {
    const marker = new state.maplibregl.Marker({ color: '#a4121c', draggable: true }).setLngLat([m.lon, m.lat]).addTo(state.map);
    marker.getElement().setAttribute('aria-label', t('mustVisit', m.name));
    marker.on('dragend', () => {
      const ll = marker.getLngLat();
      state.mustVisit[i] = { ...m, lat: round(ll.lat), lon: round(ll.lng) };
      showMust();
      if (state.plan) plan();
    });
    state.markers.push({ must: true, marker });
  });
}

// ---- planning ----------------------------------------------------------------

function planRequest() {
  const start = startPoint();
  const kinds = [...document.querySelectorAll('input[name=kind]:checked')].map((i) => i.value);
  const categories = [...$('#categories').selectedOptions].map((o) => o.value);
  const days = Number($('#period').value);
  const to = new Date();
  const from = new Date(to.getTime() - days * 864e5);
  const body = {
    municipality: state.municipality.code,
    start,
    duration_min: Number($('#duration').value),
    minutes_per_stop: Number($('#per-stop').value || 5),
    avoid_unlit: $('#avoid-unlit').checked,
    period: { from: from.toISOString(), to: to.toISOString() },
    must_visit: state.mustVisit,
  };
  if (kinds.length || categories.length) body.focus = { ...(kinds.length ? { kinds } : {}), ...(categories.length ? { categories } : {}) };
  return body;
}

let planSeq = 0;
async function plan() {
  const start = startPoint();
  if (!start) {
    status(t('badPoint'), 'error');
    $('#lat').focus();
    return;
  }
  if (!state.municipality || state.municipality._for !== `${start.lat},${start.lon}`) {
    const m = await locate(start);
    if (!m) return status(t('noMuni'), 'error');
    m._for = `${start.lat},${start.lon}`;
  }
  placeStart(start);
  const seq = ++planSeq;
  status(t('planning'));
  $('#plan-btn').disabled = true;
  try {
    const body = planRequest();
    const p = await api('/v1/walks/plan', { method: 'POST', body: { ...body, municipality: state.municipality.code } });
    if (seq !== planSeq) return; // a newer plan is on its way
    state.plan = p;
    showPlan(p);
    status(t('planned', (p.stops || []).length, (p.length_m / 1000).toFixed(1), Math.round(p.duration_min)), 'ok');
  } catch (err) {
    if (seq === planSeq) status(t('failed', err.message), 'error');
  } finally {
    if (seq === planSeq) $('#plan-btn').disabled = false;
  }
}

function showPlan(p) {
  $('#result').hidden = false;
  $('#summary').textContent = t('planned', (p.stops || []).length, (p.length_m / 1000).toFixed(1), Math.round(p.duration_min));
  const kinds = t('kinds');
  $('#stops').replaceChildren(...(p.stops || []).map((s) => {
    const mustIdx = state.mustVisit.findIndex((m) => Math.abs(m.lat - s.point.lat) < 1e-5 && Math.abs(m.lon - s.point.lon) < 1e-5);
    return el('li', { 'data-seq': s.seq },
      el('strong', {}, s.name || kinds[s.kind] || s.kind), ` · ${kinds[s.kind] || s.kind}`,
      s.must_visit ? el('span', { class: 'tag' }, t('must')) : '',
      el('span', { class: 'muted' }, ` · ${t('arrival', Math.round(s.arrival_min || 0))}`),
      s.reason ? el('div', { class: 'reason' }, s.reason) : '',
      mustIdx >= 0
        ? el('button', { type: 'button', class: 'small', onclick: () => removeMust(mustIdx) }, t('remove', s.name))
        : s.kind !== 'open_measure' && !s.must_visit
          ? el('button', { type: 'button', class: 'small', onclick: () => addMust({ ...s.point, name: s.name || kinds[s.kind] }) }, t('addMust', s.name || kinds[s.kind]))
          : '');
  }));
  const lo = p.left_out || [];
  $('#left-out-box').hidden = lo.length === 0;
  $('#left-out').replaceChildren(...lo.map((c) => el('li', {},
    el('strong', {}, c.name || kinds[c.kind] || c.kind), c.reason ? ` · ${c.reason}` : '', c.why ? el('div', { class: 'muted' }, c.why) : '',
    c.point ? el('button', { type: 'button', class: 'small', onclick: () => addMust({ ...c.point, name: c.name || kinds[c.kind] }) }, t('addMust', c.name || kinds[c.kind])) : '')));
  if (!state.map) return;
  state.map.getSource('route').setData(p.route ? { type: 'Feature', geometry: p.route, properties: {} } : { type: 'FeatureCollection', features: [] });
  for (const mk of state.markers.filter((x) => !x.must)) mk.marker.remove();
  state.markers = state.markers.filter((x) => x.must);
  for (const s of p.stops || []) {
    const d = el('div', { class: 'stop-marker', title: s.name }, String(s.seq));
    state.markers.push({ marker: new state.maplibregl.Marker({ element: d }).setLngLat([s.point.lon, s.point.lat]).addTo(state.map) });
  }
  const coords = (p.route && p.route.coordinates) || [];
  if (coords.length > 1) {
    const b = coords.reduce((acc, [x, y]) => [Math.min(acc[0], x), Math.min(acc[1], y), Math.max(acc[2], x), Math.max(acc[3], y)], [180, 90, -180, -90]);
    state.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, duration: 0, maxZoom: 17 });
  }
}

// ---- GPX ---------------------------------------------------------------------

// download fetches with the token and saves the answer as a file.
async function download(path, opts, filename) {
  const res = await fetch(path, { ...opts, headers: { ...(opts.headers || {}), Authorization: `Bearer ${state.token}`, Accept: 'application/gpx+xml' } });
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    try {
      msg = (await res.json()).error.message;
    } catch {
      /* not JSON */
    }
    throw new Error(msg);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  status(t('downloaded'), 'ok');
}

async function gpxOfPlan() {
  try {
    const body = { ...planRequest(), municipality: state.municipality.code };
    await download('/v1/walks/plan?format=gpx', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }, 'trygghetsvandring.gpx');
  } catch (err) {
    status(t('failed', err.message), 'error');
  }
}

async function gpxOfWalk() {
  try {
    await download(`/v1/walks/${state.walk.id}/route.gpx`, {}, `${state.walk.title.replace(/[^\p{L}\p{N}]+/gu, '-')}.gpx`);
  } catch (err) {
    status(t('failed', err.message), 'error');
  }
}

// ---- saving and the list of walks --------------------------------------------

function defaultsForSave() {
  const d = new Date(Date.now() + 864e5);
  d.setHours(18, 0, 0, 0);
  const pad = (n) => String(n).padStart(2, '0');
  $('#w-start').value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T18:00`;
}

async function save() {
  const title = $('#w-title').value.trim() || t('defaultTitle', state.municipality ? state.municipality.name : '');
  try {
    const walk = await api('/v1/walks', {
      method: 'POST',
      body: {
        municipality: state.municipality.code,
        title,
        starts_at: new Date($('#w-start').value).toISOString(),
        ...($('#w-organiser').value.trim() ? { organiser: $('#w-organiser').value.trim() } : {}),
        plan: state.plan,
      },
    });
    status(t('savedOk'), 'ok');
    await loadWalks();
    openWalk(walk.id);
  } catch (err) {
    status(t('failed', err.message), 'error');
  }
}

async function loadWalks() {
  let list = [];
  try {
    const q = state.municipality ? `?municipality=${state.municipality.code}` : '';
    list = (await api(`/v1/walks${q}`)).walks || [];
  } catch {
    /* a token for several municipalities lists walks once a start is chosen */
  }
  $('#walk-list').replaceChildren(...(list.length ? list.map((w) => el('li', {},
    el('button', { type: 'button', class: 'link', onclick: () => openWalk(w.id) }, t('startWalk', w.title)),
    el('span', { class: 'muted' }, ` · ${formatDate(w.starts_at, lang)} · ${w.status}`))) : [el('li', { class: 'muted' }, t('noWalks'))]));
}

// ---- walk mode -----------------------------------------------------------------

async function openWalk(id) {
  try {
    state.walk = await api(`/v1/walks/${id}`);
  } catch (err) {
    status(t('failed', err.message), 'error');
    return;
  }
  state.stopIndex = 0;
  state.lastObservation = null;
  $('#planner').hidden = true;
  $('#walkmode').hidden = false;
  $('#wm-h').textContent = t('walkMode', state.walk.title);
  $('#recorded').replaceChildren();
  showStop();
  $('#wm-h').focus();
  window.scrollTo(0, 0);
}

function currentStop() {
  const stops = state.walk.stops || [];
  return stops[state.stopIndex] || null;
}

function showStop() {
  const stops = state.walk.stops || [];
  const s = currentStop();
  $('#stop-now').textContent = s ? t('stopNow', state.stopIndex + 1, stops.length, `${s.name}${s.reason ? ` – ${s.reason}` : ''}`) : t('noStops');
  $('#prev').disabled = state.stopIndex <= 0;
  $('#next').disabled = state.stopIndex >= stops.length - 1;
}

function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error(t('noPosition')));
    navigator.geolocation.getCurrentPosition((p) => resolve({ lat: round(p.coords.latitude), lon: round(p.coords.longitude) }), () => reject(new Error(t('noPosition'))), { enableHighAccuracy: true, timeout: 10000 });
  });
}

async function saveObservation() {
  const s = currentStop();
  try {
    const point = $('#obs-here').checked || !s ? await position() : s.point;
    const rating = document.querySelector('input[name=rating]:checked').value;
    const body = {
      point,
      rating,
      category: $('#obs-category').value,
      factors: [...document.querySelectorAll('input[name=factor]:checked')].map((i) => i.value),
      note: $('#obs-note').value.trim() || undefined,
      observed_at: new Date().toISOString(),
    };
    if (s && !$('#obs-here').checked) body.stop_seq = s.seq || state.stopIndex + 1;
    const o = await api(`/v1/walks/${state.walk.id}/observations`, { method: 'POST', body });
    state.lastObservation = o;
    $('#recorded').append(el('li', {}, t('obsItem', t(o.rating), catName(o.category), o.report_reference || '')));
    $('#obs-note').value = '';
    for (const i of document.querySelectorAll('input[name=factor]:checked')) i.checked = false;
    status(t('obsSaved', o.report_reference || ''), 'ok');
  } catch (err) {
    status(t('failed', err.message), 'error');
  }
}

async function saveMeasure() {
  const s = currentStop();
  const body = { what: $('#m-what').value.trim(), horizon: $('#m-horizon').value, owner: $('#m-owner').value.trim() };
  if ($('#m-due').value) body.due_date = $('#m-due').value;
  if (state.lastObservation) body.observation_id = state.lastObservation.id;
  else if (s) body.point = s.point;
  try {
    const m = await api(`/v1/walks/${state.walk.id}/measures`, { method: 'POST', body });
    $('#recorded').append(el('li', {}, t('measureItem', m.what, m.owner)));
    $('#m-what').value = '';
    status(t('measureSaved'), 'ok');
  } catch (err) {
    status(t('failed', err.message), 'error');
  }
}

function fillFactors() {
  const names = factorNames[lang] || factorNames.sv;
  const box = $('#factors');
  const keep = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  box.replaceChildren(el('legend', {}, t('factors')), el('div', { class: 'chips' }, ...Object.entries(names).map(([k, v]) =>
    el('label', { class: 'inline' }, el('input', { type: 'checkbox', name: 'factor', value: k, checked: keep.has(k) }), ` ${v}`))));
}

// ---- wiring ------------------------------------------------------------------

function render() {
  t = translator(texts, lang);
  applyTexts(document, t, lang);
  fillFactors();
  if (state.plan) showPlan(state.plan);
  if (state.walk && !$('#walkmode').hidden) showStop();
  showMust();
}

$('#login').addEventListener('submit', (e) => {
  e.preventDefault();
  login($('#token').value.trim()).then((ok) => ok && ($('#token').value = ''));
});
$('#logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});
$('#plan-form').addEventListener('submit', (e) => {
  e.preventDefault();
  plan().then(() => state.plan && $('#result-h').focus());
});
for (const id of ['#lat', '#lon']) {
  $(id).addEventListener('change', () => {
    const p = startPoint();
    if (p) setStart(p, { fly: true });
  });
}
$('#locate').addEventListener('click', async () => {
  try {
    setStart(await position(), { fly: true });
  } catch (err) {
    status(err.message, 'error');
  }
});
for (const i of document.querySelectorAll('input[name=kind]')) i.addEventListener('change', fillCategories);
$('#gpx-plan').addEventListener('click', gpxOfPlan);
$('#gpx-walk').addEventListener('click', gpxOfWalk);
$('#save-form').addEventListener('submit', (e) => {
  e.preventDefault();
  save();
});
$('#wm-close').addEventListener('click', () => {
  $('#walkmode').hidden = true;
  $('#planner').hidden = false;
  state.map && state.map.resize();
});
$('#prev').addEventListener('click', () => {
  state.stopIndex = Math.max(0, state.stopIndex - 1);
  showStop();
});
$('#next').addEventListener('click', () => {
  state.stopIndex = Math.min((state.walk.stops || []).length - 1, state.stopIndex + 1);
  showStop();
});
$('#obs-form').addEventListener('submit', (e) => {
  e.preventDefault();
  saveObservation();
});
$('#measure-form').addEventListener('submit', (e) => {
  e.preventDefault();
  saveMeasure();
});
langSwitch($('#lang'), (l) => {
  lang = l;
  render();
});

render();
if (state.token) login(state.token).then((ok) => ok || sessionStorage.removeItem(TOKEN_KEY));
