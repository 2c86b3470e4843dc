// Code that runs inside Chromium, as JavaScript source (the Node-side TypeScript build has no
// DOM types, and source strings survive any transpiler). "Painted" is taken as the first task
// after the requestAnimationFrame that follows the DOM change: that frame has been produced.

const AFTER_PAINT = `(cb) => requestAnimationFrame(() => { const mc = new MessageChannel(); mc.port1.onmessage = () => cb(performance.now()); mc.port2.postMessage(0); })`

/** Init script for the app page: records when the first real (non-placeholder) row is painted. */
export const FIRST_ROWS_INIT = `(() => {
  const bench = { firstRows: null, firstRowsDom: null, pending: null };
  Object.defineProperty(globalThis, '__bench', { value: bench });
  const afterPaint = ${AFTER_PAINT};
  const obs = new MutationObserver(() => {
    if (bench.firstRowsDom !== null) return;
    if (document.querySelector('[role="row"].data:not(.placeholder)')) {
      bench.firstRowsDom = performance.now();
      obs.disconnect();
      afterPaint((t) => { bench.firstRows = t; });
    }
  });
  obs.observe(document, { childList: true, subtree: true });
})();`

/**
 * Arms the keystroke probe in the app page: settles (ms) when, after the next keydown in the
 * search box, the result count went through "Loading…" (the new query was issued) and came
 * back with rows (or an empty result) on screen, no placeholder left, and a frame was painted.
 */
export const armAppKeystroke = (timeoutMs: number): string => `(() => {
  const afterPaint = ${AFTER_PAINT};
  const input = document.querySelector('input[type="search"]');
  const count = document.querySelector('.count[aria-live="polite"]');
  if (!input || !count) throw new Error('search box or result count not found');
  __bench.pending = new Promise((resolve, reject) => {
    let t0 = null, sawLoading = false, loadingAt = 0, done = false;
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error('no painted result within ${timeoutMs} ms (keydown seen: ' + (t0 !== null) + ', loading seen: ' + sawLoading + ')')); }, ${timeoutMs});
    input.addEventListener('keydown', (e) => { t0 = e.timeStamp; }, { once: true, capture: true });
    const check = () => {
      if (t0 === null || done) return;
      const text = count.textContent || '';
      if (text.includes('Loading')) { if (!sawLoading) loadingAt = performance.now(); sawLoading = true; return; }
      if (!sawLoading) return;
      const empty = /^\\s*0 keys/.test(text);
      if (!empty && !document.querySelector('[role="row"].data:not(.placeholder)')) return;
      if (document.querySelector('[role="row"].placeholder')) return;
      done = true; obs.disconnect(); clearTimeout(timer);
      const start = t0;
      afterPaint((t) => resolve({ total: t - start, loading: loadingAt - start }));
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  __bench.pending.catch(() => undefined);
  return true;
})()`

export const AWAIT_APP_KEYSTROKE = '__bench.pending'

/** Scrolls the inventory grid top to bottom in `steps`; the most row elements seen at once. */
export const scrollGrid = (steps: number): string => `(async () => {
  const grid = document.querySelector('[role="grid"]');
  if (!grid) throw new Error('grid not found');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let maxRows = 0, maxDataRows = 0;
  const count = () => {
    maxRows = Math.max(maxRows, document.querySelectorAll('[role="row"]').length);
    maxDataRows = Math.max(maxDataRows, document.querySelectorAll('[role="row"].data').length);
  };
  const max = grid.scrollHeight - grid.clientHeight;
  for (let i = 0; i <= ${steps}; i++) {
    grid.scrollTop = Math.round((max * i) / ${steps});
    await frame(); count();
    await sleep(60); count();
  }
  // Then small wheel-like steps back up, as a person scrolls.
  for (let i = 0; i < 40; i++) { grid.scrollTop -= 170; await frame(); count(); }
  // How long until the rows where the scrolling stopped are loaded (bounded).
  const stopped = performance.now();
  while (document.querySelector('[role="row"].placeholder') && performance.now() - stopped < 20000) { await sleep(20); count(); }
  const settleMs = performance.now() - stopped;
  return { maxRows, maxDataRows, scrollHeight: grid.scrollHeight, settleMs, loadedAtEnd: document.querySelectorAll('[role="row"].data:not(.placeholder)').length };
})()`

/** Compact row for the plain table: the cells the app shows. */
export type PlainRow = [string, string, string, string, string, string, string, string, string]

/** Baseline page: builds a plain <table> of the first `n` rows of window.__rows; ms until painted. */
export const buildPlainTable = (n: number): string => `(() => {
  const afterPaint = ${AFTER_PAINT};
  document.body.innerHTML = '<input type="search" aria-label="Search keys"><table><thead><tr>' +
    ['Tenant', 'Name', 'Type', 'Prefix', 'Scopes', 'Status', 'Last used', 'Expires', 'Grace left'].map((h) => '<th>' + h + '</th>').join('') +
    '</tr></thead><tbody></tbody></table>';
  const t0 = performance.now();
  const tbody = document.querySelector('tbody');
  const render = (rows) => {
    const frag = document.createDocumentFragment();
    for (const r of rows) {
      const tr = document.createElement('tr');
      for (const c of r) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
  };
  const rows = window.__rows.slice(0, ${n});
  render(rows);
  // The filter: re-render the matching rows on every keystroke (no debounce, no windowing).
  const input = document.querySelector('input');
  input.addEventListener('input', () => {
    const q = input.value.toLowerCase();
    render(q ? rows.filter((r) => r[1].toLowerCase().includes(q) || r[3].toLowerCase().includes(q)) : rows);
  });
  return new Promise((resolve) => afterPaint((t) => resolve(t - t0)));
})()`

/** Baseline keystroke probe: keydown to the painted frame after the synchronous re-render. */
export const ARM_PLAIN_KEYSTROKE = `(() => {
  const afterPaint = ${AFTER_PAINT};
  const input = document.querySelector('input');
  window.__pending = new Promise((resolve) => {
    let t0 = 0;
    input.addEventListener('keydown', (e) => { t0 = e.timeStamp; }, { once: true, capture: true });
    // The filter listener (added earlier) has re-rendered synchronously before this one runs.
    input.addEventListener('input', () => afterPaint((t) => resolve(t - t0)), { once: true });
  });
  return true;
})()`

export const AWAIT_PLAIN_KEYSTROKE = 'window.__pending'
