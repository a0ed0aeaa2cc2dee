// Access requests (behörighetsansökningar) on the statistics tab: the quarter's requests, who
// applied, approved and registered them, a search by the person concerned, and CSV export.
// Its own module and section, so the statistics page around it can change without touching it.

const root = document.querySelector('#access-requests');
let token = null;

const el = (tag, attrs = {}, text) => {
  const node = Object.assign(document.createElement(tag), attrs);
  if (text !== undefined) node.textContent = text;
  return node;
};

/** The Teams SSO token, inside Teams; the statistics script has already loaded the SDK. */
async function teamsToken() {
  if (window.parent === window) return null;
  for (let i = 0; i < 100 && !window.microsoftTeams; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const teams = window.microsoftTeams;
  if (!teams) return null;
  try {
    await teams.app.initialize();
    return await teams.authentication.getAuthToken();
  } catch {
    return null; // the statistics part above already says that sign-in failed
  }
}

const headers = () => (token ? { authorization: `Bearer ${token}` } : {});

function build() {
  root.replaceChildren(
    el('h2', {}, 'Behörighetsansökningar'),
    el(
      'p',
      { className: 'intro' },
      'Ansökningar om, ändring och avslut av behörighet: vem som ansökte, godkände och registrerade, och när.',
    ),
    el('div', { className: 'controls' }),
    el('p', { id: 'access-counts', role: 'status' }),
    // Thirteen columns: the table scrolls inside its box on a narrow side panel, not the page.
    el('div', { className: 'table-wrap' }),
  );
  root.querySelector('.table-wrap').append(el('table', {}));
  const controls = root.querySelector('.controls');
  const quarter = el('select', { id: 'access-quarter' });
  const search = el('input', { id: 'access-search', type: 'search', maxLength: 200 });
  const form = el('form', { id: 'access-search-form' });
  const searchLabel = el('label', {}, 'Sök person ');
  searchLabel.append(search);
  form.append(searchLabel, el('button', { type: 'submit' }, 'Sök'));
  const csv = el('button', { type: 'button', id: 'access-csv', className: 'csv' }, 'Ladda ner CSV');
  const label = el('label', {}, 'Kvartal ');
  label.append(quarter);
  controls.append(label, form, csv);
  quarter.addEventListener('change', () => {
    search.value = '';
    load();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  csv.addEventListener('click', download);
}

function params() {
  const q = root.querySelector('#access-search').value.trim();
  const quarter = root.querySelector('#access-quarter').value;
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  else if (quarter) p.set('quarter', quarter);
  return p.toString();
}

async function load() {
  const res = await fetch(`/api/access-requests?${params()}`, {
    headers: { accept: 'application/json', ...headers() },
  });
  const counts = root.querySelector('#access-counts');
  if (res.status === 401 || res.status === 403) {
    root.hidden = true; // the statistics part says why
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200) {
    counts.textContent = body.error ?? `Kunde inte hämta ansökningarna (fel ${res.status}).`;
    root.hidden = false;
    return;
  }
  const select = root.querySelector('#access-quarter');
  select.replaceChildren(
    ...body.quarters.map((q) =>
      el('option', { value: q.key, selected: q.key === body.quarter }, q.label),
    ),
  );
  const kinds = body.counts.byKind.map((k) => `${k.label}: ${k.count}`).join(', ');
  counts.textContent = body.search
    ? `${body.counts.total} ansökningar för "${body.search}".`
    : `${body.quarterLabel}: ${body.counts.total} ansökningar (${kinds}).`;
  const table = root.querySelector('table');
  const head = el('tr');
  head.append(...body.columns.map((c) => el('th', { scope: 'col' }, c)));
  const rows = body.rows.map((cells) => {
    const tr = el('tr');
    tr.append(...cells.map((c) => el('td', {}, c)));
    return tr;
  });
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  tbody.append(...rows);
  table.replaceChildren(el('caption', {}, 'Behörighetsansökningar'), thead, tbody);
  root.hidden = false;
}

async function download() {
  const res = await fetch(`/api/access-requests.csv?${params()}`, { headers: headers() });
  if (res.status !== 200) return;
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: name ?? 'behorighetsansokningar.csv' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

if (root) {
  build();
  token = await teamsToken();
  await load();
}
