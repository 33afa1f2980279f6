// Report page: a resident reports a place that feels unsafe (otrygghet) or a
// fault (felanmälan). Mobile first and light: MapLibre is loaded only when the
// resident chooses to tap a place on the map.
import '../../lib/base.css';
import './style.css';
import { ApiError, deviceId, newKey, request, withRetry } from '../../lib/api.js';
import { $, el } from '../../lib/dom.js';
import { applyTexts, currentLang, langSwitch, translator } from '../../lib/i18n.js';
import { texts } from './texts.js';

let lang = currentLang();
let t = translator(texts, lang);
const state = {
  location: null, // {lat, lon, accuracy_m}
  municipality: null,
  categories: [],
  picker: null,
  submitting: false,
  pending: null, // {key, body}: a submission not yet acknowledged, retried with the same key
};

const form = $('#report');
const status = (msg, cls = '') => {
  const p = $('#status');
  p.textContent = msg;
  p.className = cls;
};
const kind = () => form.querySelector('input[name=kind]:checked').value;

async function loadCategories() {
  const sel = $('#category');
  const keep = sel.value;
  try {
    const data = await withRetry(() => request(`/v1/categories?kind=${kind()}`, { lang }));
    state.categories = data.categories;
  } catch (err) {
    status(t('categoriesFailed'), 'error');
    return;
  }
  const byCode = new Map(state.categories.map((c) => [c.code, c]));
  sel.replaceChildren(el('option', { value: '' }, t('chooseCategory')));
  const groups = new Map();
  for (const c of state.categories) {
    if (!c.reportable) continue;
    const parent = byCode.get(c.parent);
    const label = parent && parent.parent ? parent.name : '';
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(c);
  }
  for (const [label, cats] of groups) {
    const opts = cats.map((c) => el('option', { value: c.code, title: c.description }, c.name));
    if (label) sel.append(el('optgroup', { label }, opts));
    else sel.append(...opts);
  }
  if (keep && [...sel.options].some((o) => o.value === keep)) sel.value = keep;
  describeCategory();
}

function describeCategory() {
  const c = state.categories.find((x) => x.code === $('#category').value);
  $('#category-help').textContent = (c && c.description) || '';
}

function showPlace() {
  const p = state.location;
  if (!p) return;
  const acc = p.accuracy_m ? ` (±${Math.round(p.accuracy_m)} m)` : '';
  const muni = state.municipality ? `, ${state.municipality.name}` : '';
  $('#place').textContent = `${t('placeChosen')} ${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}${acc}${muni}`;
  $('#place').className = 'ok';
}

async function setLocation(p) {
  state.location = p;
  state.municipality = null;
  showPlace();
  if (state.picker) state.picker.setCenter(p);
  try {
    state.municipality = await request(`/v1/municipalities/locate?lat=${p.lat}&lon=${p.lon}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      $('#place').textContent = t('outside');
      $('#place').className = 'error';
      return;
    }
  }
  showPlace();
  loadNearby();
}

function locate() {
  if (!navigator.geolocation) {
    status(t('noGeolocation'), 'error');
    return;
  }
  status(t('locating'));
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      status('');
      setLocation({ lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy_m: Math.min(pos.coords.accuracy || 0, 100000) });
    },
    () => status(t('geolocationDenied'), 'error'),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
}

async function togglePicker() {
  const box = $('#picker');
  const btn = $('#pick');
  if (!box.hidden) {
    box.hidden = true;
    btn.setAttribute('aria-expanded', 'false');
    return;
  }
  box.hidden = false;
  btn.setAttribute('aria-expanded', 'true');
  if (state.picker) return;
  status(t('loadingMap'));
  try {
    const { openPicker } = await import('../../lib/picker.js');
    state.picker = await openPicker(box, { center: state.location, onPick: (p) => setLocation({ ...p, accuracy_m: 10 }) });
    status(t('tapMap'));
  } catch {
    status(t('mapFailed'), 'error');
  }
}

// loadNearby lists what is already reported where the resident stands, for the
// chosen category, so they can confirm it instead of reporting it again.
async function loadNearby() {
  const box = $('#nearby');
  const cat = $('#category').value;
  if (!state.location || !cat) {
    box.hidden = true;
    return;
  }
  const { lat, lon } = state.location;
  let data;
  try {
    data = await request(`/v1/reports/nearby?lat=${lat}&lon=${lon}&category=${encodeURIComponent(cat)}&kind=${kind()}`, { lang });
  } catch {
    box.hidden = true;
    return;
  }
  const list = $('#nearby-list');
  list.replaceChildren();
  const name = (code) => (state.categories.find((c) => c.code === code) || {}).name || code;
  for (const r of data.reports) {
    const btn = el('button', { type: 'button', class: 'metoo' }, t('meToo'));
    const count = el('span', { class: 'muted' }, t('confirmations', r.confirmations));
    btn.addEventListener('click', () => confirmReport(r, btn, count));
    list.append(el('li', {}, el('strong', {}, name(r.category)), ` – ${t('statusName', r.status)}, ${t('metres', Math.round(r.distance_m))}. `, count, ' ', btn));
  }
  const otr = data.otrygghet.filter((o) => o.reports > 0);
  $('#nearby-otr').textContent = otr.length ? t('otrygghetNearby', otr.map((o) => `${name(o.category)}: ${o.reports}`).join(', ')) : '';
  box.hidden = data.reports.length === 0 && otr.length === 0;
}

async function confirmReport(r, btn, count) {
  btn.disabled = true;
  const key = newKey();
  try {
    const c = await withRetry(() => request(`/v1/reports/${r.id}/confirmations`, {
      method: 'POST', body: {}, headers: { 'Idempotency-Key': key, 'X-Device-Id': deviceId() },
    }));
    count.textContent = t('confirmations', c.confirmations);
    btn.textContent = t('confirmed');
  } catch (err) {
    btn.disabled = false;
    status(err.message || t('failed'), 'error');
  }
}

function reportBody() {
  const body = {
    kind: kind(),
    category: $('#category').value,
    location: { lat: state.location.lat, lon: state.location.lon },
  };
  if (state.location.accuracy_m) body.location.accuracy_m = Math.round(state.location.accuracy_m);
  const text = $('#description').value.trim();
  if (text) body.description = text;
  if (body.kind === 'otrygghet') {
    if ($('#feeling').value) body.feeling = Number($('#feeling').value);
    if ($('#time').value) body.time_of_day = $('#time').value;
  }
  if (!$('#anonymous').checked) {
    const contact = {};
    for (const f of ['name', 'email', 'phone']) {
      const v = $(`#${f}`).value.trim();
      if (v) contact[f] = v;
    }
    if (Object.keys(contact).length) body.contact = contact;
  }
  return body;
}

async function submit(e) {
  e.preventDefault();
  if (state.submitting) return; // a double tap sends nothing twice
  if (!state.location) {
    status(t('needPlace'), 'error');
    $('#locate').focus();
    return;
  }
  if (!$('#category').value) {
    status(t('needCategory'), 'error');
    $('#category').focus();
    return;
  }
  const body = reportBody();
  const json = JSON.stringify(body);
  // The same content keeps its key: if an earlier attempt reached the server
  // but its answer was lost, the retry gets that same report back.
  if (!state.pending || state.pending.json !== json) state.pending = { key: newKey(), json };
  const { key } = state.pending;
  state.submitting = true;
  const button = $('#submit');
  button.disabled = true;
  status(t('sending'));
  try {
    const receipt = await withRetry(
      () => request('/v1/reports', { method: 'POST', body, headers: { 'Idempotency-Key': key, 'X-Device-Id': deviceId() } }),
      { attempts: 5, onRetry: () => status(t('retrying')) },
    );
    state.pending = null;
    await showReceipt(receipt);
  } catch (err) {
    status(err instanceof ApiError ? `${t('failed')} ${err.message}` : t('offline'), 'error');
  } finally {
    state.submitting = false;
    button.disabled = false;
  }
}

async function uploadPhoto(receipt) {
  const file = $('#photo').files[0];
  if (!file) return;
  const p = $('#photo-status');
  p.textContent = t('photoSending');
  const fd = new FormData();
  fd.append('photo', file);
  try {
    await withRetry(() => request(`/v1/reports/${receipt.id}/photos`, { method: 'POST', body: fd, headers: { 'X-Follow-Up-Token': receipt.follow_up_token } }));
    p.textContent = t('photoSent');
  } catch (err) {
    p.textContent = `${t('photoFailed')} ${err.message || ''}`;
    p.className = 'error';
  }
}

async function showReceipt(receipt) {
  status('');
  form.hidden = true;
  const box = $('#receipt');
  box.hidden = false;
  $('#reference').textContent = receipt.reference;
  const follow = new URLSearchParams({ id: receipt.id, token: receipt.follow_up_token });
  $('#follow').href = `/follow#${follow}`;
  box.focus();
  await uploadPhoto(receipt);
}

function reset() {
  form.reset();
  state.location = null;
  $('#place').textContent = t('noPlace');
  $('#place').className = 'muted';
  $('#nearby').hidden = true;
  $('#receipt').hidden = true;
  $('#photo-status').textContent = '';
  form.hidden = false;
  onKind();
  $('#locate').focus();
}

function onKind() {
  $('#feeling-box').hidden = kind() !== 'otrygghet';
  loadCategories().then(loadNearby);
}

applyTexts(document, t, lang);
langSwitch($('#lang'), (l) => {
  lang = l;
  t = translator(texts, lang);
  applyTexts(document, t, lang);
  showPlace();
  loadCategories();
});
$('#locate').addEventListener('click', locate);
$('#pick').addEventListener('click', togglePicker);
for (const r of form.querySelectorAll('input[name=kind]')) r.addEventListener('change', onKind);
$('#category').addEventListener('change', () => {
  describeCategory();
  loadNearby();
});
$('#anonymous').addEventListener('change', () => {
  $('#contact-box').hidden = $('#anonymous').checked;
});
$('#again').addEventListener('click', reset);
form.addEventListener('submit', submit);
onKind();
