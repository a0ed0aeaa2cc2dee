// The statistics tab. Plain ES module, no build step: the server hands it out as is, with the
// UMD bundles of chart.js (window.Chart) and, inside Teams, @microsoft/teams-js (window.microsoftTeams).

const number = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1, useGrouping: false });
const precise = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2, useGrouping: false });
const COLORS = { current: '#5b5fc7', previous: '#c7c9ef' };
const charts = [];
/** What is on the page now, so CSV export writes exactly that. */
let shown = null;
let token = null;
// teach.js ("Lär boten") calls the API with the same token.
window.tabToken = () => token;

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
  section.append(table(figure.title, header, rows, figure.rows.length - 1));
  const button = el('button', { type: 'button', className: 'csv' }, 'Ladda ner CSV');
  button.addEventListener('click', () =>
    download(`${figure.id}-${report.quarter}.csv`, [header, ...rows]),
  );
  section.append(button);

  if (window.Chart) {
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
            { label: report.label, data: values('current'), backgroundColor: COLORS.current },
            {
              label: report.previousLabel,
              data: values('previous'),
              backgroundColor: COLORS.previous,
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
      ? rows.map((r) => {
          const tr = el('tr');
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
  return { header, rows };
}

function render(report) {
  charts.splice(0).forEach((c) => c.destroy());
  const figures = $('#figures');
  figures.replaceChildren();
  const tables = report.figures.map((f) => {
    const { section, header, rows } = renderFigure(f, report);
    figures.append(section);
    return { id: f.id, title: f.title, header, rows };
  });
  shown = { quarter: report.quarter, tables, gaps: renderGaps(report) };

  const select = $('#quarter');
  select.replaceChildren(
    ...report.quarters.map((q) =>
      el('option', { value: q.key, selected: q.key === report.quarter }, q.label),
    ),
  );
  select.disabled = false;
  $('#compare').textContent = `jämfört med ${report.previousLabel}`;
  $('#csv-all').disabled = false;

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
