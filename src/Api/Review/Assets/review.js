// The review screen (issue #13; docs/review.md). Plain JavaScript, no build step and nothing fetched from elsewhere:
// every request goes to this API, with the session cookie, and every write carries the session's CSRF token.
'use strict';

const state = { session: null, queue: null, queueIndex: 0, filters: { order: 'oldest', type: '', reason: '' }, doc: null };
const main = document.getElementById('main');
const statusLine = document.getElementById('status');

const reasonWords = {
  'low-confidence': 'The model was unsure',
  'unsupported': 'Not found in the document',
  'unknown-type': 'Unknown document type',
  'failed-rule': 'A check across fields failed',
  'contradicted': 'The attachment and the page disagree',
};

// ---------- small helpers ----------

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function say(text, isError) {
  statusLine.textContent = text || '';
  statusLine.classList.toggle('error', Boolean(isError));
}

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `the server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, url, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers[state.session.csrfHeader] = state.session.csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401 && !url.endsWith('/sign-in')) {
    await loadSession();
    showSignIn('Your session ended (signed out, expired, or its key was revoked). Sign in again.');
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function age(seconds) {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

function typing(event) {
  const target = event.target;
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

// ---------- session ----------

async function loadSession() {
  const response = await fetch('/review/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  state.session = await response.json();
  const signedIn = state.session.signedIn;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('nav-usage').hidden = !(signedIn && state.session.role === 'admin');
  document.getElementById('sign-out').hidden = !signedIn;
  document.getElementById('who').textContent = signedIn ? `key ${state.session.keyId} · ${state.session.tenant} · ${state.session.role}` : '';
}

function showSignIn(message) {
  const key = h('input', { id: 'api-key', type: 'password', name: 'key', autocomplete: 'off', required: true, 'aria-describedby': 'sign-in-problem' });
  const problem = h('p', { id: 'sign-in-problem', class: 'problem', role: 'alert' }, message || '');
  const form = h('form', { class: 'sign-in', onsubmit: async event => {
    event.preventDefault();
    problem.textContent = '';
    try {
      await api('POST', '/review/api/sign-in', { key: key.value });
      key.value = '';
      await loadSession();
      route();
    } catch (error) {
      problem.textContent = error.message;
      key.focus();
    }
  } },
  h('h1', {}, 'Sign in to review'),
  h('label', { for: 'api-key' }, 'API key (role read or admin)'),
  key,
  h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
  problem,
  h('p', { class: 'muted' }, 'The key is exchanged for a session cookie and is not kept by the browser.'));
  main.replaceChildren(form);
  key.focus();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  await api('POST', '/review/api/sign-out');
  await loadSession();
  location.hash = '';
  showSignIn('Signed out.');
});

// ---------- the queue ----------

async function showQueue() {
  const { order, type, reason } = state.filters;
  const query = new URLSearchParams({ order, type, reason });
  state.queue = await api('GET', `/review/api/queue?${query}`);
  state.queueIndex = Math.min(state.queueIndex, Math.max(0, state.queue.items.length - 1));
  const select = (id, label, value, options, onchange) => h('label', { for: id }, label,
    h('select', { id, onchange }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
  const filters = h('div', { class: 'filters' },
    select('filter-order', 'Order', order, [['oldest', 'Oldest first'], ['newest', 'Newest first']],
      event => { state.filters.order = event.target.value; showQueue(); }),
    select('filter-type', 'Type', type, [['', 'Every type'], ...state.queue.types.map(t => [t, t])],
      event => { state.filters.type = event.target.value; showQueue(); }),
    select('filter-reason', 'Reason', reason, [['', 'Every reason'], ...state.queue.reasons.map(r => [r, reasonWords[r] || r])],
      event => { state.filters.reason = event.target.value; showQueue(); }));
  const rows = state.queue.items.map((item, index) => h('tr', { 'data-index': index, id: `row-${item.id}`,
    onclick: () => { state.queueIndex = index; openSelected(); } },
  h('td', {}, h('a', { href: `#doc/${item.id}` }, item.fileName)),
  h('td', {}, item.type),
  h('td', {}, [...new Set(item.reasons.map(r => r.kind))].map(kind => h('span', { class: `chip ${kind}`, title: kind }, reasonWords[kind] || kind))),
  h('td', {}, item.pageCount ?? ''),
  h('td', { title: item.createdAt }, age(item.ageSeconds))));
  const table = h('table', { class: 'queue', id: 'queue' },
    h('thead', {}, h('tr', {}, ['Document', 'Type', 'Why it needs review', 'Pages', 'Waiting'].map(t => h('th', {}, t)))),
    h('tbody', {}, rows));
  main.replaceChildren(
    h('h1', {}, `Needs review (${state.queue.items.length}${state.queue.items.length === state.queue.limit ? '+' : ''})`),
    filters,
    state.queue.items.length ? table : h('p', { class: 'muted', id: 'queue-empty' }, 'Nothing needs review. Well done.'),
    h('p', { class: 'keys' }, h('kbd', {}, 'j'), ' / ', h('kbd', {}, '↓'), ' next, ', h('kbd', {}, 'k'), ' / ', h('kbd', {}, '↑'),
      ' previous, ', h('kbd', {}, 'Enter'), ' open.'));
  markSelectedRow();
}

function markSelectedRow() {
  document.querySelectorAll('table.queue tbody tr').forEach((row, index) => {
    const selected = index === state.queueIndex;
    row.classList.toggle('selected', selected);
    row.setAttribute('aria-selected', String(selected));
    if (selected) row.scrollIntoView({ block: 'nearest' });
  });
}

function openSelected() {
  const item = state.queue && state.queue.items[state.queueIndex];
  if (item) location.hash = `#doc/${item.id}`;
}

function queueKeys(event) {
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey || !state.queue) return;
  const count = state.queue.items.length;
  if (['j', 'ArrowDown'].includes(event.key) && count) state.queueIndex = Math.min(count - 1, state.queueIndex + 1);
  else if (['k', 'ArrowUp'].includes(event.key) && count) state.queueIndex = Math.max(0, state.queueIndex - 1);
  else if (event.key === 'Enter') { openSelected(); event.preventDefault(); return; }
  else return;
  event.preventDefault();
  markSelectedRow();
}

// ---------- a document ----------

async function showDocument(id) {
  say('');
  const doc = await api('GET', `/review/api/documents/${id}`);
  const result = doc.result;
  state.doc = {
    id, doc, page: 1, zoom: 1, selected: null,
    pageCount: doc.document.pageCount || (result.pages ? result.pages.length : 1),
    fields: new Map((result.fields || []).map(field => [field.pointer, field])),
    inputs: new Map(),
  };
  const viewer = buildViewer();
  const side = h('div', { class: 'side' },
    h('div', { class: 'panel' },
      h('h2', {}, doc.document.fileName),
      h('p', { class: 'muted' }, `${result.schema} · ${doc.document.status.replace('_', ' ')} · ${state.doc.pageCount} page(s)`,
        doc.review ? ` · approved as version ${doc.review.version} by key ${doc.review.reviewedBy}` : '')),
    reasonsPanel(result),
    rulesPanel(result),
    editorPanel(doc));
  main.replaceChildren(h('div', { class: 'document' }, viewer, side));
  showPage(1);
  const first = main.querySelector('.editor input, .editor select');
  if (first) first.focus();
}

function buildViewer() {
  const page = h('div', { class: 'page', id: 'page' });
  return h('section', { class: 'viewer', 'aria-label': 'Page' },
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'page-prev', title: 'Previous page (p)', onclick: () => showPage(state.doc.page - 1) }, '‹ Page'),
      h('span', { id: 'page-number' }),
      h('button', { type: 'button', id: 'page-next', title: 'Next page (n)', onclick: () => showPage(state.doc.page + 1) }, 'Page ›'),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', id: 'zoom-out', title: 'Zoom out (-)', onclick: () => zoom(-0.25) }, '−'),
      h('span', { id: 'zoom-level' }, '100%'),
      h('button', { type: 'button', id: 'zoom-in', title: 'Zoom in (+)', onclick: () => zoom(0.25) }, '+')),
    h('div', { class: 'page-scroll', id: 'page-scroll' }, page));
}

function showPage(number) {
  const d = state.doc;
  if (!d || number < 1 || number > d.pageCount) return;
  const changed = d.page !== number || !document.querySelector('#page img');
  d.page = number;
  document.getElementById('page-number').textContent = `${number} / ${d.pageCount}`;
  document.getElementById('page-prev').disabled = number <= 1;
  document.getElementById('page-next').disabled = number >= d.pageCount;
  if (changed) renderPageImage();
  drawBoxes();
}

function renderPageImage() {
  const d = state.doc;
  const dpi = d.zoom > 1.5 ? 200 : d.zoom > 1 ? 150 : 100;
  const page = document.getElementById('page');
  const image = h('img', { id: 'page-image', alt: `Page ${d.page} of ${d.doc.document.fileName}`, src: `/documents/${d.id}/pages/${d.page}/image?dpi=${dpi}` });
  image.addEventListener('error', async () => {
    // An <img> cannot read the problem: ask again to show the reason.
    const response = await fetch(image.src, { credentials: 'same-origin' });
    const problem = await response.json().catch(() => null);
    page.replaceChildren(h('p', { class: 'problem' }, (problem && problem.detail) || 'This page cannot be shown.'));
  });
  page.replaceChildren(image, h('div', { class: 'overlay', id: 'overlay' }));
  applyZoom();
}

function zoom(step) {
  const d = state.doc;
  const before = d.zoom;
  d.zoom = Math.min(3, Math.max(0.5, d.zoom + step));
  document.getElementById('zoom-level').textContent = `${Math.round(d.zoom * 100)}%`;
  // A sharper image past 100% and 150%: the page is rendered again at a higher resolution.
  if ((before > 1) !== (d.zoom > 1) || (before > 1.5) !== (d.zoom > 1.5)) renderPageImage();
  else applyZoom();
  drawBoxes();
}

function applyZoom() {
  document.getElementById('page').style.width = `${Math.round(state.doc.zoom * 100)}%`;
}

function drawBoxes() {
  const d = state.doc;
  const overlay = document.getElementById('overlay');
  if (!overlay) return;
  overlay.replaceChildren();
  const field = d.selected && d.fields.get(d.selected);
  const boxes = (field && field.evidence && field.evidence.boxes) || [];
  let first = null;
  for (const box of boxes.filter(b => b.page === d.page)) {
    const element = h('div', { class: 'box', 'data-pointer': d.selected });
    element.style.left = `${box.x0 * 100}%`;
    element.style.top = `${box.y0 * 100}%`;
    element.style.width = `${(box.x1 - box.x0) * 100}%`;
    element.style.height = `${(box.y1 - box.y0) * 100}%`;
    overlay.append(element);
    first = first || element;
  }
  if (first) first.scrollIntoView({ block: 'center', inline: 'center' });
}

function selectField(pointer) {
  const d = state.doc;
  d.selected = pointer;
  document.querySelectorAll('.field.selected').forEach(element => element.classList.remove('selected'));
  const row = d.inputs.get(pointer);
  if (row) row.row.classList.add('selected');
  const field = d.fields.get(pointer);
  const evidence = field && field.evidence;
  if (evidence && evidence.page && evidence.page !== d.page) showPage(evidence.page);
  else drawBoxes();
}

function reasonsPanel(result) {
  const reasons = (result.review && result.review.reasons) || [];
  return h('section', { class: 'panel', 'aria-label': 'Why it needs review' },
    h('h2', {}, 'Why it needs review'),
    reasons.length === 0 ? h('p', { class: 'muted' }, 'Nothing was flagged.') :
      h('ul', { id: 'reasons' }, reasons.map(reason => h('li', { class: 'reason', onclick: () => reason.pointer && focusField(reason.pointer) },
        h('strong', {}, reasonWords[reason.kind] || reason.kind), reason.pointer ? ` (${reason.pointer})` : '', ': ', reason.detail))));
}

function rulesPanel(result) {
  const rules = result.rules || [];
  if (rules.length === 0) return null;
  return h('section', { class: 'panel', 'aria-label': 'Checks' },
    h('h2', {}, 'Checks across fields'),
    h('ul', { id: 'rules' }, rules.map(rule => h('li', { class: `rule ${rule.outcome}` },
      `${rule.name}: ${rule.outcome}`, rule.reason ? ` (${rule.reason})` : ''))));
}

function focusField(pointer) {
  const entry = state.doc.inputs.get(pointer);
  if (entry) entry.input.focus();
  selectField(pointer);
}

// ---------- the editor: values edited as their schema types ----------

function resolve(schema, root) {
  let current = schema || {};
  for (let depth = 0; current.$ref && depth < 16; depth++) {
    const path = current.$ref.replace(/^#\//, '').split('/');
    const target = path.reduce((node, part) => (node ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
    current = { ...target, ...current, $ref: undefined };
  }
  return current;
}

// The non-null branch of a schema and whether null is allowed: {"type": ["string", "null"]} or anyOf [X, {"type": "null"}].
function shape(schema, root) {
  let s = resolve(schema, root);
  let nullable = false;
  const branches = s.anyOf || s.oneOf;
  if (branches) {
    const rest = branches.filter(branch => resolve(branch, root).type !== 'null');
    nullable = rest.length < branches.length;
    if (rest.length === 1) s = { ...resolve(rest[0], root), description: s.description || resolve(rest[0], root).description };
  }
  let type = s.type;
  if (Array.isArray(type)) {
    nullable = nullable || type.includes('null');
    type = type.find(t => t !== 'null');
  }
  if (s.enum && s.enum.includes(null)) nullable = true;
  return { schema: s, type: type || (s.properties ? 'object' : s.items ? 'array' : 'string'), nullable };
}

function editorPanel(doc) {
  const root = doc.schema && doc.schema.json;
  const data = doc.review ? doc.review.data : doc.result.data;
  const panel = h('section', { class: 'panel editor', 'aria-label': 'Fields' }, h('h2', {}, 'Fields'));
  if (!root || data === null || data === undefined) {
    panel.append(h('p', { class: 'problem' }, doc.schemaProblem || 'This result has no data to correct (its type is unknown); re-extract it with a document type.'));
    return panel;
  }
  const editor = objectEditor(root, root, data, '');
  const errors = h('div', { id: 'approve-errors', class: 'problem', role: 'alert' });
  const approve = h('button', { type: 'button', class: 'primary', id: 'approve', title: 'Approve (Ctrl+Enter)', onclick: () => approveDocument(editor) }, 'Approve');
  state.doc.approve = () => approveDocument(editor);
  panel.append(editor.element, h('div', { class: 'actions' }, approve, h('span', { class: 'muted' }, h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Enter'),
    ' approves, ', h('kbd', {}, 'Esc'), ' back to the queue')), errors);
  return panel;
}

function editorFor(schema, root, value, pointer, label) {
  const { schema: s, type, nullable } = shape(schema, root);
  if (type === 'object') return nullableObjectEditor(s, root, value, pointer, label, nullable);
  if (type === 'array') return arrayEditor(s, root, value, pointer, label);
  return scalarEditor(s, type, nullable, value, pointer, label);
}

function objectEditor(schema, root, value, pointer) {
  const element = h('div', { class: 'object' });
  const parts = Object.entries(schema.properties || {}).map(([name, child]) => {
    const editor = editorFor(child, root, value ? value[name] : null, `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, name.replace(/_/g, ' '));
    element.append(editor.element);
    return [name, editor];
  });
  // An optional property the model left out stays out unless the person filled it in.
  const required = new Set(schema.required || []);
  const absent = name => !required.has(name) && !(value && Object.prototype.hasOwnProperty.call(value, name));
  const empty = v => v === null || (Array.isArray(v) && v.length === 0);
  return { element, get: () => Object.fromEntries(parts.map(([name, editor]) => [name, editor.get()]).filter(([name, v]) => !(absent(name) && empty(v)))) };
}

function nullableObjectEditor(schema, root, value, pointer, label, nullable) {
  const fieldset = h('fieldset', { 'data-pointer': pointer }, label ? h('legend', {}, label) : null);
  let inner = null;
  const body = h('div', {});
  const fill = current => { inner = objectEditor(schema, root, current, pointer); body.replaceChildren(inner.element); };
  let none = null;
  if (nullable) {
    none = h('input', { type: 'checkbox', id: `none-${pointer}`, checked: value === null || value === undefined });
    none.addEventListener('change', () => { if (none.checked) { inner = null; body.replaceChildren(); } else fill(null); });
    fieldset.append(h('label', { class: 'muted', for: `none-${pointer}` }, none, ' none on this document'));
  }
  if (!nullable || (value !== null && value !== undefined)) fill(value);
  fieldset.append(body);
  return { element: fieldset, get: () => (none && none.checked) || !inner ? null : inner.get() };
}

function arrayEditor(schema, root, value, pointer, label) {
  const items = [];
  const list = h('div', { class: 'items' });
  const fieldset = h('fieldset', { 'data-pointer': pointer }, h('legend', {}, label), list);
  const render = values => {
    items.length = 0;
    list.replaceChildren();
    values.forEach((itemValue, index) => {
      // The item's own heading says which it is; an object item needs no legend of its own.
      const editor = editorFor(schema.items || {}, root, itemValue, `${pointer}/${index}`, shape(schema.items || {}, root).type === 'object' ? '' : `${label} ${index + 1}`);
      const remove = h('button', { type: 'button', class: 'remove-row', 'aria-label': `Remove ${label} ${index + 1}`,
        onclick: () => { const current = items.map(item => item.get()); current.splice(index, 1); render(current); } }, 'Remove');
      items.push(editor);
      list.append(h('div', { class: 'item', 'data-pointer': `${pointer}/${index}` },
        h('div', { class: 'item-head' }, h('span', {}, `${label} ${index + 1}`), remove), editor.element));
    });
    list.append(h('button', { type: 'button', class: 'add-row', 'data-pointer': pointer,
      onclick: () => { render([...items.map(item => item.get()), emptyValue(schema.items || {}, root)]); } }, `Add ${label.replace(/s$/, '')}`));
  };
  render(Array.isArray(value) ? value : []);
  return { element: fieldset, get: () => items.map(item => item.get()) };
}

function emptyValue(schema, root) {
  const { schema: s, type, nullable } = shape(schema, root);
  if (type === 'object') return Object.fromEntries(Object.keys(s.properties || {}).map(name => [name, emptyValue(s.properties[name], root)]));
  if (type === 'array') return [];
  if (nullable) return null;
  return type === 'string' ? '' : type === 'boolean' ? false : 0;
}

function scalarEditor(schema, type, nullable, value, pointer, label) {
  const id = `field-${pointer}`;
  const field = state.doc.fields.get(pointer);
  let input;
  let get;
  if (schema.enum) {
    input = h('select', { id }, schema.enum.map(option => h('option', { value: option === null ? '' : String(option), selected: option === value },
      option === null ? '—' : String(option))));
    get = () => (input.value === '' ? null : schema.enum.find(option => String(option) === input.value));
  } else if (type === 'boolean') {
    input = h('select', { id }, [['', '—'], ['true', 'yes'], ['false', 'no']].map(([v, text]) =>
      h('option', { value: v, selected: String(value) === v || (v === '' && value === null) }, text)));
    get = () => (input.value === '' ? null : input.value === 'true');
  } else if (type === 'number' || type === 'integer') {
    input = h('input', { id, type: 'number', step: type === 'integer' ? '1' : 'any', value: value ?? '', inputmode: 'decimal' });
    get = () => (input.value === '' ? (nullable ? null : '') : Number(input.value));
  } else {
    const kind = schema.format === 'date' ? 'date' : 'text';
    input = h('input', { id, type: kind, value: value ?? '', maxlength: schema.maxLength });
    get = () => (input.value === '' && nullable ? null : input.value);
  }
  input.dataset.pointer = pointer;
  const confidence = field && typeof field.confidence === 'number' ? field.confidence : null;
  const level = field && field.unsupported ? 'low' : confidence === null ? null : confidence >= 0.9 ? 'high' : confidence >= 0.5 ? 'mid' : 'low';
  const evidence = field && field.evidence;
  const row = h('div', { class: `field${level ? ` conf-${level}` : ''}`, 'data-pointer': pointer, onclick: () => selectField(pointer) },
    h('label', { for: id, title: schema.description || '' }, label),
    input,
    h('span', { class: 'conf', title: 'the model\'s confidence' }, confidence === null ? '' : `${Math.round(confidence * 100)}%`),
    evidence ? h('span', { class: 'evidence' }, `page ${evidence.page}: “${evidence.quote}”${evidence.boxes && evidence.boxes.length ? '' : ' (no position recorded)'}`)
      : field && field.unsupported ? h('span', { class: 'evidence' }, 'not found in the document\'s text') : null);
  input.addEventListener('focus', () => selectField(pointer));
  state.doc.inputs.set(pointer, { row, input });
  return { element: row, get };
}

function showFieldErrors(errors) {
  document.querySelectorAll('.field-error').forEach(element => element.remove());
  document.querySelectorAll('.invalid').forEach(element => element.classList.remove('invalid'));
  let first = null;
  for (const error of errors) {
    const rows = [...document.querySelectorAll('[data-pointer]')].filter(element => element.dataset.pointer === error.pointer && element.matches('.field, fieldset, .item'));
    const target = rows[0];
    if (!target) continue;
    target.classList.add('invalid');
    const message = h('span', { class: 'field-error', role: 'alert' }, error.message);
    if (target.matches('.field')) target.append(message);
    else target.prepend(message);
    first = first || target.querySelector('input, select, button');
  }
  if (first) first.focus();
}

async function approveDocument(editor) {
  const button = document.getElementById('approve');
  const errors = document.getElementById('approve-errors');
  button.disabled = true;
  errors.textContent = '';
  try {
    const approved = await api('POST', `/documents/${state.doc.id}/review`, { data: editor.get() });
    const changed = approved.changes.length;
    say(`Approved ${state.doc.doc.document.fileName} as version ${approved.version} (${changed} change${changed === 1 ? '' : 's'}).`);
    state.queue = null;
    location.hash = '#queue';
  } catch (error) {
    if (error.status === 401) return;
    errors.textContent = error.message;
    showFieldErrors((error.problem && error.problem.errors) || []);
  } finally {
    button.disabled = false;
  }
}

function documentKeys(event) {
  const d = state.doc;
  if (!d) return;
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && d.approve) { event.preventDefault(); d.approve(); return; }
  if (event.key === 'Escape') { event.preventDefault(); location.hash = '#queue'; return; }
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'n') showPage(d.page + 1);
  else if (event.key === 'p') showPage(d.page - 1);
  else if (event.key === '+' || event.key === '=') zoom(0.25);
  else if (event.key === '-') zoom(-0.25);
}

// ---------- usage: the cost report as a chart ----------

async function showUsage() {
  say('');
  const report = await api('GET', '/review/api/usage/report');
  const bars = [{ name: 'This box', value: report.boxCostPerMonth, own: true },
    ...report.cloud.map(cloud => ({ name: `${cloud.name} (${cloud.priceAsOf})`, value: cloud.costPerMonth, own: false }))];
  const max = Math.max(1e-9, ...bars.map(bar => bar.value));
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  const rowHeight = 28;
  const width = 760;
  svg.setAttribute('viewBox', `0 0 ${width} ${bars.length * rowHeight + 10}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Cost per month: this box against cloud prices');
  const svgElement = (tag, attributes, text) => {
    const element = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    if (text !== undefined) element.textContent = text;
    svg.append(element);
  };
  bars.forEach((bar, index) => {
    const y = index * rowHeight + 5;
    const length = Math.max(1, (bar.value / max) * (width - 330));
    svgElement('text', { x: 0, y: y + 16 }, bar.name);
    svgElement('rect', { x: 220, y, width: length, height: rowHeight - 8, class: bar.own ? 'bar-own' : 'bar-cloud' });
    svgElement('text', { x: 226 + length, y: y + 16 }, `${bar.value.toFixed(2)} ${report.currency}`);
  });
  const figure = (label, value) => h('tr', {}, h('td', {}, label), h('td', {}, value));
  main.replaceChildren(
    h('h1', {}, 'Usage and cost'),
    h('p', { class: 'muted' }, `${new Date(report.from).toLocaleDateString()} to ${new Date(report.to).toLocaleDateString()}, cost per month`),
    svg,
    h('table', { class: 'figures', id: 'usage-figures' },
      figure('Documents', report.documents),
      figure('Documents per month', report.documentsPerMonth.toFixed(1)),
      figure('Prompt tokens (evaluated / reused)', `${report.promptTokensEvaluated} / ${report.promptTokensReused}`),
      figure('Generated tokens', report.generatedTokens),
      figure('Box cost per document', report.boxCostPerDocument === null ? '—' : `${report.boxCostPerDocument.toFixed(4)} ${report.currency}`)),
    h('ul', {}, report.summary.map(line => h('li', {}, line))));
}

// ---------- routing ----------

async function route() {
  if (!state.session || !state.session.signedIn) { showSignIn(); return; }
  const hash = location.hash || '#queue';
  document.querySelectorAll('#nav a').forEach(link => link.toggleAttribute('aria-current', link.getAttribute('href') === hash));
  try {
    const match = /^#doc\/([0-9a-f-]{36})$/.exec(hash);
    if (match) await showDocument(match[1]);
    else if (hash === '#usage') await showUsage();
    else { state.doc = null; await showQueue(); }
  } catch (error) {
    if (error.status !== 401) {
      state.doc = null;
      main.replaceChildren(h('p', { class: 'problem', id: 'page-problem' }, error.message), h('p', {}, h('a', { href: '#queue' }, 'Back to the queue')));
    }
  }
}

document.addEventListener('keydown', event => {
  if (!state.session || !state.session.signedIn) return;
  if (state.doc) documentKeys(event);
  else if ((location.hash || '#queue') === '#queue') queueKeys(event);
});
window.addEventListener('hashchange', () => { state.doc = null; route(); });
loadSession().then(route);
