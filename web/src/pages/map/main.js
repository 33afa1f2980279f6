// Map page: trygg's public layers (report cells with suppression, published
// reports) over municipality and area outlines, with filters; with a staff
// token also exact reports, Gi* hot spots and KDE (vector tiles), emerging hot
// spots, a time slider and the lägesbild of the municipality in view.
import '../../lib/base.css';
import './style.css';
import { request } from '../../lib/api.js';
import { $, el } from '../../lib/dom.js';
import { applyTexts, currentLang, langSwitch, translator } from '../../lib/i18n.js';
import { createMap, layerURL } from '../../lib/mapbase.js';
import { patternNames, texts } from './texts.js';

let lang = currentLang();
let t = translator(texts, lang);
const TOKEN_KEY = 'trygg.staffToken';
const state = { token: sessionStorage.getItem(TOKEN_KEY) || '', categories: [], municipality: null, analysis: null };

// ---- filters -------------------------------------------------------------

const swedishDay = (d) => d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

// monthRange is the calendar month `offset` months from this one, as the first
// and last Swedish day and the lägesbild period label.
function monthRange(offset) {
  const now = new Date();
  const first = new Date(now.getFullYear(), now.getMonth() + offset, 1);
  const last = new Date(now.getFullYear(), now.getMonth() + offset + 1, 0);
  const pad = (n) => String(n).padStart(2, '0');
  const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return { from: ymd(first), to: ymd(last), label: `${first.getFullYear()}-${pad(first.getMonth() + 1)}` };
}

const sliderOn = () => state.token && $('#use-slider').checked;

// filters are the query parameters every report layer and analysis shares.
function filters() {
  const f = { kind: $('#kind').value, category: $('#category').value };
  if (sliderOn()) {
    const m = monthRange(Number($('#month').value));
    f.from = m.from;
    f.to = m.to;
  } else if ($('#period').value) {
    f.from = swedishDay(new Date(Date.now() - Number($('#period').value) * 86400000));
  }
  return f;
}

async function loadCategories() {
  const sel = $('#category');
  const keep = sel.value;
  const kind = $('#kind').value;
  const data = await request(`/v1/categories${kind ? `?kind=${kind}` : ''}`, { lang });
  state.categories = data.categories;
  sel.replaceChildren(el('option', { value: '' }, t('allCategories')));
  for (const c of data.categories) {
    const depth = c.code.split('.').length - 1;
    sel.append(el('option', { value: c.code }, `${'\u2003'.repeat(depth)}${c.name}`));
  }
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
}

async function loadMunicipalities() {
  const res = await fetch('/v1/layers/municipalities.csv');
  const lines = (await res.text()).trim().split('\n').slice(1);
  const rows = lines.map((l) => {
    const [, lon, lat, code, name] = l.split(',');
    return { lon: Number(lon), lat: Number(lat), code, name };
  }).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const sel = $('#municipality');
  for (const m of rows) sel.append(el('option', { value: `${m.lon},${m.lat}`, 'data-code': m.code }, m.name));
}

// ---- map layers ----------------------------------------------------------

const reportLayers = ['report_cells', 'reports_public', 'reports'];

function addPublicLayers(map) {
  const f = filters();
  map.addSource('report_cells', { type: 'vector', url: layerURL('report_cells', f) });
  map.addSource('reports_public', { type: 'vector', url: layerURL('reports_public', f) });
  const before = map.getLayer('municipality-line') ? 'municipality-line' : undefined;
  map.addLayer({
    id: 'cells', type: 'fill', source: 'report_cells', 'source-layer': 'report_cells',
    paint: {
      'fill-color': ['step', ['get', 'count'], '#fde0c5', 5, '#facba6', 10, '#f59e72', 25, '#e4694f', 50, '#b13f47'],
      'fill-opacity': 0.65, 'fill-outline-color': '#8c5a3c',
    },
  }, before);
  map.addLayer({
    id: 'points', type: 'circle', source: 'reports_public', 'source-layer': 'reports_public', minzoom: 11,
    paint: {
      'circle-radius': ['case', ['has', 'point_count'], ['interpolate', ['linear'], ['get', 'point_count'], 2, 7, 100, 16], 5],
      'circle-color': ['match', ['get', 'kind'], 'otrygghet', '#6a3d9a', 'felanmalan', '#1f78b4', '#555'],
      'circle-stroke-color': '#fff', 'circle-stroke-width': 1.2,
    },
  });
}

function addStaffLayers(map) {
  if (map.getSource('reports')) return;
  map.addSource('reports', { type: 'vector', url: layerURL('reports', filters()) });
  map.addLayer({
    id: 'exact', type: 'circle', source: 'reports', 'source-layer': 'reports', minzoom: 10,
    layout: { visibility: $('#show-exact').checked ? 'visible' : 'none' },
    paint: {
      'circle-radius': 4, 'circle-color': ['match', ['get', 'kind'], 'otrygghet', '#6a3d9a', 'felanmalan', '#1f78b4', '#555'],
      'circle-stroke-color': '#000', 'circle-stroke-width': 0.8,
    },
  });
}

// applyFilters points every report source at the filtered TileJSON, so the
// tile requests carry the filters.
function applyFilters() {
  const f = filters();
  for (const id of reportLayers) {
    const src = state.map.getSource(id);
    if (src) src.setUrl(layerURL(id, f));
  }
  if (state.token) {
    refreshAnalysis();
    refreshLagesbild();
  }
}

// Staff tiles (exact reports, hot spots) and API calls carry the token; public
// ones never do.
function transformRequest(url) {
  if (!state.token) return { url };
  const u = new URL(url, location.href);
  const staff = u.origin === location.origin && (u.pathname === '/tiles/reports.json' || u.pathname.startsWith('/tiles/reports/') || u.pathname.startsWith('/tiles/hotspots/'));
  return staff ? { url, headers: { Authorization: `Bearer ${state.token}` } } : { url };
}

// ---- click: what is here -------------------------------------------------

function describe(features) {
  const info = $('#info');
  const items = [];
  const name = (code) => (state.categories.find((c) => c.code === code) || {}).name || code;
  for (const f of features) {
    const p = f.properties;
    switch (f.layer.id) {
      case 'cells': items.push(el('li', {}, t('cellCount', p.count, p.cell_size_m))); break;
      case 'points':
      case 'exact':
        if (p.cluster || p.point_count) items.push(el('li', {}, t('cluster', p.point_count)));
        else items.push(el('li', {}, `${t('report')}: ${name(p.category)} (${p.status}${p.observed_on ? `, ${p.observed_on}` : ''}${p.observed_at ? `, ${String(p.observed_at).slice(0, 10)}` : ''})${p.reference ? ` ${p.reference}` : ''}${p.coarsened ? ` – ${t('coarsened')}` : ''}`));
        break;
      case 'hotspot':
        // Tile features carry every field (density 0 for Gi*, bin 0 for KDE):
        // the analysis shown decides which one is meant.
        if (state.analysis === 'emerging') items.push(el('li', {}, `${patternName(p.pattern)} (${p.count})`));
        else if (state.analysis === 'kde') items.push(el('li', {}, `${Math.round(p.density)} / km² (${p.count})`));
        else items.push(el('li', {}, `${t('bin', p.bin)}, z = ${Number(p.z).toFixed(2)} (${p.count})`));
        break;
      case 'municipality-line': items.push(el('li', {}, `${t('municipality')}: ${p.name}`)); break;
      case 'area-fill': items.push(el('li', {}, `${t('area')}: ${p.name}`)); break;
      default:
    }
  }
  info.replaceChildren(items.length ? el('ul', {}, items) : el('p', { class: 'muted' }, t('nothingHere')));
}

// ---- staff: token, analysis, lägesbild ------------------------------------

async function login(token) {
  const msg = $('#login-status');
  try {
    await request('/tiles/reports.json', { token });
  } catch {
    msg.textContent = t('badToken');
    msg.className = 'error';
    return false;
  }
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  msg.textContent = t('loggedIn');
  msg.className = 'ok';
  $('#staff-tools').hidden = false;
  $('#logout').hidden = false;
  $('#token').value = '';
  addStaffLayers(state.map);
  refreshLagesbild();
  return true;
}

function logout() {
  state.token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
}

async function visibleMunicipality() {
  const c = state.map.getCenter();
  try {
    state.municipality = await request(`/v1/municipalities/locate?lat=${c.lat.toFixed(5)}&lon=${c.lng.toFixed(5)}`);
  } catch {
    state.municipality = null;
  }
  return state.municipality;
}

const binColors = { '-3': '#2166ac', '-2': '#67a9cf', '-1': '#d1e5f0', 0: '#f7f7f7', 1: '#fddbc7', 2: '#ef8a62', 3: '#b2182b' };
const patternColors = {
  new_hot_spot: '#fcbba1', consecutive_hot_spot: '#fc9272', intensifying_hot_spot: '#ef3b2c', persistent_hot_spot: '#cb181d',
  diminishing_hot_spot: '#fdd0a2', sporadic_hot_spot: '#fdae6b', oscillating_hot_spot: '#f16913', historical_hot_spot: '#a63603',
  new_cold_spot: '#c6dbef', consecutive_cold_spot: '#9ecae1', intensifying_cold_spot: '#4292c6', persistent_cold_spot: '#08519c',
  diminishing_cold_spot: '#deebf7', sporadic_cold_spot: '#6baed6', oscillating_cold_spot: '#2171b5', historical_cold_spot: '#08306b',
};
const patternName = (p) => (patternNames[lang] && patternNames[lang][p]) || (patternNames.sv[p] && lang === 'sv' ? patternNames.sv[p] : p.replace(/_/g, ' '));

function swatchList(entries) {
  return el('ul', { class: 'swatches' }, entries.map(([color, label]) => {
    const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = color; // CSSOM, allowed by the CSP (no style attributes)
    return el('li', {}, sw, label);
  }));
}

function removeAnalysisLayer(map) {
  if (map.getLayer('hotspot')) map.removeLayer('hotspot');
  if (map.getSource('hotspots')) map.removeSource('hotspots');
}

// tileStat is a field's [min, max] from a TileJSON's tilestats.
function tileStat(tilejson, field) {
  const layer = ((tilejson.tilestats || {}).layers || []).find((l) => l.layer === 'hotspots');
  const a = ((layer || {}).attributes || []).find((x) => x.attribute === field);
  return a ? [a.min, a.max] : [0, 0];
}

// Gi* and kernel density are drawn from the hotspot vector tiles: only the
// cells in view travel (a whole municipality at 100 m is some 100 000 cells as
// GeoJSON), and the TileJSON brings the analysis' summary and value ranges for
// the legend. Emerging hot spots have no tile layer and come as GeoJSON.
let analysisRun = 0;
async function refreshAnalysis() {
  const method = $('#analysis').value;
  const legend = $('#analysis-legend');
  const map = state.map;
  const run = ++analysisRun;
  if (!method) {
    removeAnalysisLayer(map);
    state.analysis = null;
    legend.replaceChildren();
    return;
  }
  const muni = await visibleMunicipality();
  if (!muni) {
    legend.replaceChildren(el('p', { class: 'error' }, t('noMunicipality')));
    return;
  }
  legend.replaceChildren(el('p', { class: 'muted' }, t('computing')));
  const f = filters();
  const q = new URLSearchParams({ municipality: muni.code, cell: $('#cell').value });
  for (const k of ['kind', 'category']) if (f[k]) q.set(k, f[k]);
  let path;
  if (method === 'emerging') {
    if (f.to) q.set('to', f.to);
    path = `/v1/hotspots/emerging?${q}`;
  } else {
    if (f.from) q.set('from', f.from);
    if (f.to) q.set('to', f.to);
    q.set('method', method);
    path = `/tiles/hotspots.json?${q}`;
  }
  let data;
  try {
    data = await request(path, { token: state.token });
  } catch (err) {
    if (run === analysisRun) legend.replaceChildren(el('p', { class: 'error' }, `${t('analysisFailed')} ${err.message}`));
    return;
  }
  if (run !== analysisRun) return;
  let color;
  let filter;
  let entries;
  if (method === 'gistar') {
    color = ['match', ['to-string', ['get', 'bin']], ...Object.entries(binColors).flat(), '#f7f7f7'];
    filter = ['!=', ['get', 'bin'], 0];
    entries = [-3, -2, -1, 1, 2, 3].map((b) => [binColors[b], `${t('bin', b)} (${(data.summary.bins || {})[String(b)] ?? 0})`]);
    legend.replaceChildren(el('p', {}, t('hotspotLegend')), swatchList(entries), el('p', { class: 'muted' }, t('summary', data.summary)));
  } else if (method === 'kde') {
    const max = Math.max(1, tileStat(data, 'density')[1]);
    color = ['interpolate', ['linear'], ['get', 'density'], 0, '#ffffcc', max / 4, '#fd8d3c', max, '#800026'];
    filter = ['>', ['get', 'density'], max / 100];
    entries = [['#ffffcc', '0'], ['#fd8d3c', String(Math.round(max / 4))], ['#800026', String(Math.round(max))]];
    legend.replaceChildren(el('p', {}, t('kdeLegend')), swatchList(entries), el('p', { class: 'muted' }, t('summary', data.summary)));
  } else {
    color = ['match', ['get', 'pattern'], ...Object.entries(patternColors).flat(), '#f7f7f7'];
    filter = ['!=', ['get', 'pattern'], 'no_pattern'];
    const counts = Object.entries(data.summary.patterns || {}).filter(([p, n]) => n > 0 && p !== 'no_pattern');
    entries = counts.map(([p, n]) => [patternColors[p] || '#999', `${patternName(p)} (${n})`]);
    legend.replaceChildren(el('p', {}, t('emergingLegend')), entries.length ? swatchList(entries) : el('p', { class: 'muted' }, '–'));
  }
  removeAnalysisLayer(map);
  state.analysis = method;
  const layer = { id: 'hotspot', type: 'fill', source: 'hotspots', filter, paint: { 'fill-color': color, 'fill-opacity': 0.75, 'fill-outline-color': '#444' } };
  if (method === 'emerging') {
    map.addSource('hotspots', { type: 'geojson', data });
  } else {
    map.addSource('hotspots', { type: 'vector', tiles: data.tiles, bounds: data.bounds, minzoom: data.minzoom, maxzoom: data.maxzoom });
    layer['source-layer'] = 'hotspots';
  }
  map.addLayer(layer, 'points');
}

let lagesbildRun = 0;
let printableURL = '';
async function refreshLagesbild() {
  const box = $('#lagesbild');
  const run = ++lagesbildRun;
  const muni = await visibleMunicipality();
  if (!muni) {
    box.replaceChildren(el('p', { class: 'muted' }, t('noMunicipality')));
    return;
  }
  const period = monthRange(sliderOn() ? Number($('#month').value) : 0).label;
  const q = new URLSearchParams({ municipality: muni.code, period });
  let data;
  try {
    data = await request(`/v1/lagesbild?${q}`, { token: state.token, lang });
  } catch (err) {
    if (run === lagesbildRun) box.replaceChildren(el('p', { class: 'error' }, err.message));
    return;
  }
  if (run !== lagesbildRun) return;
  const pct = (c) => (c && c.percent !== undefined && c.percent !== null ? `${c.percent > 0 ? '+' : ''}${c.percent} %` : '–');
  const rows = (data.totals || []).map((r) => el('tr', {}, el('th', { scope: 'row' }, t(r.key) || r.name), el('td', {}, String(r.count)), el('td', {}, pct(r.previous)), el('td', {}, pct(r.last_year))));
  // The printable report needs the token, which a plain link cannot send, and a
  // blob: page would inherit this page's CSP (which refuses the report's inline
  // style): so it is fetched and saved as a self-contained HTML file to print.
  const link = el('a', { id: 'printable', href: '#', download: `lagesbild-${muni.code}-${period}.html` }, t('printable'));
  link.addEventListener('click', async (e) => {
    if (link.dataset.ready) return; // the blob is in place: let the download happen
    e.preventDefault();
    const res = await fetch(`/v1/lagesbild?${q}&format=html`, { headers: { Authorization: `Bearer ${state.token}` } });
    if (!res.ok) return;
    if (printableURL) URL.revokeObjectURL(printableURL);
    printableURL = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
    link.href = printableURL;
    link.dataset.ready = '1';
    link.click();
  });
  box.replaceChildren(
    el('p', {}, el('strong', {}, t('lagesbildFor', data.municipality_name || muni.name, data.period.label))),
    el('table', { class: 'lagesbild' }, el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, t('count')), el('th', {}, t('prev')), el('th', {}, t('lastYear')))), el('tbody', {}, rows)),
    el('p', {}, link),
  );
}

function showMonth() {
  $('#month-value').textContent = monthRange(Number($('#month').value)).label;
}

// ---- start ---------------------------------------------------------------

async function main() {
  applyTexts(document, t, lang);
  langSwitch($('#lang'), (l) => {
    lang = l;
    t = translator(texts, lang);
    applyTexts(document, t, lang);
    loadCategories();
    if (state.token) refreshLagesbild();
  });
  const params = new URLSearchParams(location.search);
  const center = params.get('center') ? params.get('center').split(',').map(Number) : [14.11, 59.31];
  const zoom = params.get('zoom') ? Number(params.get('zoom')) : 11;
  const map = await createMap($('#map'), { center, zoom, transformRequest });
  state.map = map;
  window.trygg = { map }; // for the browser tests and the curious
  addPublicLayers(map);
  map.on('click', (e) => {
    const layers = ['cells', 'points', 'exact', 'hotspot', 'area-fill', 'municipality-line'].filter((id) => map.getLayer(id));
    describe(map.queryRenderedFeatures(e.point, { layers }));
  });
  map.on('moveend', () => {
    if (state.token) refreshLagesbild();
  });

  for (const id of ['#kind', '#category', '#period']) $(id).addEventListener('change', () => {
    if (id === '#kind') loadCategories().then(applyFilters);
    else applyFilters();
  });
  $('#municipality').addEventListener('change', (e) => {
    if (!e.target.value) return;
    const [lon, lat] = e.target.value.split(',').map(Number);
    map.jumpTo({ center: [lon, lat], zoom: 11 });
  });
  $('#show-cells').addEventListener('change', (e) => map.setLayoutProperty('cells', 'visibility', e.target.checked ? 'visible' : 'none'));
  $('#show-points').addEventListener('change', (e) => map.setLayoutProperty('points', 'visibility', e.target.checked ? 'visible' : 'none'));
  $('#show-exact').addEventListener('change', (e) => map.getLayer('exact') && map.setLayoutProperty('exact', 'visibility', e.target.checked ? 'visible' : 'none'));
  $('#analysis').addEventListener('change', refreshAnalysis);
  $('#cell').addEventListener('change', refreshAnalysis);
  $('#use-slider').addEventListener('change', (e) => {
    $('#month').disabled = !e.target.checked;
    $('#period').disabled = e.target.checked;
    applyFilters();
  });
  $('#month').addEventListener('input', showMonth);
  $('#month').addEventListener('change', applyFilters);
  showMonth();
  $('#staff-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if ($('#token').value.trim()) login($('#token').value.trim());
  });
  $('#logout').addEventListener('click', logout);
  await Promise.all([loadCategories(), loadMunicipalities()]);
  if (state.token && !(await login(state.token))) sessionStorage.removeItem(TOKEN_KEY);
}

main();
