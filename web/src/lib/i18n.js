// Swedish is the pages' language; English is one switch away. Each page passes
// its own texts; elements with data-t="key" get the text of the key.

const KEY = 'trygg.lang';

export function currentLang() {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'sv';
  } catch {
    return 'sv';
  }
}

export function setLang(lang) {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

// translator returns t(key, ...args) over texts = {sv: {...}, en: {...}}; a text
// may be a function of args.
export function translator(texts, lang) {
  return (key, ...args) => {
    const v = (texts[lang] && texts[lang][key]) ?? texts.sv[key] ?? key;
    return typeof v === 'function' ? v(...args) : v;
  };
}

// applyTexts fills every [data-t] element under root and sets <html lang>.
export function applyTexts(root, t, lang) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-placeholder]')) el.placeholder = t(el.dataset.tPlaceholder);
  for (const el of root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
}

// langSwitch wires a button that toggles the language and calls onChange.
export function langSwitch(button, onChange) {
  const show = () => {
    const lang = currentLang();
    button.textContent = lang === 'sv' ? 'English' : 'Svenska';
    button.lang = lang === 'sv' ? 'en' : 'sv';
  };
  show();
  button.addEventListener('click', () => {
    setLang(currentLang() === 'sv' ? 'en' : 'sv');
    show();
    onChange(currentLang());
  });
}
