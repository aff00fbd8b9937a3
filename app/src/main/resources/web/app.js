'use strict';
// HeyGem's page: plain JavaScript, no framework, nothing loaded from the internet.

const $ = (sel, root = document) => root.querySelector(sel);
const view = () => document.getElementById('view');

/** An element: h('div.card', {onclick}, child, 'text', …). Text is always set as text, never as HTML. */
function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const e = document.createElement(name || 'div');
  if (classes.length) e.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e && k !== 'list') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// ---------------------------------------------------------------- server access

/** An error answer, kept in both languages: it is worded when shown, so a switch of language re-words it. */
class ApiFailure extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || ('HTTP ' + status));
    this.status = status;
    this.code = err.code;
    this.en = err.message;
    this.zh = err.messageZh;
    this.hint = err.hint;
    this.hintZh = err.hintZh;
  }
}

async function api(path, options = {}, retried = false) {
  let r;
  try {
    r = await fetch(path, { credentials: 'same-origin', ...options });
  } catch (e) {
    throw new ApiFailure(0, null);
  }
  const type = r.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await r.json() : await r.text();
  if (r.status === 401) { showSignIn(); }
  // A read turned away for a passing reason (full disk, database away) is asked again once, after
  // the wait the server names, before the page shows an error.
  if (r.status === 503 && !retried && (options.method || 'GET') === 'GET' && r.headers.get('Retry-After')) {
    const wait = Math.min(10, Number(r.headers.get('Retry-After')) || 5);
    await new Promise(done => setTimeout(done, wait * 1000));
    return api(path, options, true);
  }
  if (!r.ok) throw new ApiFailure(r.status, body);
  return body;
}

const post = (path, data, headers = {}) => api(path, {
  method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(data || {}),
});

/** Uploads go 3 at a time (the server takes 4 of one account at once); the others wait here for a slot. */
const uploadSlots = { free: 3, waiting: [] };
const uploadSlot = () => new Promise(go => { if (uploadSlots.free > 0) { uploadSlots.free--; go(); } else uploadSlots.waiting.push(go); });
function uploadDone() { const next = uploadSlots.waiting.shift(); if (next) next(); else uploadSlots.free++; }

/** Uploads one file with a progress callback; resolves to the asset. */
async function upload(file, onProgress) {
  await uploadSlot();
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.onloadend = uploadDone;
    x.open('POST', '/api/v1/assets');
    x.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (e) { /* not JSON */ }
      if (x.status === 201) resolve(body); else {
        if (x.status === 401) showSignIn();
        reject(new ApiFailure(x.status, body));
      }
    };
    x.onerror = () => reject(new ApiFailure(0, null));
    const form = new FormData();
    form.append('file', file, file.name);
    x.send(form);
  });
}

/** A passing message; given as a function, it is worded again if the language changes while it shows. */
function toast(message, bad) {
  const e = document.getElementById('toast');
  toast.words = typeof message === 'function' ? message : null;
  e.textContent = toast.words ? toast.words() : message;
  e.className = 'toast' + (bad ? ' bad' : '');
  e.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { e.hidden = true; }, bad ? 8000 : 3000);
}

function errorText(e) {
  if (e.status === 0) return t('error.network');
  const message = (LANG === 'zh' && e.zh) || e.en || e.message;
  const hint = (LANG === 'zh' && e.hintZh) || e.hint;
  return hint ? message + (LANG === 'zh' ? '——' : ' — ') + hint : message;
}

// ---------------------------------------------------------------- formatting

function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '';
  const s = Math.round(seconds);
  return s < 60 ? t('seconds', s) : t('minutes', Math.floor(s / 60), s % 60);
}
function bytes(n) {
  if (n < 1 << 20) return (n / 1024).toFixed(0) + ' KB';
  if (n < 1 << 30) return (n / (1 << 20)).toFixed(1) + ' MB';
  return (n / (1 << 30)).toFixed(2) + ' GB';
}
function when(iso) {
  return new Date(iso).toLocaleString(LANG === 'zh' ? 'zh-CN' : undefined,
    { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
function stateChip(state) {
  return h('span.chip.' + state.toLowerCase(), {}, t('state.' + state));
}
/** A batch's priority when it is not the usual one. */
function priorityChip(priority) {
  return priority && priority !== 'normal' ? h('span.chip.priority.' + priority, {}, (priority === 'high' ? '↑ ' : '↓ ') + t('priority.' + priority)) : null;
}
function prioritySelect(id, value, onchange) {
  return h('select', { id, title: t('priority.hint'), onchange: e => onchange(e.target.value) },
    // High passes everyone's work: only admins may choose it.
    ...(ME && ME.role !== 'admin' && value !== 'high' ? ['normal', 'low'] : ['high', 'normal', 'low'])
      .map(p => h('option', { value: p, selected: value === p }, t('priority.' + p))));
}
/** Moves a batch with queued items one place up or down the queue, then shows the new order. */
async function moveBatch(id, direction, then) {
  try {
    const b = await post('/api/v1/batches/' + id + '/move', { direction });
    if (!b.moved) toast(() => t('queue.notMoved'));
    then();
  } catch (e) { toast(() => errorText(e), true); }
}
function bar(percent, state) {
  const b = h('div.bar' + (state ? '.' + state.toLowerCase() : ''), { role: 'progressbar', 'aria-valuenow': Math.round(percent) });
  b.append(h('span', { style: 'width:' + Math.max(0, Math.min(100, percent)) + '%' }));
  return b;
}

// ---------------------------------------------------------------- modal

function openModal(...content) {
  const m = document.getElementById('modal');
  const body = $('.modal-body', m);
  body.replaceChildren(...content);
  m.hidden = false;
  return body;
}
function closeModal() {
  const m = document.getElementById('modal');
  $('.modal-body', m).querySelectorAll('video,audio').forEach(v => v.pause());
  m.hidden = true;
  $('.modal-body', m).replaceChildren();
  if (closeModal.onClose) { closeModal.onClose(); closeModal.onClose = null; }
}

/** One frame at 25 fps: what the step buttons move (results keep the template's rate, close enough to step by). */
const FRAME = 1 / 25;

function play(item) {
  const video = h('video', { controls: true, autoplay: true, preload: 'metadata', src: item.result, className: 'player' });
  // The template beside it, muted and kept on the result's time: before and after side by side.
  const before = h('video.player.before', { muted: true, preload: 'metadata', src: '/api/v1/assets/' + item.templateId + '/file' });
  const beforeFigure = h('figure', {}, before, h('figcaption', {}, t('player.template')));
  const stage = h('div.compare', {}, h('figure', {}, video, h('figcaption', {}, t('player.result'))));
  const follow = () => { if (before.isConnected && Math.abs(before.currentTime - video.currentTime) > 0.08) before.currentTime = video.currentTime % (before.duration || Infinity); };
  video.addEventListener('play', () => { if (before.isConnected) { follow(); before.play().catch(() => {}); } });
  video.addEventListener('pause', () => { before.pause(); follow(); });
  video.addEventListener('seeked', follow);
  const step = d => { video.pause(); video.currentTime = Math.max(0, video.currentTime + d * FRAME); };
  const compare = h('button.ghost', { onclick: () => {
    const on = !before.isConnected;
    if (on) { stage.prepend(beforeFigure); follow(); if (!video.paused) before.play().catch(() => {}); } else beforeFigure.remove();
    stage.classList.toggle('side', on);
    compare.textContent = on ? t('player.single') : t('player.compare');
  } }, t('player.compare'));
  openModal(h('h2', {}, item.templateName), stage, syncLine(item.sync),
    h('div.row', {},
      h('button.ghost', { title: t('player.back'), 'aria-label': t('player.back'), onclick: () => step(-1) }, '◀ ' + t('player.frame')),
      h('button.ghost', { title: t('player.forward'), 'aria-label': t('player.forward'), onclick: () => step(1) }, t('player.frame') + ' ▶'),
      compare,
      h('a.button.primary', { href: item.result + '?download=1', download: '' }, t('item.download'))));
}

/** The sync judge's reading of a result, against what it reads on natural footage (null: none recorded). */
function syncLine(sync) {
  if (!sync) return null;
  if (!sync.readable) return h('p.sync.muted', { title: t('sync.about') }, t('sync.unreadable'));
  const d = sync.offsetFrames - sync.naturalOffsetFrames;
  const words = d === 0 ? t('sync.onTime') : d === 1 ? t('sync.late1') : d === -1 ? t('sync.early1')
    : d > 0 ? t('sync.late', d) : t('sync.early', -d);
  return h('p.sync', { title: t('sync.about') }, words + ' · ' + t('sync.confidence', sync.confidence.toFixed(2), sync.naturalConfidence.toFixed(2)));
}

async function showItemLog(item) {
  const pre = h('pre.log');
  openModal(h('h2', {}, t('logs.item', item.templateName)), pre);
  if (item.state === 'QUEUED' && !item.attempts) { pre.textContent = t('logs.notStarted'); return; }
  try { pre.textContent = (await api(item.log)) || t('logs.empty'); } catch (e) { pre.textContent = errorText(e); }
}

// ---------------------------------------------------------------- sign-in

function showSignIn() {
  if ($('.signin')) return;
  const node = document.getElementById('signin').content.cloneNode(true);
  translatePage(node);
  view().replaceChildren(node);
  if (new URLSearchParams(location.search).get('signin') === 'wrong') {
    // Opened with an address whose token was not accepted (an old or mistyped one).
    const p = $('.signin .error');
    p.hidden = false;
    p.dataset.i18n = 'signin.wrongLink';
    p.textContent = t('signin.wrongLink');
    history.replaceState(null, '', '/' + location.hash);
  }
  const form = $('.signin form');
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const name = form.name.value.trim();
    try {
      await post('/api/v1/session', name ? { name, password: form.token.value } : { token: form.token.value.trim() });
      route();
    } catch (e) {
      const p = $('.signin .error');
      p.hidden = false;
      const key = e.status === 429 ? null : name ? 'signin.wrong' : 'signin.wrongToken';
      p.dataset.i18n = key || ''; // worded again when the language changes
      p.textContent = key ? t(key) : errorText(e);
    }
  });
}

/** The page of a set-up link: the account's owner chooses its password (also: change your own). */
async function renderSetup(code) {
  let name = null;
  if (code) {
    try { name = (await api('/api/v1/setup/' + encodeURIComponent(code))).name; } catch (e) {
      view().replaceChildren(h('section.card.signin', {}, h('h1', {}, t('setup.title')), h('p.bad', {}, errorText(e))));
      return;
    }
  }
  const current = code ? null : h('input', { type: 'password', name: 'current', autocomplete: 'current-password', placeholder: t('setup.current') });
  const first = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', placeholder: t('setup.password'), required: true, minLength: 8 });
  const again = h('input', { type: 'password', name: 'again', autocomplete: 'new-password', placeholder: t('setup.again'), required: true });
  const error = h('p.error', { hidden: true });
  const form = h('form.setup', { onsubmit: async ev => {
    ev.preventDefault();
    error.hidden = true;
    if (first.value !== again.value) { error.textContent = t('setup.mismatch'); error.hidden = false; return; }
    try {
      if (code) {
        await post('/api/v1/setup', { code, password: first.value });
        history.replaceState(null, '', '/#/create');
      } else {
        await post('/api/v1/account/password', { current: current.value, password: first.value });
        toast(() => t('setup.changed'));
        location.hash = '#/create';
      }
      route();
    } catch (e) { error.textContent = errorText(e); error.hidden = false; }
  } }, current, first, again, h('button.primary', { type: 'submit' }, t('setup.button')));
  view().replaceChildren(h('section.card.signin', {}, h('h1', {}, t(code ? 'setup.title' : 'me.password')),
    name ? h('p.muted', {}, t('setup.lead', name)) : null, form, error));
}

/** What the signed-in editor may still use, in one line (nothing when it has no limits). */
function quotaLine() {
  const q = ME && ME.quota;
  if (!q || !q.used) return null;
  const parts = [];
  if (q.minutesPerDay) parts.push(t('quota.minutes', q.used.minutesToday, q.minutesPerDay));
  if (q.queuedItems) parts.push(t('quota.queued', q.used.queuedItems, q.queuedItems));
  if (q.storageBytes) parts.push(t('quota.storage', bytes(q.used.storageBytes), bytes(q.storageBytes)));
  return h('div.muted.small.quota', { id: 'quota-line' }, t('quota.title') + ' ' + parts.join(' · '));
}

/** The signed-in account ({id, name, role}), or null. */
let ME = null;

/** Who is signed in, at the top right: change password, sign out. */
function showMe(user) {
  const me = $('#me');
  me.hidden = !user;
  ME = user;
  // The page offers only what the role may do (the server refuses the rest anyway).
  const role = user ? user.role : 'admin';
  document.querySelector('[data-nav=accounts]').hidden = role !== 'admin';
  document.querySelector('[data-nav=logs]').hidden = role !== 'admin';
  document.querySelector('[data-nav=create]').hidden = role === 'viewer';
  document.querySelector('[data-nav=live]').hidden = role === 'viewer';
  if (!user) return;
  me.textContent = user.name;
  me.title = t('role.' + user.role);
  me.onclick = () => openModal(h('div.me-menu', {},
    h('p', {}, h('b', {}, user.name), ' · ', t('role.' + user.role)),
    h('a.button.ghost', { href: '#/password', onclick: closeModal }, t('me.password')),
    h('a.button.ghost', { href: '#/keys', onclick: closeModal }, t('keys.title')),
    h('button.ghost', { onclick: async () => {
      try { await api('/api/v1/session', { method: 'DELETE' }); } catch (e) { /* signed out anyway */ }
      closeModal();
      showMe(null);
      showSignIn();
    } }, t('me.signout'))));
}

// ---------------------------------------------------------------- API keys

async function renderKeys(fresh) {
  let data;
  try { data = await api('/api/v1/account/keys'); } catch (e) {
    view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e))));
    return;
  }
  const name = h('input', { id: 'key-name', type: 'text', maxLength: 100, placeholder: t('keys.name') });
  const rows = data.keys.map(k => h('tr' + (k.revokedAt ? '.disabled' : ''), {},
    h('td.name', {}, k.name), h('td', {}, h('code', {}, k.shown)), h('td', {}, when(k.createdAt)),
    h('td', {}, k.revokedAt ? t('keys.revoked') : k.lastUsedAt ? when(k.lastUsedAt) : t('accounts.never')),
    h('td', {}, k.revokedAt ? null : h('button.ghost.danger', { onclick: async () => {
      if (!confirm(t('keys.confirmRevoke'))) return;
      try { await api('/api/v1/account/keys/' + k.id, { method: 'DELETE' }); renderKeys(); } catch (e) { toast(() => errorText(e), true); }
    } }, t('keys.revoke')))));
  const made = fresh ? h('div.setup-link', {}, h('p', {}, t('keys.once')),
    h('div.row', {}, h('input', { type: 'text', readOnly: true, value: fresh, id: 'new-key', onclick: e => e.target.select() }),
      h('button.ghost', { onclick: async () => { try { await navigator.clipboard.writeText(fresh); toast(() => t('accounts.copied')); } catch (e) { $('#new-key').select(); document.execCommand('copy'); } } }, t('accounts.copy')))) : null;
  view().replaceChildren(h('section.card', {}, h('h1', {}, t('keys.title')), h('p.muted', {}, t('keys.lead')),
    rows.length ? h('table.history.keys', {},
      h('thead', {}, h('tr', {}, ...['keys.name', 'keys.key', 'keys.made', 'keys.used'].map(k => h('th', {}, t(k))), h('th'))),
      h('tbody', {}, ...rows)) : h('p.muted', {}, t('keys.none')),
    h('form.row.add-account', { onsubmit: async ev => {
      ev.preventDefault();
      try { const k = await post('/api/v1/account/keys', { name: name.value }); renderKeys(k.key); } catch (e) { toast(() => errorText(e), true); }
    } }, name, h('button.primary', { type: 'submit' }, t('keys.make'))), made));
}

// ---------------------------------------------------------------- accounts page (admins)

async function renderAccounts() {
  let data;
  try { data = await api('/api/v1/users'); } catch (e) {
    view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e))));
    return;
  }
  const shown = h('div.setup-link');
  const showLink = (name, link) => {
    const full = location.origin + link;
    const field = h('input', { type: 'text', readOnly: true, value: full, onclick: e => e.target.select() });
    shown.replaceChildren(h('p', {}, t('accounts.link', name)), h('div.row', {}, field,
      h('button.ghost', { onclick: async () => { field.select(); try { await navigator.clipboard.writeText(full); toast(() => t('accounts.copied')); } catch (e) { document.execCommand('copy'); } } }, t('accounts.copy'))));
  };
  const change = async (u, body) => {
    try {
      await api('/api/v1/users/' + u.id, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      renderAccounts();
    } catch (e) { toast(() => errorText(e), true); renderAccounts(); }
  };
  const roleSelect = (value, onchange, id) => h('select', { id, onchange: e => onchange(e.target.value) },
    ...['admin', 'editor', 'viewer'].map(r => h('option', { value: r, selected: value === r }, t('role.' + r))));
  const limits = u => u.role === 'admin' ? t('quota.none') : [
    u.quota.minutesPerDay ? t('quota.minShort', u.quota.minutesPerDay) : null,
    u.quota.queuedItems ? t('quota.queuedShort', u.quota.queuedItems) : null,
    u.quota.storageBytes ? bytes(u.quota.storageBytes) : null].filter(Boolean).join(' · ') || t('quota.unlimited');
  const editQuota = u => {
    const field = (k, label) => h('label', {}, label, ' ', h('input', { type: 'number', min: 0, name: k,
      value: u.quotaOwn[k] === null ? '' : k === 'storageBytes' ? Math.round(u.quotaOwn[k] / 1048576) : u.quotaOwn[k],
      placeholder: t('quota.default', k === 'storageBytes' ? Math.round(data.quotaDefaults[k] / 1048576) : data.quotaDefaults[k]) }));
    const form = h('form.quota-form', { onsubmit: async ev => {
      ev.preventDefault();
      const read = (k, scale) => form[k].value === '' ? null : Math.round(Number(form[k].value) * scale);
      try {
        await api('/api/v1/users/' + u.id, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ quota: { minutesPerDay: read('minutesPerDay', 1), queuedItems: read('queuedItems', 1), storageBytes: read('storageBytes', 1048576) } }) });
        closeModal();
        renderAccounts();
      } catch (e) { toast(() => errorText(e), true); }
    } }, h('h2', {}, t('quota.of', u.name)), h('p.muted', {}, t('quota.lead')),
      field('minutesPerDay', t('quota.minutesLabel')), field('queuedItems', t('quota.queuedLabel')), field('storageBytes', t('quota.storageLabel')),
      h('div.row', {}, h('button.primary', { type: 'submit' }, t('share.save'))));
    openModal(form);
  };
  const rows = data.users.map(u => h('tr' + (u.disabled ? '.disabled' : ''), { 'data-user': u.name },
    h('td.name', {}, u.name),
    h('td', {}, roleSelect(u.role, r => change(u, { role: r }))),
    h('td', {}, u.role === 'admin' ? h('span.muted', {}, limits(u)) : h('button.ghost.quota', { onclick: () => editQuota(u) }, limits(u))),
    h('td', {}, h('span.chip.' + (u.disabled ? 'canceled' : u.hasPassword ? 'succeeded' : 'queued'), {},
      t(u.disabled ? 'accounts.disabled' : u.hasPassword ? 'accounts.active' : 'accounts.pending'))),
    h('td', {}, u.lastSignIn ? when(u.lastSignIn) : t('accounts.never')),
    h('td', {}, h('div.actions', {},
      h('button.ghost.toggle', { onclick: () => change(u, { disabled: !u.disabled }) }, t(u.disabled ? 'accounts.enable' : 'accounts.disable')),
      h('button.ghost.reset', { onclick: async () => {
        if (!confirm(t('accounts.confirmReset'))) return;
        try { const r = await post('/api/v1/users/' + u.id + '/reset', {}); showLink(u.name, r.setupLink); } catch (e) { toast(() => errorText(e), true); }
      } }, t('accounts.reset')),
      h('button.ghost.danger', { onclick: async () => {
        if (!confirm(t('accounts.confirmDelete'))) return;
        try { await api('/api/v1/users/' + u.id, { method: 'DELETE' }); renderAccounts(); } catch (e) { toast(() => errorText(e), true); }
      } }, t('accounts.delete'))))));
  const name = h('input', { id: 'new-account', type: 'text', maxLength: 64, placeholder: t('accounts.name'), autocapitalize: 'none' });
  const role = roleSelect('editor', () => {}, 'new-role');
  const add = h('form.row.add-account', { onsubmit: async ev => {
    ev.preventDefault();
    try {
      const r = await post('/api/v1/users', { name: name.value, role: role.value });
      await renderAccounts();
      showLinkAfter(r.user.name, r.setupLink);
    } catch (e) { toast(() => errorText(e), true); }
  } }, name, role, h('button.primary', { type: 'submit' }, t('accounts.add')));
  view().replaceChildren(h('section.card', {}, h('h1', {}, t('accounts.title')), h('p.muted', {}, t('accounts.lead')),
    h('table.history.accounts', {},
      h('thead', {}, h('tr', {}, ...['accounts.name', 'accounts.role', 'accounts.quota', 'accounts.state', 'accounts.last'].map(k => h('th', {}, t(k))), h('th'))),
      h('tbody', {}, ...rows)),
    add, shown));
  showLinkAfter = showLink;
}
let showLinkAfter = () => {};

// ---------------------------------------------------------------- create page

// Several speeches × several presenters make one batch per speech (Batch mode); Single: one of each.
const draft = { mode: localStorage.getItem('heygem.mode') || 'batch', audios: [], templates: [], quality: 'high' };

/** The chosen files survive a reload: their asset ids are kept in this browser. */
function saveDraft() {
  localStorage.setItem('heygem.draft', JSON.stringify({
    audios: draft.audios.filter(e => e.asset).map(e => e.asset.id),
    templates: draft.templates.filter(e => e.asset).map(e => ({ id: e.asset.id, include: !!e.include })),
    // Pulls still under way are followed again after a reload (the server keeps them an hour).
    pulls: [...draft.audios.map(e => [e, 'audio']), ...draft.templates.map(e => [e, 'template'])]
      .filter(([e]) => e.pull && e.pull.id).map(([e, target]) => ({ id: e.pull.id, target })),
    quality: draft.quality,
  }));
}

async function restoreDraft() {
  let saved;
  try { saved = JSON.parse(localStorage.getItem('heygem.draft') || 'null'); } catch (e) { saved = null; }
  if (!saved || draft.audios.length || draft.templates.length) return;
  const load = async id => { try { return await api('/api/v1/assets/' + id); } catch (e) { return null; } };
  for (const id of saved.audios || (saved.audio ? [saved.audio] : [])) {
    const a = await load(id);
    if (a) draft.audios.push({ name: a.name, progress: 1, asset: a, error: null });
  }
  for (const tpl of saved.templates || []) {
    const a = await load(tpl.id);
    if (a) {
      const entry = { name: a.name, progress: 1, asset: a, error: null, include: tpl.include };
      draft.templates.push(entry);
      followCheck(entry);
    }
  }
  for (const p of saved.pulls || []) {
    try {
      const pull = await api('/api/v1/imports/' + p.id);
      const entry = { name: pull.url, progress: 0, asset: null, error: null, byAddress: true, pull };
      (p.target === 'audio' ? draft.audios : draft.templates).push(entry);
      followImport(entry, p.target === 'audio' ? 'audio' : 'template');
    } catch (e) { /* ended over an hour ago, or the server restarted: its file, if any, is in the library */ }
  }
  if (QUALITY[saved.quality]) draft.quality = saved.quality;
}

/** Whether a template's face check found it unusable (it is left out unless the user includes it). */
const unusable = e => !!(e.asset && e.asset.check && e.asset.check.state === 'FAILED');
/** The templates that go into the batch. */
const chosen = () => draft.templates.filter(e => e.asset && (!unusable(e) || e.include));

function dropZone(text, hint, accept, multiple, onFiles) {
  const input = h('input', { type: 'file', accept, multiple, hidden: true,
    onchange: () => { onFiles([...input.files]); input.value = ''; } });
  const zone = h('div.drop', { tabIndex: 0, role: 'button',
    onclick: () => input.click(),
    onkeydown: e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } },
    ondragover: e => { e.preventDefault(); zone.classList.add('over'); },
    ondragleave: () => zone.classList.remove('over'),
    ondrop: e => { e.preventDefault(); zone.classList.remove('over'); onFiles([...e.dataTransfer.files]); },
  }, h('div.drop-icon', { 'aria-hidden': 'true' }, '⇪'), h('strong', {}, text), h('span.muted', {}, hint), input);
  return zone;
}

function addUploads(files, target) {
  for (const file of files) {
    const entry = { name: file.name, progress: 0, asset: null, error: null };
    if (target === 'audio') {
      if (draft.mode === 'single') draft.audios = [];
      draft.audios.push(entry);
    } else {
      if (draft.mode === 'single') draft.templates = [];
      draft.templates.push(entry);
    }
    upload(file, p => { entry.progress = p; renderCreateLists(); })
      .then(asset => landed(entry, target, asset))
      .catch(e => { entry.error = e; renderCreateLists(); });
    if (target === 'audio' && draft.mode === 'single') break;
  }
  renderCreateLists();
}

/** An upload or a pull has become an asset. */
function landed(entry, target, asset) {
  entry.asset = asset;
  // The same file twice (under any name) is one template.
  const list = target === 'audio' ? draft.audios : draft.templates;
  if (list.some(x => x !== entry && x.asset && x.asset.id === asset.id)) {
    if (target === 'audio') draft.audios = draft.audios.filter(x => x !== entry);
    else draft.templates = draft.templates.filter(x => x !== entry);
    toast(() => t('templates.duplicate', entry.name));
  } else if (asset.kind === 'VIDEO') followCheck(entry);
  else followSpeech(entry);
  renderCreateLists();
}

/** Polls a long recording's speech measure until it is done (its warning then shows). */
async function followSpeech(entry) {
  while (entry.asset && entry.asset.speech && ['QUEUED', 'RUNNING'].includes(entry.asset.speech.state)) {
    await new Promise(r => setTimeout(r, 2000));
    if (!draft.audios.includes(entry)) return;
    try { entry.asset = await api('/api/v1/assets/' + entry.asset.id); } catch (e) { return; }
    renderCreateLists();
  }
}

/** An address typed under a drop zone: the server pulls it (a live stream for the seconds given, or until Stop). */
function addressForm(target) {
  const input = h('input.address', { type: 'text', inputMode: 'url', placeholder: t('address.placeholder'),
    'aria-label': t('address.placeholder'), spellcheck: false });
  const seconds = h('input.seconds', { type: 'number', min: 0, step: 1, placeholder: t('address.seconds'),
    title: t('address.secondsHint'), 'aria-label': t('address.secondsHint') });
  const add = async ev => {
    ev.preventDefault();
    const url = input.value.trim();
    if (!url) return;
    const entry = { name: url, progress: 0, asset: null, error: null, byAddress: true,
      pull: { state: 'QUEUED', pulledSeconds: 0, pulledBytes: 0 } };
    const list = target === 'audio' ? 'audios' : 'templates';
    if (draft.mode === 'single') draft[list] = [];
    draft[list].push(entry);
    input.value = '';
    renderCreateLists();
    try {
      entry.pull = await post('/api/v1/imports', { url, seconds: Number(seconds.value) || 0 });
      entry.name = entry.pull.url;
      saveDraft();
      followImport(entry, target);
    } catch (e) { entry.pull = null; entry.error = e; renderCreateLists(); }
  };
  return h('form.address-form', { onsubmit: add }, input, seconds, h('button.ghost', { type: 'submit' }, t('address.add')));
}

/** Follows a pull until its file is in the library; taking the entry out of the list stops it. */
async function followImport(entry, target) {
  const list = () => (target === 'audio' ? draft.audios : draft.templates);
  while (entry.pull && ['QUEUED', 'RUNNING'].includes(entry.pull.state)) {
    await new Promise(r => setTimeout(r, 1000));
    if (!list().includes(entry)) { post('/api/v1/imports/' + entry.pull.id + '/stop').catch(() => {}); return; }
    try { entry.pull = await api('/api/v1/imports/' + entry.pull.id); } catch (e) { entry.pull = null; entry.error = e; renderCreateLists(); return; }
    renderCreateLists();
  }
  const done = entry.pull;
  entry.pull = null;
  if (done && done.state === 'DONE') { entry.name = done.asset.name; landed(entry, target, done.asset); saveDraft(); return; }
  if (done && done.state === 'FAILED') entry.error = new ApiFailure(422, { error: done.error });
  else if (target === 'audio') draft.audios = draft.audios.filter(x => x !== entry);
  else draft.templates = draft.templates.filter(x => x !== entry);
  renderCreateLists();
}

/** Polls a template's face check until it is done (it runs on the server as soon as the upload lands). */
async function followCheck(entry) {
  while (entry.asset && (!entry.asset.check || ['QUEUED', 'RUNNING'].includes(entry.asset.check.state))) {
    await new Promise(r => setTimeout(r, 1000));
    if (!draft.templates.includes(entry)) return;
    try { entry.asset = await api('/api/v1/assets/' + entry.asset.id); } catch (e) { return; }
    renderCreateLists();
  }
}

function checkView(asset) {
  const c = asset.check;
  if (!c) return null;
  if (c.state === 'QUEUED') return h('div.check.muted', {}, t('check.queued'));
  if (c.state === 'RUNNING') return h('div.check.muted', {}, t('check.running', Math.round(c.progress)));
  if (c.state === 'FAILED') return h('div.check.bad', {}, t('check.failed') + (LANG === 'zh' ? '：' : ': ') + ((LANG === 'zh' && c.error.messageZh) || c.error.message));
  const r = c.result;
  const level = r.usability >= 80 ? 'good' : r.usability >= 50 ? 'fair' : 'poor';
  return h('div.check', {},
    h('span.score.' + level, { title: t('check.' + level) }, t('check.usability', r.usability)),
    h('span.muted', {}, t('check.face', Math.round(100 * r.faceFraction))),
    ...r.warnings.map(w => h('div.warning', {}, '⚠ ' + ((LANG === 'zh' && w.messageZh) || w.message))));
}

function uploadCard(entry, onRemove) {
  const a = entry.asset;
  const left = unusable(entry) && !entry.include;
  const pic = a && a.thumbnail ? h('img.thumb', { src: a.thumbnail, alt: '', loading: 'lazy' }) : h('div.thumb.blank', {}, a && a.kind === 'AUDIO' ? '♪' : '');
  const facts = a ? [a.durationSeconds ? duration(a.durationSeconds) : null,
    a.width ? a.width + '×' + a.height : null, bytes(a.bytes)].filter(Boolean).join(' · ') : '';
  return h('div.upload' + (left ? '.left-out' : ''), {},
    pic,
    h('div.upload-body', {},
      h('div.name', { title: entry.name }, entry.name),
      entry.error ? h('div.bad', {}, t(entry.byAddress ? 'address.failed' : 'upload.failed')
          + (LANG === 'zh' ? '：' : ': ') + errorText(entry.error))
        : a ? h('div.muted', {}, facts)
        : entry.pull ? pullView(entry)
        : h('div', {}, h('span.muted', {}, t('upload.uploading', Math.round(100 * entry.progress))), bar(100 * entry.progress)),
      a && a.kind === 'AUDIO' ? h('audio', { controls: true, preload: 'metadata', src: a.file }) : null,
      a && a.speech && a.speech.warning ? h('div.warning', {}, '⚠ ' + ((LANG === 'zh' && a.speech.warning.messageZh) || a.speech.warning.message)) : null,
      a ? checkView(a) : null,
      unusable(entry) ? h('label.include.small', {}, h('input', { type: 'checkbox', checked: !!entry.include,
        onchange: ev => { entry.include = ev.target.checked; renderCreateLists(); } }), ' ', t('check.includeAnyway')) : null),
    h('button.ghost.remove', { title: t('remove'), 'aria-label': t('remove'), onclick: onRemove }, '✕'));
}

/** A pull under way: what came so far, and Stop (a live stream keeps what was recorded). */
function pullView(entry) {
  const p = entry.pull;
  const got = p.state === 'QUEUED' ? t('address.waiting')
    : t('address.pulling', duration(p.pulledSeconds) || t('seconds', 0), bytes(p.pulledBytes) || '0 B');
  const stop = p.id && p.state === 'RUNNING' && !p.stopAsked ? h('button.ghost.small', { onclick: async () => {
    try { entry.pull = await post('/api/v1/imports/' + p.id + '/stop'); renderCreateLists(); } catch (e) { toast(() => errorText(e), true); }
  } }, t('address.stop')) : null;
  return h('div.pull', {}, h('span.muted', {}, got), stop, h('div.bar.running.indeterminate', {}, h('span')));
}

function renderCreateLists() {
  const audioList = $('#audio-list');
  if (!audioList) return;
  audioList.replaceChildren(...draft.audios.map(e => uploadCard(e, () => {
    draft.audios = draft.audios.filter(x => x !== e); renderCreateLists();
  })));
  $('#template-list').replaceChildren(...draft.templates.map(e => uploadCard(e, () => {
    draft.templates = draft.templates.filter(x => x !== e); renderCreateLists();
  })));
  const start = $('#start');
  const going = chosen();
  start.textContent = going.length > 1 ? t('start.count', going.length) : t('start');
  $('#audio-drop').hidden = draft.mode === 'single' && draft.audios.length > 0;
  $('#template-drop').hidden = draft.mode === 'single' && draft.templates.length > 0;
  const why = startBlocked();
  start.disabled = !!why;
  const note = $('#start-why');
  const left = draft.templates.filter(e => unusable(e) && !e.include).length;
  const quiet = draft.audios.some(e => e.asset && e.asset.speech && e.asset.speech.warning);
  const speeches = draft.audios.filter(e => e.asset).length;
  note.textContent = why || [speeches > 1 ? t('start.perSpeech', speeches) : '', left ? t('start.leftOut', left) : '',
    quiet ? t('start.quietAudio') : ''].filter(Boolean).join(' ');
  note.className = why ? 'why bad small' : 'why muted small';
  saveDraft();
}

/** Why Start cannot be pressed yet, in words; empty when it can. */
function startBlocked() {
  const failed = [...draft.audios, ...draft.templates].filter(e => e && e.error).length;
  if (failed) return t('start.failedUploads', failed);
  if (!draft.audios.length) return t('start.needAudio');
  const waiting = [...draft.audios, ...draft.templates].filter(e => e && !e.asset).length;
  if (waiting) return t('start.waitUploads');
  if (!draft.templates.length) return t('start.needTemplate');
  if (!chosen().length) return t('start.noneUsable');
  return '';
}

/** The library of uploads: search, rename, delete, and add one, the ticked ones or all shown to the batch. */
async function openLibrary(kind) {
  const list = h('div.library');
  const search = h('input.search', { type: 'search', placeholder: t('library.search'), 'aria-label': t('library.search') });
  const many = draft.mode === 'batch';
  // One button: "Add all shown", or "Add N selected" once rows are ticked.
  const addMany = many ? h('button.ghost', { id: 'library-add' }, t('library.addAll')) : null;
  const ticked = new Set();
  const label = () => { if (addMany) addMany.textContent = ticked.size ? t('library.addSelected', ticked.size) : t('library.addAll'); };
  openModal(h('h2', {}, t('library.title')), h('div.library-tools', {}, search, addMany), list);
  const has = a => (kind === 'VIDEO' ? draft.templates : draft.audios).some(e => e.asset && e.asset.id === a.id);
  const take = async a => {
    if (has(a)) return;
    const entry = { name: a.name, progress: 1, asset: await api('/api/v1/assets/' + a.id), error: null };
    if (kind === 'AUDIO') {
      if (!many) { draft.audios = [entry]; closeModal(); } else draft.audios.push(entry);
    } else {
      if (!many) { draft.templates = [entry]; closeModal(); } else draft.templates.push(entry);
      followCheck(entry);
    }
    renderCreateLists();
  };
  let shown = [];
  const load = async () => {
    let assets;
    try { assets = (await api('/api/v1/assets?kind=' + kind + '&limit=200&q=' + encodeURIComponent(search.value.trim()))).assets; }
    catch (e) { list.replaceChildren(h('p.bad', {}, errorText(e))); return; }
    shown = assets;
    for (const id of [...ticked]) if (!assets.some(a => a.id === id)) ticked.delete(id);
    label();
    if (!assets.length) { list.replaceChildren(h('p.muted', {}, search.value.trim() ? t('library.none') : t('library.empty'))); return; }
    list.replaceChildren(...assets.map(a => {
      const taken = has(a);
      const button = h('button' + (taken ? '.ghost' : '.primary'), { disabled: taken, onclick: async () => {
        button.disabled = true; button.textContent = t('library.added'); ticked.delete(a.id); label(); await take(a);
      } }, taken ? t('library.added') : kind === 'AUDIO' ? t('library.audio') : t('library.add'));
      const tick = many && !taken ? h('input.tick', { type: 'checkbox', checked: ticked.has(a.id), 'aria-label': t('library.select', a.name),
        onchange: e => { if (e.target.checked) ticked.add(a.id); else ticked.delete(a.id); label(); } }) : null;
      return h('div.library-row', { dataset: { id: a.id } }, tick,
        a.thumbnail ? h('img.thumb.small', { src: a.thumbnail, alt: '', loading: 'lazy' }) : h('div.thumb.small.blank', {}, '♪'),
        h('div.grow', {}, h('div.name', {}, a.name), h('div.muted', {}, [duration(a.durationSeconds), a.width ? a.width + '×' + a.height : '',
          bytes(a.bytes), when(a.createdAt)].filter(Boolean).join(' · ')), libraryCheck(a)),
        h('button.ghost.small', { title: t('library.rename'), 'aria-label': t('library.rename'), onclick: async () => {
          const to = prompt(t('library.renameTo'), a.name);
          if (!to || to.trim() === a.name) return;
          try { await api('/api/v1/assets/' + a.id, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ name: to.trim() }) }); load(); } catch (e) { toast(() => errorText(e), true); }
        } }, t('library.rename')),
        h('button.ghost.small.danger', { title: t('library.delete'), 'aria-label': t('library.delete'), onclick: async () => {
          if (!confirm(t('library.confirmDelete', a.name))) return;
          try { await api('/api/v1/assets/' + a.id, { method: 'DELETE' }); toast(() => t('deleted')); load(); } catch (e) { toast(() => errorText(e), true); }
        } }, t('library.delete')),
        button);
    }));
  };
  let typing = null;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(load, 250); });
  if (addMany) addMany.addEventListener('click', async () => {
    const which = ticked.size ? shown.filter(a => ticked.has(a.id)) : shown;
    for (const a of which) await take(a);
    closeModal();
  });
  load();
}

/** A library row's check in one line: the face check of a video, the speech warning of a recording. */
function libraryCheck(a) {
  const c = a.check;
  if (c && c.state === 'DONE') {
    const r = c.result;
    const level = r.usability >= 80 ? 'good' : r.usability >= 50 ? 'fair' : 'poor';
    return h('div.check.small', {}, h('span.score.' + level, { title: t('check.' + level) }, t('check.usability', r.usability)),
      h('span.muted', {}, t('check.face', Math.round(100 * r.faceFraction))));
  }
  if (c && c.state === 'FAILED') return h('div.check.bad.small', {}, (LANG === 'zh' && c.error.messageZh) || c.error.message);
  if (c) return h('div.check.muted.small', {}, t('check.queued'));
  const w = a.speech && a.speech.warning;
  return w ? h('div.warning.small', {}, '⚠ ' + ((LANG === 'zh' && w.messageZh) || w.message)) : null;
}

const QUALITY = { standard: { preset: 'veryfast', crf: 23 }, high: { preset: 'veryfast', crf: 18 }, best: { preset: 'medium', crf: 16 } };

function renderCreate() {
  const modeButton = m => h('button' + (draft.mode === m ? '.on' : ''), { onclick: () => {
    draft.mode = m; localStorage.setItem('heygem.mode', m);
    if (m === 'single' && draft.templates.length > 1) draft.templates = draft.templates.slice(0, 1);
    if (m === 'single' && draft.audios.length > 1) draft.audios = draft.audios.slice(0, 1);
    renderCreate();
  } }, t('mode.' + m));
  const quality = h('select', { id: 'quality', onchange: e => { draft.quality = e.target.value; saveDraft(); } },
    ...Object.keys(QUALITY).map(q => h('option', { value: q, selected: draft.quality === q }, t('quality.' + q))));
  const priority = prioritySelect('priority', draft.priority || 'normal', p => { draft.priority = p; saveDraft(); });
  view().replaceChildren(
    h('section.hero', {}, h('h1', {}, t('create.title')), h('p.muted', {}, t('create.lead')),
      h('div.segmented', { role: 'group' }, modeButton('single'), modeButton('batch'))),
    h('section.grid2', {},
      h('div.card', {},
        h('div.card-head', {}, h('h2', {}, t('audio.title')), h('button.ghost', { onclick: () => openLibrary('AUDIO') }, t('library.open'))),
        h('div', { id: 'audio-drop' }, dropZone(t('audio.drop'), t('audio.hint'), 'audio/*,video/*,.flac,.m4a,.opus', draft.mode === 'batch',
          f => addUploads(draft.mode === 'single' ? f.slice(0, 1) : f, 'audio')), addressForm('audio')),
        h('div.uploads', { id: 'audio-list' })),
      h('div.card', {},
        h('div.card-head', {}, h('h2', {}, t('templates.title')), h('button.ghost', { onclick: () => openLibrary('VIDEO') }, t('library.open'))),
        h('div', { id: 'template-drop' }, dropZone(draft.mode === 'single' ? t('templates.dropOne') : t('templates.drop'), t('templates.hint'),
          'video/*,.flv,.mkv,.ts,.avi,.mov,.webm', draft.mode === 'batch', f => addUploads(draft.mode === 'single' ? f.slice(0, 1) : f, 'template')),
          addressForm('template')),
        h('div.uploads', { id: 'template-list' }))),
    h('section.card.start-row', {},
      h('div.settings', {}, h('h2', {}, t('settings.title')), h('label.muted', {}, t('settings.quality') + ' ', quality),
        h('label.muted', { title: t('priority.hint') }, t('settings.priority') + ' ', priority),
        h('input', { id: 'batch-name', type: 'text', maxLength: 200, placeholder: t('settings.name'), value: draft.name || '',
          oninput: e => { draft.name = e.target.value; } }),
        h('input', { id: 'webhook', type: 'url', maxLength: 2000, placeholder: t('settings.webhook'), value: draft.webhook || '',
          oninput: e => { draft.webhook = e.target.value; } }), quotaLine()),
      h('div.start', {}, h('button.primary.big', { id: 'start', onclick: startBatch }, t('start')),
        h('div', { id: 'start-why', role: 'status' }))));
  renderCreateLists();
}

async function startBatch() {
  const start = $('#start');
  if (startBlocked()) return toast(startBlocked(), true);
  start.disabled = true;
  // One key per press: a double click or a retried request makes one batch, not two.
  draft.key = draft.key || (Date.now().toString(36) + Math.random().toString(36).slice(2));
  try {
    // Asked now, on the user's click: a notification when the batch ends (if the browser allows).
    if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission().catch(() => {});
    // One batch per speech, each keyed: a retry after a failure half-way makes only the missing ones.
    const made = [];
    const speeches = draft.audios.filter(e => e.asset);
    for (let k = 0; k < speeches.length; k++) {
      const name = (draft.name || '').trim();
      made.push(await post('/api/v1/batches', {
        audioId: speeches[k].asset.id, templateIds: chosen().map(e => e.asset.id), settings: QUALITY[draft.quality],
        name: speeches.length > 1 ? (name ? name + ' · ' : '') + speeches[k].name : name || null,
        webhookUrl: (draft.webhook || '').trim() || null, priority: draft.priority || 'normal',
      }, { 'Idempotency-Key': draft.key + '-' + k }));
    }
    draft.name = '';
    draft.priority = 'normal'; // urgent once is not urgent for the next batch
    draft.key = null;
    draft.templates = [];
    draft.audios = [];
    saveDraft();
    location.hash = made.length === 1 ? '#/batch/' + made[0].id : '#/history';
  } catch (e) {
    start.disabled = false;
    toast(() => errorText(e), true);
  }
}

// ---------------------------------------------------------------- batch page

let events = null;
let eventsWatch = null;

function stopEvents() {
  if (events) { events.close(); events = null; }
  clearInterval(eventsWatch);
}

/** Seconds without any event (the server pings every 5 s) after which the page polls instead. */
const SILENT_SECONDS = 12;

const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELED'];

/** Shares a batch with named accounts: they see and download it. */
function shareBatch(batch, shown) {
  const names = h('input', { id: 'share-names', type: 'text', value: (batch.sharedWith || []).join(', '), placeholder: t('share.placeholder') });
  const error = h('p.bad', { hidden: true });
  openModal(h('form.share-form', { onsubmit: async ev => {
    ev.preventDefault();
    try {
      const users = names.value.split(/[,，\s]+/).map(x => x.trim()).filter(Boolean);
      const b = await post('/api/v1/batches/' + batch.id + '/shares', { users });
      batch.sharedWith = b.sharedWith;
      shown.textContent = b.sharedWith.length ? ' · ' + t('share.with', b.sharedWith.join(', ')) : '';
      closeModal();
    } catch (e) { error.textContent = errorText(e); error.hidden = false; }
  } }, h('h2', {}, t('share.title')), h('p.muted', {}, t('share.lead')), names, error,
    h('div.row', {}, h('button.primary', { type: 'submit' }, t('share.save')))));
  names.focus();
}

async function renderBatch(id) {
  let batch;
  try { batch = await api('/api/v1/batches/' + encodeURIComponent(id)); } catch (e) {
    // A batch that is gone is said in the page's words (the API's message is for scripts: it names the id).
    if (e.status === 404) view().replaceChildren(h('section.card', {}, h('p.bad', {}, t('batch.gone')),
      h('a.button.ghost', { href: '#/history' }, t('nav.history'))));
    else if (e.status !== 401) view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e))));
    return;
  }
  const items = new Map(batch.items.map(i => [i.id, i]));
  // Its owner (an editor) and admins change it; others it is shared with only watch and download.
  const mayChange = !ME || ME.role === 'admin' || (ME.role === 'editor' && batch.owner === ME.name);
  const sharing = h('span.muted.shared', {}, batch.sharedWith && batch.sharedWith.length ? ' · ' + t('share.with', batch.sharedWith.join(', ')) : '');

  // Built once; on each update only what changed is touched, so buttons stay put under the pointer.
  const title = h('div', {}, h('h1', {}, batch.name || t('batch.heading', batch.audioName || '', batch.items.length)),
    batch.name ? h('div.muted', {}, t('batch.heading', batch.audioName || '', batch.items.length)) : null,
    h('div.muted', {}, t('batch.title') + ' ' + batch.id, batch.createdAt ? ' · ' + when(batch.createdAt) : '',
      batch.owner ? ' · ' + t('batch.owner', batch.owner) : '', sharing));
  const actions = h('div.actions');
  const counter = h('span');
  const percentText = h('strong');
  const overallBar = bar(0);
  const rows = h('div.items');
  const gallery = h('div');
  view().replaceChildren(h('div.batch', {},
    h('section.card', {}, h('div.card-head', {}, title, actions), h('div.overall', {}, counter, percentText), overallBar, rows),
    h('section.card', {}, h('h2', {}, t('batch.results')), gallery)));

  // Reports arrive from the stream, the database and our own requests in any order: each item's
  // revision (counted up at every change of state) says which is newer. At one revision a finished
  // state is final and a running item's percent only grows (the database lags the live reports).
  const newer = (p, i) => {
    if ((p.revision ?? 0) !== (i.revision ?? 0)) return (p.revision ?? 0) > (i.revision ?? 0);
    if (FINISHED.includes(i.state)) return false;
    return p.state !== 'RUNNING' || i.state !== 'RUNNING' || p.progress >= i.progress;
  };
  const keep = full => {
    const i = items.get(full.id);
    if (!i || newer(full, i)) { items.set(full.id, full); return; }
    if ((full.revision ?? 0) === (i.revision ?? 0) && !FINISHED.includes(i.state) && (full.progress ?? 0) <= (i.progress ?? 0)) {
      // Same running state, older numbers: take what the database adds (attempts), keep the live progress.
      // (Numbers ahead of the page's are taken whole: with the event stream silent, polls are all it hears.)
      items.set(full.id, Object.assign(full, { progress: i.progress, stage: i.stage, framesDone: i.framesDone,
        framesTotal: i.framesTotal, etaSeconds: i.etaSeconds }));
    }
  };

  const act = async path => {
    try {
      const b = await post(path);
      (b.items || [b]).forEach(keep);
      draw();
    } catch (e) { toast(() => errorText(e), true); }
  };

  const itemMeta = i => i.state !== 'RUNNING' ? '' : [i.stage ? t('stage.' + i.stage) : '', Math.round(i.progress) + '%',
    i.framesTotal ? t('item.frames', i.framesDone, i.framesTotal) : '',
    i.etaSeconds !== null && i.etaSeconds !== undefined ? t('item.eta', duration(i.etaSeconds)) : ''].filter(Boolean).join(' · ');

  const itemRow = i => h('div.item.' + i.state.toLowerCase(), { dataset: { id: i.id } },
    h('img.thumb', { src: i.thumbnail + '?v=' + i.state + i.attempts, alt: '', loading: 'lazy' }),
    h('div.item-body', {},
      h('div.item-head', {}, h('span.name', { title: i.templateName }, i.templateName), stateChip(i.state)),
      i.state === 'RUNNING' ? h('div', {}, bar(i.progress, 'RUNNING'), h('div.muted.small.meta', {}, itemMeta(i))) : null,
      i.error ? h('div.bad.small', {}, (LANG === 'zh' && i.error.messageZh) || i.error.message) : null),
    h('div.item-actions', {},
      i.state === 'SUCCEEDED' ? h('button.ghost', { onclick: () => play(items.get(i.id)) }, t('item.play')) : null,
      i.state === 'SUCCEEDED' ? h('a.button.ghost', { href: i.result + '?download=1', download: '' }, t('item.download')) : null,
      mayChange && (i.state === 'QUEUED' || i.state === 'RUNNING') ? h('button.ghost', { onclick: () => act('/api/v1/items/' + i.id + '/cancel') }, t('item.cancel')) : null,
      mayChange && FINISHED.includes(i.state) && i.state !== 'SUCCEEDED' ? h('button.ghost', { onclick: () => act('/api/v1/items/' + i.id + '/retry') }, t('item.retry')) : null,
      h('button.ghost', { onclick: () => showItemLog(items.get(i.id)) }, t('item.log'))));

  let wasActive = batch.items.some(i => i.state === 'QUEUED' || i.state === 'RUNNING');
  const shown = new Map(); // item id -> [row, the state it shows]
  let shownActions = '';
  let shownGallery = '';

  const draw = () => {
    const list = [...items.values()];
    const finished = list.filter(i => FINISHED.includes(i.state)).length;
    const percent = list.reduce((sum, i) => sum + (FINISHED.includes(i.state) ? 100 : i.progress), 0) / Math.max(1, list.length);
    const done = list.filter(i => i.state === 'SUCCEEDED');
    const active = list.some(i => i.state === 'QUEUED' || i.state === 'RUNNING');
    const failed = list.some(i => i.state === 'FAILED' || i.state === 'CANCELED');
    const left = remaining(list);
    counter.textContent = t('batch.overall', finished, list.length) + (left ? ' · ' + t('batch.left', duration(left)) : '');
    percentText.textContent = Math.round(percent) + '%';
    overallBar.className = 'bar ' + (active ? 'running' : failed ? 'failed' : 'succeeded');
    overallBar.firstChild.style.width = percent + '%';

    if (wasActive && !active && 'Notification' in window && Notification.permission === 'granted') {
      // The batch the user is watching has just ended.
      try { new Notification(t('notify.done', batch.name || batch.audioName || ''), { body: t('batch.overall', finished, list.length) }); } catch (e) { /* not allowed here */ }
    }
    wasActive = active;
    const queued = list.some(i => i.state === 'QUEUED');
    const actionKey = [active, failed, done.length > 0, queued].join();
    if (actionKey !== shownActions) {
      shownActions = actionKey;
      actions.replaceChildren(...[
        // While something waits, its place in the queue can change: its priority.
        mayChange && queued ? h('label.muted.priority', { title: t('priority.hint') }, t('settings.priority') + ' ',
          prioritySelect('batch-priority', batch.priority, async p => {
            try { batch.priority = (await api('/api/v1/batches/' + id, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ priority: p }) })).priority; } catch (e) { toast(() => errorText(e), true); }
          })) : null,
        ME && ME.role === 'viewer' ? null : h('button.ghost', { onclick: () => runAgain(batch) }, t('batch.again')),
        mayChange ? h('button.ghost.share', { onclick: () => shareBatch(batch, sharing) }, t('share.button')) : null,
        mayChange && active ? h('button.ghost', { onclick: () => act('/api/v1/batches/' + id + '/cancel') }, t('batch.cancel')) : null,
        mayChange && failed ? h('button.ghost', { onclick: () => act('/api/v1/batches/' + id + '/retry') }, t('batch.retry')) : null,
        done.length ? h('a.button.primary', { href: '/api/v1/batches/' + id + '/zip', download: '' }, t('batch.zip')) : null,
      ].filter(Boolean));
    }
    for (const i of list) {
      // A running row stays while its numbers move (attempts arrive a second after the start).
      const key = [i.state, i.state === 'RUNNING' ? '' : i.attempts, i.error ? i.error.code : '', !!i.result].join();
      const old = shown.get(i.id);
      if (!old || old[1] !== key) {
        const row = itemRow(i);
        if (old) old[0].replaceWith(row); else rows.append(row);
        shown.set(i.id, [row, key]);
      } else if (i.state === 'RUNNING') {
        const fill = old[0].querySelector('.bar > span');
        if (fill) fill.style.width = Math.max(0, Math.min(100, i.progress)) + '%';
        const meta = old[0].querySelector('.meta');
        if (meta) meta.textContent = itemMeta(i);
      }
    }
    const galleryKey = done.map(i => i.id + i.attempts).join();
    if (galleryKey !== shownGallery || !gallery.firstChild) {
      shownGallery = galleryKey;
      gallery.replaceChildren(done.length ? h('div.gallery', {}, ...done.map(i => h('button.tile', { onclick: () => play(i), title: t('item.play') },
        h('img', { src: i.thumbnail + '?v=' + i.state + i.attempts, alt: '', loading: 'lazy' }), h('span.play', { 'aria-hidden': 'true' }, '▶'),
        h('span.caption', {}, i.templateName.replace(/\.[^.]*$/, '') + '.mp4'))))
        : h('p.muted', {}, t('batch.noResults')));
    }
  };

  draw();
  let pending = false;
  const later = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(); }); } };
  let heard = Date.now();
  const listen = () => {
    if (events) events.close();
    heard = Date.now();
    events = new EventSource('/api/v1/events?batch=' + encodeURIComponent(id));
    for (const name of ['hello', 'ping', 'item', 'progress']) events.addEventListener(name, () => { heard = Date.now(); });
    events.addEventListener('item', onItem);
    events.addEventListener('progress', onProgress);
  };
  // A stream that went silent (a proxy holding it, the server dropping a slow reader) is replaced,
  // and meanwhile the batch is read every few seconds, so the page never stands still.
  const watch = async () => {
    if (Date.now() - heard < SILENT_SECONDS * 1000) return;
    try {
      const b = await api('/api/v1/batches/' + encodeURIComponent(id));
      b.items.forEach(keep);
      later();
    } catch (e) { /* the server is away: try again at the next look */ }
    if (!events || events.readyState === EventSource.CLOSED || Date.now() - heard > 3 * SILENT_SECONDS * 1000) listen();
  };
  const onItem = e => { const i = JSON.parse(e.data); if (items.has(i.id)) { keep(i); later(); } };
  const onProgress = e => {
    const p = JSON.parse(e.data);
    const i = items.get(p.itemId);
    if (!i || !newer(p, i)) return;
    if (p.state !== 'RUNNING') {
      // Started or finished: the whole item (result link, error, attempts) comes from the server.
      api('/api/v1/items/' + p.itemId).then(full => { keep(full); later(); }).catch(() => {});
      return;
    }
    Object.assign(i, { state: p.state, revision: p.revision, stage: p.stage, progress: p.progress, framesDone: p.framesDone,
      framesTotal: p.framesTotal, etaSeconds: p.etaSeconds });
    later();
  };
  stopEvents();
  listen();
  eventsWatch = setInterval(watch, 3000);
}

/**
 * Seconds until the whole batch is done, or null while unknown: the running items' own ETAs, and
 * for each queued item the time a finished (or the running) one took, one after another.
 */
function remaining(list) {
  const running = list.filter(i => i.state === 'RUNNING');
  const queued = list.filter(i => i.state === 'QUEUED').length;
  if (!running.length && !queued) return null;
  let left = 0;
  let per = null;
  for (const i of running) {
    if (i.etaSeconds === null || i.etaSeconds === undefined) return null;
    left += i.etaSeconds;
    // This item's pace over its whole work: what the next ones will take.
    if (i.progress > 5) per = i.etaSeconds * 100 / (100 - Math.min(99, i.progress));
  }
  if (queued && per === null) return null;
  return Math.round(left + queued * (per || 0));
}

/** The same presenters again with another speech: back to the create page with them chosen. */
async function runAgain(batch) {
  const templates = [];
  for (const i of batch.items) {
    try {
      const a = await api('/api/v1/assets/' + i.templateId);
      if (!templates.some(e => e.asset.id === a.id)) templates.push({ name: a.name, progress: 1, asset: a, error: null });
    } catch (e) { /* deleted from the library since */ }
  }
  draft.mode = 'batch';
  draft.audios = [];
  draft.templates = templates;
  draft.name = batch.name ? batch.name + ' ' + t('batch.againSuffix') : '';
  templates.forEach(followCheck);
  location.hash = '#/create';
  toast(() => t('batch.againHint'));
}

// ---------------------------------------------------------------- history page

async function renderHistory(limit = 50) {
  let data;
  try { data = await api('/api/v1/batches?limit=' + limit); } catch (e) {
    // A batch that is gone is said in the page's words (the API's message is for scripts: it names the id).
    if (e.status === 404) view().replaceChildren(h('section.card', {}, h('p.bad', {}, t('batch.gone')),
      h('a.button.ghost', { href: '#/history' }, t('nav.history'))));
    else if (e.status !== 401) view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e))));
    return;
  }
  const admin = !ME || ME.role === 'admin';
  const mine = b => admin || (ME.role === 'editor' && b.owner === ME.name);
  const rows = data.batches.map(b => h('tr', {},
    h('td', {}, when(b.createdAt), b.owner && (admin || b.owner !== ME.name) ? h('div.muted.small', {}, t('batch.owner', b.owner)) : null),
    h('td.name', { title: b.name || b.audioName }, b.name ? h('div', {}, b.name, h('div.muted.small', {}, b.audioName)) : b.audioName),
    h('td', {}, h('div.faces', { title: (b.templates || []).map(x => x.name).join(', ') },
      ...(b.templates || []).map(x => h('img.face', { src: x.thumbnail, alt: x.name, loading: 'lazy' })),
      b.counts.total > (b.templates || []).length ? h('span.muted.small', {}, '+' + (b.counts.total - b.templates.length)) : null)),
    h('td', {}, stateChip(b.state), b.state === 'RUNNING' ? h('span.muted.small', {}, ' ' + Math.round(b.progress) + '%') : null,
      ' ', priorityChip(b.priority)),
    h('td', {}, b.counts.succeeded + ' / ' + b.counts.total),
    h('td', {}, h('div.actions', {},
      h('a.button.ghost', { href: '#/batch/' + b.id }, t('history.open')),
      admin && b.counts.queued ? h('button.ghost.icon.move-up', { title: t('queue.up'), 'aria-label': t('queue.up'),
        onclick: () => moveBatch(b.id, 'up', () => renderHistory(limit)) }, '↑') : null,
      admin && b.counts.queued ? h('button.ghost.icon.move-down', { title: t('queue.down'), 'aria-label': t('queue.down'),
        onclick: () => moveBatch(b.id, 'down', () => renderHistory(limit)) }, '↓') : null,
      b.counts.succeeded ? h('a.button.ghost', { href: '/api/v1/batches/' + b.id + '/zip', download: '' }, 'ZIP') : null,
      !mine(b) ? null : h('button.ghost.danger', { onclick: async () => {
        if (!confirm(t('history.confirmDelete'))) return;
        try { await api('/api/v1/batches/' + b.id, { method: 'DELETE' }); toast(() => t('deleted')); renderHistory(limit); } catch (e) { toast(() => errorText(e), true); }
      } }, t('history.delete'))))));
  view().replaceChildren(h('section.card', {},
    h('h1', {}, t('history.title')),
    rows.length ? h('table.history', {},
      h('thead', {}, h('tr', {}, ...['history.date', 'history.audio', 'history.templates', 'history.state', 'history.videos'].map(k => h('th', {}, t(k))), h('th'))),
      h('tbody', {}, ...rows)) : h('p.muted', {}, t('history.empty')),
    data.batches.length === limit ? h('button.ghost', { onclick: () => renderHistory(limit + 50) }, t('history.more')) : null));
}

// ---------------------------------------------------------------- logs page

let logTimer = null;

function workersTable(workers) {
  if (!workers.length) return h('p.muted', {}, t('workers.none'));
  return h('table.history.workers', {},
    h('thead', {}, h('tr', {}, ...['workers.name', 'workers.host', 'workers.state', 'workers.current', 'workers.done', 'workers.seen']
      .map(k => h('th', {}, t(k))))),
    h('tbody', {}, ...workers.map(w => h('tr', {},
      h('td.name', {}, w.name),
      h('td', {}, w.host + ' · ' + t('workers.cores', w.cores, w.threads)),
      h('td', {}, h('span.chip.' + (w.alive ? (w.state === 'RUNNING' ? 'succeeded' : 'queued') : 'canceled'), {},
        t('workers.' + (w.alive && w.state === 'RUNNING' && !w.currentItem ? 'IDLE' : w.state)))),
      h('td', {}, w.currentBatchId ? h('a', { href: '#/batch/' + w.currentBatchId }, w.currentTemplate || t('workers.open')) : '–'),
      h('td', {}, String(w.itemsDone)),
      h('td', {}, when(w.lastHeartbeat))))));
}

/** The audit log as a table: who did what, on what, from where. */
function auditTable(entries) {
  if (!entries.length) return h('p.muted', {}, t('audit.empty'));
  const label = a => { const k = 'audit.' + a; const s = t(k); return s === k ? a : s; };
  return h('table.history.audit', {},
    h('thead', {}, h('tr', {}, ...['audit.when', 'audit.who', 'audit.what', 'audit.target', 'audit.from'].map(k => h('th', {}, t(k))))),
    h('tbody', {}, ...entries.map(e => h('tr' + (e.action.endsWith('.refused') ? '.refused' : ''), {},
      h('td', {}, when(e.at)),
      h('td', {}, e.actor, h('span.muted.small', {}, ' · ' + e.via)),
      h('td', {}, label(e.action)),
      h('td.name', { title: e.detail || '' }, e.target && e.target.startsWith('b_') ? h('a', { href: '#/batch/' + e.target }, e.target) : (e.target || ''),
        e.detail ? h('div.muted.small', {}, e.detail) : null),
      h('td.muted', {}, e.address || '')))));
}

function renderLogs() {
  const pre = h('pre.log.tall');
  const follow = h('input', { type: 'checkbox', checked: true });
  const workers = h('div');
  const audit = h('div.audit-box');
  let auditTop = null;
  view().replaceChildren(
    h('section.card', {}, h('h2', {}, t('workers.title')), workers),
    h('section.card', {},
      h('div.card-head', {}, h('h1', {}, t('logs.title')), h('label.muted', {}, follow, ' ', t('logs.follow'))), pre),
    // Below the log (which fills the window): scroll down for who did what.
    h('section.card', {}, h('h2', {}, t('audit.title')), h('p.muted.small', {}, t('audit.lead')), audit));
  const load = async () => {
    try {
      const [text, list, done] = await Promise.all([api('/api/v1/logs?lines=500'), api('/api/v1/workers'), api('/api/v1/audit?limit=50')]);
      workers.replaceChildren(workersTable(list.workers));
      const top = done.entries.length ? done.entries[0].id : 0;
      if (top !== auditTop) { auditTop = top; audit.replaceChildren(auditTable(done.entries)); }
      if (pre.textContent !== text) {
        pre.textContent = text;
        if (follow.checked) pre.scrollTop = pre.scrollHeight;
      }
    } catch (e) { pre.textContent = errorText(e); }
  };
  // The log box ends at the window's bottom edge, whatever is above it, so the newest lines show.
  const fit = () => {
    if (!pre.isConnected) return;
    pre.style.height = Math.max(240, innerHeight - pre.getBoundingClientRect().top - window.scrollY - 48) + 'px';
    if (follow.checked) pre.scrollTop = pre.scrollHeight;
  };
  window.onresize = fit;
  load().then(fit);
  requestAnimationFrame(fit);
  logTimer = setInterval(load, 2000);
}

// ---------------------------------------------------------------- routing

async function route() {
  stopEvents();
  stopLive();
  clearInterval(logTimer);
  closeModal();
  const hash = location.hash || '#/create';
  const [, page, id] = hash.split('/');
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('on', a.dataset.nav === (page === 'batch' ? 'history' : page)));
  let session;
  try { session = await api('/api/v1/session'); } catch (e) {
    // The server is away: say so (signing in would not help), and look again.
    view().replaceChildren(h('section.card', {}, h('p.bad', {}, t('error.network')),
      h('button.primary', { onclick: route }, t('retry'))));
    return;
  }
  if (page === 'setup' && id) { showMe(null); return renderSetup(decodeURIComponent(id)); }
  if (!session.signedIn) { showMe(null); showSignIn(); return; }
  showMe(session.user);
  if (page === 'password') return renderSetup(null);
  if (page === 'accounts') return renderAccounts();
  if (page === 'keys') return renderKeys();
  if (session.user && session.user.role === 'viewer' && page !== 'batch') return renderHistory();
  if (page === 'batch' && id) return renderBatch(decodeURIComponent(id));
  if (page === 'history') return renderHistory();
  if (page === 'logs') return renderLogs();
  if (page === 'live') return renderLive();
  await restoreDraft();
  return renderCreate();
}

// ---------------------------------------------------------------- live

let liveTimer = null;
let liveHls = null;

function stopLive() {
  clearInterval(liveTimer);
  liveTimer = null;
  if (liveHls) { liveHls.destroy(); liveHls = null; }
}

/** Loads a script of ours once (hls.js is only needed on this page). */
function loadScript(src) {
  return loadScript[src] || (loadScript[src] = new Promise((resolve, reject) => {
    document.head.append(h('script', { src, onload: resolve, onerror: () => { loadScript[src] = null; reject(new Error(src)); } }));
  }));
}

async function renderLive() {
  let templates;
  let streams;
  try {
    templates = (await api('/api/v1/assets?kind=VIDEO&limit=200')).assets.filter(a => !(a.check && a.check.state === 'FAILED'));
    streams = (await api('/api/v1/live')).streams;
  } catch (e) { view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e)))); return; }
  const url = h('input.address', { id: 'live-url', type: 'text', inputMode: 'url', placeholder: t('live.urlHint'),
    'aria-label': t('live.url'), spellcheck: false, value: localStorage.getItem('heygem.liveUrl') || '' });
  const template = h('select', { id: 'live-template', 'aria-label': t('live.template') },
    ...templates.map(a => h('option', { value: a.id }, a.name)));
  const latency = h('input', { id: 'live-latency', type: 'number', min: 0.9, max: 30, step: 0.1, value: 1.0,
    'aria-label': t('live.latency') });
  const record = h('input', { id: 'live-record', type: 'checkbox', checked: true });
  const panel = h('div', { id: 'live-panel' });
  const go = h('button.primary', { id: 'live-start', disabled: !templates.length, onclick: async () => {
    go.disabled = true;
    try {
      localStorage.setItem('heygem.liveUrl', url.value.trim());
      showStream(panel, await post('/api/v1/live', { audioUrl: url.value.trim(), templateId: template.value,
        latency: Number(latency.value) || 1, record: record.checked }));
    } catch (e) { toast(() => errorText(e), true); }
    go.disabled = false;
  } }, t('live.start'));
  view().replaceChildren(
    h('section.hero', {}, h('h1', {}, t('live.title')), h('p.muted', {}, t('live.lead'))),
    h('section.card', {}, h('div.live-form', {},
      h('label', {}, h('span.muted', {}, t('live.url')), url),
      h('label', {}, h('span.muted', {}, t('live.template')), template),
      h('label', {}, h('span.muted', {}, t('live.latency')), latency),
      h('label.check-label', {}, record, ' ', t('live.record')), go),
      templates.length ? null : h('p.muted', {}, t('live.noTemplates'))),
    panel);
  if (streams.length) showStream(panel, streams[0]);
}

/** A stream: its picture while it is produced, its figures each second, Stop, and the recording once ended. */
function showStream(panel, stream) {
  stopLive();
  const video = h('video.player', { id: 'live-video', controls: true, muted: true, autoplay: true, playsInline: true });
  const state = h('strong', { id: 'live-state' });
  const stats = h('div.muted.small', { id: 'live-stats' });
  const actions = h('div.row');
  panel.replaceChildren(h('section.card', {}, h('div.card-head', {},
    h('h2', {}, stream.templateName, ' · ', h('span.muted', {}, stream.audioUrl)), state), video, stats, actions));
  let attached = false;
  const attach = async () => {
    attached = true;
    await loadScript('/vendor/hls.light.min.js');
    if (!window.Hls || !Hls.isSupported()) {
      // No MediaSource (Safari on iPhone): its own HLS player. Chromium's native HLS, when it has one,
      // was seen to stay paused with nothing loaded; hls.js is used wherever it can be.
      video.src = stream.playlist;
      video.addEventListener('loadedmetadata', () => video.play().catch(() => {}), { once: true });
      return;
    }
    // No worker: the page's policy allows scripts from this server only.
    const hls = new Hls({ enableWorker: false, liveSyncDurationCount: 2, xhrSetup: x => { x.withCredentials = true; } });
    liveHls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    // A live playlist read a moment too early, or a segment not written yet, is not the end: try again.
    hls.on(Hls.Events.ERROR, (event, data) => {
      (window.liveErrors = window.liveErrors || []).push(data.type + ' ' + data.details + (data.fatal ? ' (fatal)' : ''));
      if (!data.fatal || liveHls !== hls) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => { if (liveHls === hls) hls.startLoad(); }, 1000);
      else { hls.destroy(); liveHls = null; attached = false; } // the next second attaches anew
    });
    hls.loadSource(stream.playlist);
    hls.attachMedia(video);
  };
  const draw = s => {
    stream = s;
    state.textContent = t('live.state.' + s.state);
    state.className = 'live-' + s.state.toLowerCase();
    const x = s.stats;
    stats.textContent = s.error ? '' : x ? t('live.stats', duration(x.seconds) || t('seconds', 0), x.latencyMedian.toFixed(2),
      x.latencyMax.toFixed(2), x.bridgedSeconds, t('live.input.' + (['ENDED', 'FAILED'].includes(s.state) ? 'ended' : x.input))) : '';
    actions.replaceChildren(...[
      s.error ? h('p.bad', {}, (LANG === 'zh' && s.error.messageZh) || s.error.message) : null,
      ['STARTING', 'LIVE'].includes(s.state) && !s.stopAsked ? h('button.ghost', { id: 'live-stop', onclick: async () => {
        try { draw(await post('/api/v1/live/' + s.id + '/stop')); } catch (e) { toast(() => errorText(e), true); }
      } }, t('live.stop')) : null,
      s.recording ? h('a.button.primary', { href: s.recording + '?download=1', download: '' }, t('live.recording')) : null,
    ].filter(Boolean));
    // The first segments take a second or two to be written.
    if (!attached && s.state === 'LIVE' && x && x.seconds >= 2) attach();
    // Once ended: the recording if there is one, else what the playlist still holds.
    if (!attached && s.state === 'ENDED' && x && x.frames > 0) {
      if (s.recording) { attached = true; video.src = s.recording; } else attach();
    }
    if (['ENDED', 'FAILED'].includes(s.state)) { clearInterval(liveTimer); liveTimer = null; }
  };
  draw(stream);
  liveTimer = setInterval(async () => {
    try { draw(await api('/api/v1/live/' + stream.id)); } catch (e) { /* the next second */ }
  }, 1000);
}

// ---------------------------------------------------------------- server condition

/** Shows a banner while the server's disk is below its reserve (the queue is paused meanwhile). */
let storage = null;
async function checkHealth() {
  try {
    const r = await fetch('/api/v1/health', { credentials: 'same-origin' });
    storage = (await r.json()).storage || null;
  } catch (e) { storage = null; }
  showCondition();
}
function showCondition() {
  let banner = document.getElementById('condition');
  if (!storage || !storage.low) { if (banner) banner.remove(); return; }
  if (!banner) {
    banner = h('div.condition', { id: 'condition', role: 'alert' });
    document.querySelector('header.top').after(banner);
  }
  const size = b => b >= 2 ** 30 ? (b / 2 ** 30).toFixed(1) + ' GB' : Math.round(b / 2 ** 20) + ' MB';
  banner.textContent = t('storage.low', size(storage.freeBytes), size(storage.reserveBytes));
}
setInterval(checkHealth, 10000);

document.getElementById('lang').addEventListener('click', () => {
  LANG = LANG === 'zh' ? 'en' : 'zh';
  localStorage.setItem('heygem.lang', LANG);
  translatePage();
  showCondition();
  const shown = document.getElementById('toast');
  if (toast.words && !shown.hidden) shown.textContent = toast.words();
  route();
});
document.querySelector('#modal .modal-close').addEventListener('click', closeModal);
document.getElementById('modal').addEventListener('click', e => { if (e.target.id === 'modal') closeModal(); });
document.addEventListener('keydown', e => { if (e.key === 'Escape') closeModal(); });
window.addEventListener('hashchange', route);
translatePage();
checkHealth();
route();
