// The statistics tab. Plain ES module, no build step: the server hands it out as is, with the
// UMD bundles of chart.js (window.Chart) and, inside Teams, @microsoft/teams-js (window.microsoftTeams).

const number = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1, useGrouping: false });
const precise = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2, useGrouping: false });
const charts = [];
/** What is on the page now, so CSV export writes exactly that. */
let shown = null;
let report = null;
let token = null;
// teach.js ("Lär boten") calls the API with the same token.
window.tabToken = () => token;

// --- Theme: Teams says default, dark or contrast (app.getContext, and on every change); outside
// Teams the content URL's ?theme= or the system's dark mode. The CSS holds the colours.

const THEMES = new Set(['default', 'dark', 'contrast']);
function applyTheme(theme) {
  const t = THEMES.has(theme) ? theme : 'default';
  if (document.documentElement.dataset.theme === t) return;
  document.documentElement.dataset.theme = t;
  if (report) render(report); // the charts draw with the theme's colours
}
const asked = new URLSearchParams(location.search).get('theme');
applyTheme(asked ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default'));

const cssColor = (name) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || undefined;

// Charts are pixels: on paper they must be redrawn black on white, whatever the screen's theme.
// Chromium tells by the print media query (also when printing to PDF) and by beforeprint.
const PRINT = { text: '#000000', grid: '#cccccc', current: '#3d3f9e', previous: '#a9abe0' };
const printMedia = matchMedia('print');
let printing = false;
const palette = () =>
  printing || printMedia.matches
    ? PRINT
    : {
        text: cssColor('--text'),
        grid: cssColor('--grid'),
        current: cssColor('--bar-current'),
        previous: cssColor('--bar-previous'),
      };
const redrawFor = (print) => {
  if (printing === print) return;
  printing = print;
  if (report) render(report);
};
printMedia.addEventListener('change', (e) => redrawFor(e.matches));
window.addEventListener('beforeprint', () => redrawFor(true));
window.addEventListener('afterprint', () => redrawFor(false));

const $ = (selector) => document.querySelector(selector);
const el = (tag, attrs = {}, text) => {
  const node = Object.assign(document.createElement(tag), attrs);
  if (text !== undefined) node.textContent = text;
  return node;
};

function format(value, unit) {
  if (value === null || value === undefined) return '–';
  if (unit === 'share') return `${Math.round(value * 100)} %`;
  if (unit === 'hours') return `${number.format(value)} h`;
  // A ticket solved within the hour is not "0 d".
  if (unit === 'days') return `${(value < 1 ? precise : number).format(value)} d`;
  return number.format(value);
}

const signed = (n, f = number) => (n > 0 ? `+${f.format(n)}` : n < 0 ? `−${f.format(-n)}` : '±0');

/** A change as the coordinator reads it: percent for counts, percentage points for shares. */
function change(now, before, unit) {
  if (now === null || before === null || now === undefined || before === undefined) return '–';
  if (unit === 'share') {
    const points = Math.round(now * 100) - Math.round(before * 100);
    return `${signed(points)} procentenheter`;
  }
  if (unit === 'hours') return `${signed(now - before)} h`;
  if (before === 0) return now === 0 ? '±0 %' : '–'; // no base to compare with
  return `${signed(Math.round(((now - before) / before) * 100))} %`;
}

const withTimeout = (promise, ms) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms)),
  ]);

/**
 * An Entra ID token from Teams SSO, or null. Outside Teams (a plain browser, a test) there is no
 * host frame to answer the SDK, so it is not even asked: the page works, and the server decides
 * whether it may do so without a token.
 */
async function teamsToken() {
  if (window.parent === window) return null;
  // Loaded only inside Teams' frame: on load the SDK fetches its list of valid domains from a
  // CDN, which a plain browser (or a machine without internet) has no use for.
  const loaded = await new Promise((resolve) => {
    const script = el('script', { src: '/tab/teams.js' });
    script.onload = () => resolve(true);
    script.onerror = () => resolve(false);
    document.head.append(script);
  });
  const teams = window.microsoftTeams;
  if (!loaded || !teams) return null;
  try {
    await withTimeout(teams.app.initialize(), 5000);
    teams.app.notifySuccess?.();
    teams.app
      .getContext()
      .then((context) => applyTheme(context?.app?.theme))
      .catch(() => undefined);
    teams.app.registerOnThemeChangeHandler?.(applyTheme);
    return await withTimeout(teams.authentication.getAuthToken(), 15000);
  } catch (e) {
    setStatus(`Inloggningen via Teams misslyckades (${e?.message ?? e}).`, true);
    return null;
  }
}

function setStatus(text, error = false) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

async function api(path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { ...init, headers });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

function refusal(status) {
  if (status === 401)
    return 'Öppna fliken i Teams och logga in som supportpersonal eller funktionskoordinator.';
  if (status === 403) return 'Ditt konto har inte behörighet till statistiken.';
  return `Kunde inte hämta statistiken (fel ${status}). Försök igen om en stund.`;
}

function renderFigure(figure, report) {
  const section = el('section', { className: 'figure' });
  section.dataset.figure = figure.id;
  section.append(el('h2', {}, figure.title));

  const chartBox = el('div', { className: 'chart' });
  const canvas = el('canvas', { role: 'img', ariaLabel: figure.title });
  chartBox.append(canvas);
  section.append(chartBox);

  const rows = figure.rows.map((r) => [
    r.label,
    format(r.current, figure.unit),
    format(r.previous, figure.unit),
  ]);
  const header = [figure.rowHeading, report.label, report.previousLabel];
  const wrap = el('div', { className: 'table-wrap' });
  wrap.append(table(figure.title, header, rows, figure.rows.length - 1));
  section.append(wrap);
  const button = el('button', { type: 'button', className: 'csv' }, 'Ladda ner CSV');
  button.addEventListener('click', () =>
    download(`${figure.id}-${report.quarter}.csv`, [header, ...rows]),
  );
  section.append(button);

  if (window.Chart) {
    const colors = palette();
    // The total row is left out of the chart: it would dwarf every category.
    const data = figure.rows.filter((r) => r.label !== 'Totalt');
    const scale = figure.unit === 'share' ? 100 : 1;
    const values = (key) => data.map((r) => (r[key] === null ? null : r[key] * scale));
    charts.push(
      new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels: data.map((r) => r.label),
          datasets: [
            { label: report.label, data: values('current'), backgroundColor: colors.current },
            {
              label: report.previousLabel,
              data: values('previous'),
              backgroundColor: colors.previous,
            },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ...(figure.unit === 'share' ? { max: 100 } : {}) } },
          plugins: { legend: { position: 'bottom' } },
        },
      }),
    );
  }
  return { section, header, rows };
}

/** A table of text cells; `totalIndex` marks the total row. */
function table(caption, header, rows, totalIndex = -1) {
  const t = el('table');
  t.append(el('caption', {}, caption));
  const head = el('tr');
  header.forEach((h, i) => head.append(el('th', { className: i ? 'num' : '' }, h)));
  const thead = el('thead');
  thead.append(head);
  t.append(thead);
  const body = el('tbody');
  rows.forEach((r, ri) => {
    const tr = el('tr', { className: ri === totalIndex ? 'total' : '' });
    r.forEach((c, i) =>
      tr.append(el('td', { className: i && !isNaN(parseFloat(c)) ? 'num' : '' }, c)),
    );
    body.append(tr);
  });
  t.append(body);
  return t;
}

function renderGaps(report) {
  // Each row carries its gap's index in report.gaps; after drawing, `tab:gaps-rendered` lets a
  // module add controls to the rows (see teach.js) without this file knowing about them.
  const section = $('#gaps');
  const header = ['Fråga', 'Antal', 'Utan svar', 'Tumme ned', 'Exempel'];
  const rows = report.gaps.map((g) => [
    g.question,
    String(g.count),
    String(g.noAnswer),
    String(g.notHelpful),
    g.examples.join(' | '),
  ]);
  const body = section.querySelector('tbody');
  body.replaceChildren(
    ...(rows.length
      ? rows.map((r, i) => {
          const tr = el('tr');
          tr.dataset.gapIndex = String(i);
          r.forEach((c, i) => tr.append(el('td', { className: i >= 1 && i <= 3 ? 'num' : '' }, c)));
          return tr;
        })
      : [el('tr', {}, '')]),
  );
  if (!rows.length)
    body.firstChild.append(
      el(
        'td',
        { colSpan: 5 },
        'Inga obesvarade frågor eller svar med tumme ned det här kvartalet.',
      ),
    );
  section.hidden = false;
  document.dispatchEvent(
    new CustomEvent('tab:gaps-rendered', {
      detail: { quarter: report.quarter, gaps: report.gaps, tbody: body, api },
    }),
  );
  return { header, rows };
}

// --- Kvartalet i korthet

const SVG = 'http://www.w3.org/2000/svg';

/** Eight quarters as a line: drawn in the text colour, so it prints and follows the theme. */
function sparkline(values, labels, title, unit) {
  const w = 160;
  const h = 40;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute(
    'aria-label',
    `${title}, ${labels[0]}–${labels.at(-1)}: ${values.map((v) => format(v, unit)).join(', ')}`,
  );
  const known = values.filter((v) => v !== null);
  if (!known.length) return svg;
  const max = Math.max(...known);
  const min = Math.min(0, ...known);
  const x = (i) => 4 + (i * (w - 8)) / Math.max(1, values.length - 1);
  const y = (v) => h - 4 - ((v - min) / (max - min || 1)) * (h - 8);
  const points = values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter(Boolean);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  const last = values.at(-1);
  if (last !== null) {
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x(values.length - 1));
    dot.setAttribute('cy', y(last));
    dot.setAttribute('r', 3);
    svg.append(dot);
  }
  return svg;
}

function renderOverview(report) {
  const o = report.overview;
  const cards = o.headlines.map((m) => {
    const card = el('article', { className: 'headline' });
    card.dataset.headline = m.id;
    card.append(
      el('h3', {}, m.title),
      el('p', { className: 'value' }, format(m.current, m.unit)),
      el(
        'p',
        { className: 'change' },
        `${change(m.current, m.previous, m.unit)} mot ${report.previousLabel}`,
      ),
      el(
        'p',
        { className: 'change' },
        `${change(m.current, m.yearAgo, m.unit)} mot ${o.yearAgoLabel}`,
      ),
      sparkline(
        m.trend,
        o.quarters.map((q) => q.label),
        m.title,
        m.unit,
      ),
      el('p', { className: 'note' }, m.note),
    );
    return card;
  });
  $('#headlines').replaceChildren(...cards);

  const header = ['Mått', ...o.quarters.map((q) => q.label)];
  const rows = o.headlines.map((m) => [m.title, ...m.trend.map((v) => format(v, m.unit))]);
  const t = $('#trend');
  const head = el('tr');
  header.forEach((h, i) => head.append(el('th', { className: i ? 'num' : '' }, h)));
  t.tHead.replaceChildren(head);
  t.tBodies[0].replaceChildren(
    ...rows.map((r) => {
      const tr = el('tr');
      r.forEach((c, i) => tr.append(el('td', { className: i ? 'num' : '' }, c)));
      return tr;
    }),
  );
  $('#overview').hidden = false;
  return { header, rows };
}

function render(data) {
  report = data;
  if (window.Chart) {
    const colors = palette();
    window.Chart.defaults.color = colors.text;
    window.Chart.defaults.borderColor = colors.grid;
  }
  charts.splice(0).forEach((c) => c.destroy());
  const overview = renderOverview(report);
  $('#detail-title').hidden = false;
  const figures = $('#figures');
  figures.replaceChildren();
  const tables = report.figures.map((f) => {
    const { section, header, rows } = renderFigure(f, report);
    figures.append(section);
    return { id: f.id, title: f.title, header, rows };
  });
  shown = { quarter: report.quarter, tables, overview, gaps: renderGaps(report) };

  const select = $('#quarter');
  select.replaceChildren(
    ...report.quarters.map((q) =>
      el('option', { value: q.key, selected: q.key === report.quarter }, q.label),
    ),
  );
  select.disabled = false;
  $('#compare').textContent = `jämfört med ${report.previousLabel}`;
  $('#print-title').textContent =
    `Rapport för ${report.label}, jämfört med ${report.previousLabel} och ${report.overview.yearAgoLabel}.`;
  document.title = `Supportstatistik ${report.label} – webSesam-hjälpen`;
  $('#csv-all').disabled = false;
  $('#print').disabled = false;

  const category = $('#call-category');
  if (!category.options.length)
    category.append(...report.callCategories.map((c) => el('option', { value: c }, c)));
  $('#calls').hidden = false;
}

async function load(quarter) {
  document.body.dataset.state = 'loading';
  setStatus('Hämtar statistiken …');
  const { status, body } = await api(
    `/api/stats${quarter ? `?quarter=${encodeURIComponent(quarter)}` : ''}`,
  );
  if (status !== 200) {
    setStatus(refusal(status), true);
    document.body.dataset.state = 'refused';
    return;
  }
  render(body);
  setStatus(`${body.label} jämfört med ${body.previousLabel}.`);
  document.body.dataset.state = 'ready';
}

// --- CSV: semicolons and a BOM, as Swedish Excel expects; the cells are the table's text.

const FORMULA_START = /^[=+\-@\t\r]/;
function csvCell(text) {
  // A user's question starting with "=" must not become a formula in Excel.
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const csv = (rows) => `\ufeff${rows.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;

function download(filename, rows) {
  const url = URL.createObjectURL(new Blob([csv(rows)], { type: 'text/csv;charset=utf-8' }));
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('#csv-all').addEventListener('click', () => {
  if (!shown) return;
  const rows = [['Mått', 'Rad', ...shown.tables[0].header.slice(1)]];
  for (const t of shown.tables) for (const r of t.rows) rows.push([t.title, ...r]);
  download(`supportstatistik-${shown.quarter}.csv`, rows);
});
document.querySelector('[data-csv="gaps"]').addEventListener('click', () => {
  if (shown)
    download(`kunskapsluckor-${shown.quarter}.csv`, [shown.gaps.header, ...shown.gaps.rows]);
});
document.querySelector('[data-csv="overview"]').addEventListener('click', () => {
  if (shown)
    download(`kvartalet-i-korthet-${shown.quarter}.csv`, [
      shown.overview.header,
      ...shown.overview.rows,
    ]);
});
$('#print').addEventListener('click', () => window.print());
$('#quarter').addEventListener('change', (e) => load(e.target.value));

$('#call-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const category = $('#call-category').value;
  const out = $('#call-result');
  const { status, body } = await api('/api/stats/calls', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category }),
  });
  out.textContent =
    status === 201
      ? `Samtal registrerat: ${body.category} (${body.quarter}: ${body.countInQuarter} samtal i kategorin).`
      : (body.error ?? refusal(status));
  if (status === 201) await load(shown?.quarter);
});

token = await teamsToken();
await load(new URLSearchParams(location.search).get('quarter'));
