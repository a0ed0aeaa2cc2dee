// "Lär boten" on the statistics tab: a button on each row of Kunskapsluckor, and the list of taught
// questions with Ångra. It uses the same API as a script would (/api/knowledge/taught), with the
// token tab.js got from Teams (window.tabToken), and leaves the rest of the page to tab.js.

const el = (tag, attrs = {}, text) => {
  const node = Object.assign(document.createElement(tag), attrs);
  if (text !== undefined) node.textContent = text;
  return node;
};

async function api(path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  const token = window.tabToken?.();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { ...init, headers });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

let topics = null;
async function loadTopics() {
  if (!topics) {
    const { status, body } = await api('/api/knowledge/topics');
    topics = status === 200 ? body.topics : [];
  }
  return topics;
}
const titleOf = (id) => topics?.find((t) => t.id === id)?.title ?? id;

/** The form in a gap row: the question (editable), the topic, Spara. */
async function teachForm(cell, question) {
  const input = el('input', { type: 'text', value: question, maxLength: 2000 });
  input.setAttribute('aria-label', 'Frågan');
  const select = el('select');
  select.setAttribute('aria-label', 'Ämne');
  select.append(el('option', { value: '' }, 'Välj ämne …'));
  for (const t of await loadTopics()) select.append(el('option', { value: t.id }, t.title));
  const out = el('output', { role: 'status' });
  const form = el('form', { className: 'teach-form' });
  form.append(input, select, el('button', { type: 'submit' }, 'Spara'), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!select.value) {
      out.textContent = 'Välj ett ämne.';
      return;
    }
    const { status, body } = await api('/api/knowledge/taught', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: input.value, topicId: select.value }),
    });
    if (status !== 201) {
      out.textContent = body.error ?? `Kunde inte spara (fel ${status}).`;
      return;
    }
    cell.replaceChildren(el('span', {}, `Inlärd: ${titleOf(body.topicId)}`));
    await renderTaught();
  });
  cell.replaceChildren(form);
  input.focus();
}

/** Adds the "Lär boten" column to the Kunskapsluckor table, whenever tab.js (re)draws it. */
function enhanceGaps() {
  const table = document.querySelector('#gaps table');
  if (!table) return;
  const head = table.querySelector('thead tr');
  if (head && !head.querySelector('.teach'))
    head.append(el('th', { className: 'teach' }, 'Lär boten'));
  for (const tr of table.querySelectorAll('tbody tr')) {
    const cells = tr.querySelectorAll('td');
    if (cells.length < 2 || tr.querySelector('td.teach')) continue;
    const question = cells[0].textContent;
    const cell = el('td', { className: 'teach' });
    const button = el('button', { type: 'button' }, 'Lär boten');
    button.addEventListener('click', () => teachForm(cell, question));
    cell.append(button);
    tr.append(cell);
  }
}

const when = (iso) =>
  new Date(iso).toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
const STATUS = { active: 'Gäller', replaced: 'Ersatt', undone: 'Ångrad' };

/** The taught questions: the ones in force first, with Ångra; the history under them. */
async function renderTaught() {
  let section = document.querySelector('#taught');
  if (!section) {
    section = el('section', { id: 'taught', className: 'figure' });
    section.style.marginTop = '1.5rem';
    section.append(
      el('h2', {}, 'Inlärda frågor'),
      el(
        'p',
        { className: 'intro' },
        'Frågor som supporten har lärt boten. Boten svarar direkt på dem och på liknande frågor. ' +
          'Ångra tar bort en inlärning.',
      ),
      el('table'),
    );
    // Right under Kunskapsluckor, where the teaching starts.
    const gapsSection = document.querySelector('#gaps');
    if (gapsSection) gapsSection.after(section);
    else document.querySelector('main')?.append(section);
  }
  // Tests and scripts wait for this list apart from the figures: it is fetched after them.
  section.dataset.state = 'loading';
  const { status, body } = await api('/api/knowledge/taught');
  if (status !== 200) {
    section.hidden = true;
    section.dataset.state = 'ready';
    return;
  }
  await loadTopics();
  const table = section.querySelector('table');
  const head = el('tr');
  for (const h of ['Fråga', 'Ämne', 'Vem', 'När', 'Status', '']) head.append(el('th', {}, h));
  const items = [...body.items]
    .reverse()
    .sort((a, b) => (a.status === 'active' ? 0 : 1) - (b.status === 'active' ? 0 : 1));
  const rows = items.map((item) => {
    const tr = el('tr');
    tr.append(
      el('td', {}, item.question),
      el('td', {}, titleOf(item.topicId)),
      el('td', {}, item.taughtBy.name || item.taughtBy.id),
      el('td', {}, when(item.taughtAt)),
      el('td', {}, STATUS[item.status] ?? item.status),
    );
    const action = el('td');
    if (item.status === 'active') {
      const undo = el('button', { type: 'button' }, 'Ångra');
      undo.addEventListener('click', async () => {
        await api(`/api/knowledge/taught/${encodeURIComponent(item.id)}`, { method: 'DELETE' });
        await renderTaught();
      });
      action.append(undo);
    }
    tr.append(action);
    return tr;
  });
  if (!rows.length) {
    const tr = el('tr');
    tr.append(el('td', { colSpan: 6 }, 'Inga inlärda frågor ännu.'));
    rows.push(tr);
  }
  table.replaceChildren(el('thead'), el('tbody'));
  table.tHead.append(head);
  table.tBodies[0].append(...rows);
  section.hidden = false;
  section.dataset.state = 'ready';
}

const gaps = document.querySelector('#gaps');
if (gaps) new MutationObserver(enhanceGaps).observe(gaps, { childList: true, subtree: true });
enhanceGaps();
// The tab's own script fetches the token first; once the figures are shown, so is this list.
const shown = new MutationObserver(() => {
  if (document.body.dataset.state !== 'loading') {
    shown.disconnect();
    renderTaught();
  }
});
if (document.body.dataset.state === 'loading')
  shown.observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
else renderTaught();
