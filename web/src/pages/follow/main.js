// Follow-up page: the status and public history of one report. The link from
// the Report page carries the report id and its follow-up token in the URL
// fragment, which browsers never send to a server.
import '../../lib/base.css';
import { ApiError, request, withRetry } from '../../lib/api.js';
import { $, el, formatDate } from '../../lib/dom.js';
import { applyTexts, currentLang, langSwitch, translator } from '../../lib/i18n.js';

const texts = {
  sv: {
    title: 'Följ ditt ärende', reference: 'Referens', category: 'Kategori', state: 'Status', municipality: 'Kommun', received: 'Mottagen',
    history: 'Händelser', loading: 'Hämtar …', noLink: 'Länken saknar ärende eller nyckel. Använd länken du fick när du rapporterade.',
    notFound: 'Ärendet finns inte, eller så stämmer inte nyckeln.', failed: 'Det gick inte att hämta ärendet.', navReport: 'Rapportera', navMap: 'Karta',
    received_: 'mottagen', triaged: 'bedömd', in_progress: 'åtgärdas', forwarded: 'vidarebefordrad', resolved: 'åtgärdad', rejected: 'avvisad', duplicate: 'dubblett av ett annat ärende',
  },
  en: {
    title: 'Follow your report', reference: 'Reference', category: 'Category', state: 'Status', municipality: 'Municipality', received: 'Received',
    history: 'History', loading: 'Loading …', noLink: 'The link lacks the report or its key. Use the link you got when you reported.',
    notFound: 'No such report, or the key does not match.', failed: 'Could not load the report.', navReport: 'Report', navMap: 'Map',
    received_: 'received', triaged: 'triaged', in_progress: 'in progress', forwarded: 'forwarded', resolved: 'resolved', rejected: 'rejected', duplicate: 'duplicate of another report',
  },
};

let lang = currentLang();
let t = translator(texts, lang);
const statusName = (s) => t(s === 'received' ? 'received_' : s);

async function load() {
  const p = new URLSearchParams(location.hash.slice(1));
  const id = p.get('id');
  const token = p.get('token');
  const msg = $('#status');
  if (!id || !token) {
    msg.textContent = t('noLink');
    msg.className = 'error';
    return;
  }
  msg.textContent = t('loading');
  try {
    const r = await withRetry(() => request(`/v1/reports/${encodeURIComponent(id)}`, { headers: { 'X-Follow-Up-Token': token }, lang }));
    msg.textContent = '';
    $('#reference').textContent = r.reference;
    $('#category').textContent = r.category;
    $('#state').textContent = statusName(r.status);
    $('#municipality').textContent = r.municipality ? r.municipality.name : '';
    $('#received').textContent = formatDate(r.received_at, lang);
    $('#history').replaceChildren(...(r.history || []).map((h) =>
      el('li', {}, formatDate(h.at, lang), ' – ', h.to_status ? statusName(h.to_status) : h.type, h.note ? `: ${h.note}` : '')));
    $('#report').hidden = false;
  } catch (err) {
    msg.textContent = err instanceof ApiError && (err.status === 404 || err.status === 401) ? t('notFound') : t('failed');
    msg.className = 'error';
  }
}

applyTexts(document, t, lang);
langSwitch($('#lang'), (l) => {
  lang = l;
  t = translator(texts, lang);
  applyTexts(document, t, lang);
  load();
});
load();
