// Promises page: the municipality's medborgarlöften, who is responsible for
// each commitment and how far it has come, from GET /v1/public/promises.
import '../../lib/base.css';
import './style.css';
import { request, withRetry } from '../../lib/api.js';
import { $, el, formatDate } from '../../lib/dom.js';
import { applyTexts, currentLang, langSwitch, translator } from '../../lib/i18n.js';

const texts = {
  sv: {
    title: 'Medborgarlöften', municipality: 'Kommun', choose: 'Välj kommun', navReport: 'Rapportera', navMap: 'Karta',
    intro: 'Kommunen och polisen lovar invånarna konkreta insatser för tryggheten. Här ser du vad som lovats, vem som ansvarar och hur långt det har kommit.',
    loading: 'Hämtar …', none: 'Kommunen har inga publicerade medborgarlöften.', failed: 'Det gick inte att hämta medborgarlöftena.',
    valid: (a, b) => `Gäller ${a} – ${b}`, partners: 'Parter', followUp: 'Uppföljning', asOf: (d) => `Läget ${d}`,
    progress: (done, part, n) => `${done} av ${n} åtaganden uppfyllda${part ? `, ${part} delvis` : ''}`, responsible: 'Ansvarar:',
    polisen: 'Polisen', kommunen: 'Kommunen', both: 'Kommunen och polisen', other: 'Annan part',
    fulfilled: 'Uppfyllt', partly: 'Delvis uppfyllt', not_fulfilled: 'Inte uppfyllt', not_yet_measurable: 'Går inte att mäta än',
    value: 'Utfall', target: 'Mål', activities: (n) => `${n} aktiviteter loggade`,
  },
  en: {
    title: 'Citizen promises', municipality: 'Municipality', choose: 'Choose municipality', navReport: 'Report', navMap: 'Map',
    intro: 'The municipality and the police promise residents concrete measures for safety. See what was promised, who is responsible and how far it has come.',
    loading: 'Loading …', none: 'The municipality has no published promises.', failed: 'Could not load the promises.',
    valid: (a, b) => `Valid ${a} – ${b}`, partners: 'Partners', followUp: 'Follow-up', asOf: (d) => `As of ${d}`,
    progress: (done, part, n) => `${done} of ${n} commitments fulfilled${part ? `, ${part} partly` : ''}`, responsible: 'Responsible:',
    polisen: 'The police', kommunen: 'The municipality', both: 'Municipality and police', other: 'Another party',
    fulfilled: 'Fulfilled', partly: 'Partly fulfilled', not_fulfilled: 'Not fulfilled', not_yet_measurable: 'Not yet measurable',
    value: 'Result', target: 'Target', activities: (n) => `${n} activities logged`,
  },
};

let lang = currentLang();
let t = translator(texts, lang);
let last = null;

const badge = (status) => el('span', { class: `badge ${status}` }, t(status));

function renderPromise(p) {
  const cs = p.commitments || [];
  const done = cs.filter((c) => c.status === 'fulfilled').length;
  const part = cs.filter((c) => c.status === 'partly').length;
  const id = `p-${p.id}`;
  return el('article', { class: 'promise', 'aria-labelledby': id },
    el('h2', { id }, p.title, ' ', badge(p.status)),
    el('p', { class: 'muted' }, t('valid', p.valid_from, p.valid_to), p.as_of ? ` · ${t('asOf', formatDate(p.as_of, lang))}` : ''),
    p.partners && p.partners.length ? el('p', {}, `${t('partners')}: ${p.partners.join(', ')}`) : null,
    el('div', { class: 'progress' },
      el('progress', { max: String(cs.length || 1), value: String(done + part / 2), 'aria-label': t('progress', done, part, cs.length) }),
      el('span', {}, t('progress', done, part, cs.length))),
    el('ol', { class: 'commitments' }, cs.map((c) => el('li', { class: 'commitment' },
      el('p', {}, c.text),
      el('p', {}, el('span', { class: 'responsible' }, `${t('responsible')} ${t(c.responsible)}`), ' ', badge(c.status),
        c.activities ? el('span', { class: 'muted' }, ` · ${t('activities', c.activities)}`) : null),
      el('ul', { class: 'indicators' }, (c.indicators || []).map((i) => el('li', {},
        el('strong', {}, i.label), `: ${t('value')} ${i.value ?? '–'}`, i.target ? `, ${t('target').toLowerCase()} ${i.target}` : '', '. ',
        el('span', { class: 'muted' }, i.how || ''))))))),
    p.follow_up ? el('p', {}, `${t('followUp')}: ${p.follow_up}`) : null,
  );
}

async function load(code) {
  const out = $('#promises');
  const msg = $('#status');
  out.replaceChildren();
  if (!code) return;
  msg.textContent = t('loading');
  msg.className = '';
  try {
    last = await withRetry(() => request(`/v1/public/promises?municipality=${encodeURIComponent(code)}`, { lang }));
  } catch {
    msg.textContent = t('failed');
    msg.className = 'error';
    return;
  }
  render();
}

function render() {
  if (!last) return;
  const msg = $('#status');
  msg.textContent = last.promises.length ? '' : t('none');
  $('#promises').replaceChildren(...last.promises.map(renderPromise));
}

async function loadMunicipalities(selected) {
  const res = await fetch('/v1/layers/municipalities.csv');
  const rows = (await res.text()).trim().split('\n').slice(1).map((l) => {
    const [, , , code, name] = l.split(',');
    return { code, name };
  }).sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  const sel = $('#municipality');
  for (const m of rows) sel.append(el('option', { value: m.code }, m.name));
  if (selected) sel.value = selected;
}

applyTexts(document, t, lang);
langSwitch($('#lang'), (l) => {
  lang = l;
  t = translator(texts, lang);
  applyTexts(document, t, lang);
  render();
});
const initial = new URLSearchParams(location.search).get('municipality') || '';
$('#municipality').addEventListener('change', (e) => {
  const code = e.target.value;
  history.replaceState(null, '', code ? `?municipality=${code}` : location.pathname);
  load(code);
});
loadMunicipalities(initial).then(() => load(initial));
