// Admins' Accounts page and everyone's API keys.
import { api, errorText, post } from './api.js';
import { $, closeModal, h, openModal, toast, view } from './dom.js';
import { bytes, when } from './format.js';
import { t } from './i18n.js';

// ---------------------------------------------------------------- API keys

export async function renderKeys(fresh) {
  let data;
  try { data = await api('/api/v1/account/keys'); } catch (e) {
    view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e))));
    return;
  }
  const name = h('input', { id: 'key-name', type: 'text', maxLength: 100, placeholder: t('keys.name'), required: true });
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

export async function renderAccounts() {
  let data;
  try { data = await api('/api/v1/users'); } catch (e) {
    view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e))));
    return;
  }
  const shown = h('div');
  // Every link made while the page is open stays shown (a second account once hid the first's).
  const drawLinks = () => shown.replaceChildren(...[...setupLinks].reverse().map(([name, full]) => {
    const field = h('input', { type: 'text', readOnly: true, value: full, onclick: e => e.target.select() });
    return h('div.setup-link', { dataset: { user: name } }, h('p', {}, t('accounts.link', name)), h('div.row', {}, field,
      h('button.ghost', { onclick: async () => { field.select(); try { await navigator.clipboard.writeText(full); toast(() => t('accounts.copied')); } catch (e) { document.execCommand('copy'); } } }, t('accounts.copy'))));
  }));
  const showLink = (name, link) => {
    setupLinks.delete(name);
    setupLinks.set(name, location.origin + link);
    drawLinks();
  };
  drawLinks();
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
      // The server's default, said in words when it is "no limit" (a bare 0 read as "none allowed").
      placeholder: data.quotaDefaults[k] ? t('quota.default', k === 'storageBytes' ? Math.round(data.quotaDefaults[k] / 1048576) : data.quotaDefaults[k])
        : t('quota.defaultNone') }));
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
    h('td', {}, roleSelect(u.role, r => {
      // A role is what someone may do: changed only when confirmed.
      if (confirm(t('accounts.confirmRole', u.name, t('role.' + r)))) change(u, { role: r }); else renderAccounts();
    })),
    // Viewers make nothing: no quota to set.
    h('td', {}, u.role === 'admin' ? h('span.muted', {}, limits(u)) : u.role === 'viewer' ? h('span.muted', {}, '–')
      : h('button.ghost.quota', { onclick: () => editQuota(u) }, limits(u))),
    h('td', {}, h('span.chip.' + (u.disabled ? 'canceled' : u.hasPassword ? 'succeeded' : 'queued'), {},
      t(u.disabled ? 'accounts.disabled' : u.hasPassword ? 'accounts.active' : 'accounts.pending'))),
    h('td', {}, u.lastSignIn ? when(u.lastSignIn) : t('accounts.never')),
    h('td', {}, h('div.actions', {},
      h('button.ghost.toggle', { onclick: () => change(u, { disabled: !u.disabled }) }, t(u.disabled ? 'accounts.enable' : 'accounts.disable')),
      // Their API keys: seen and revoked here (a leaked key is stopped without its owner).
      h('button.ghost.keys', { onclick: () => showKeysOf(u) }, t('keys.title')),
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
export let showLinkAfter = () => {};

/** An account's API keys, for an admin: when made, last used, and Revoke. */
async function showKeysOf(u) {
  const body = openModal(h('h2', {}, t('keys.of', u.name)), h('p.muted', {}, t('keys.loading')));
  const draw = async () => {
    let keys;
    try { keys = (await api('/api/v1/account/keys?user=' + encodeURIComponent(u.id))).keys; } catch (e) {
      body.replaceChildren(h('h2', {}, t('keys.of', u.name)), h('p.bad', {}, errorText(e)));
      return;
    }
    body.replaceChildren(h('h2', {}, t('keys.of', u.name)), keys.length ? h('table.history.keys', {},
      h('thead', {}, h('tr', {}, ...['keys.name', 'keys.key', 'keys.made', 'keys.used'].map(k => h('th', {}, t(k))), h('th'))),
      h('tbody', {}, ...keys.map(k => h('tr' + (k.revokedAt ? '.disabled' : ''), {},
        h('td.name', {}, k.name), h('td', {}, h('code', {}, k.shown)), h('td', {}, when(k.createdAt)),
        h('td', {}, k.revokedAt ? t('keys.revoked') : k.lastUsedAt ? when(k.lastUsedAt) : t('accounts.never')),
        h('td', {}, k.revokedAt ? null : h('button.ghost.danger', { onclick: async () => {
          if (!confirm(t('keys.confirmRevoke'))) return;
          try { await api('/api/v1/account/keys/' + k.id, { method: 'DELETE' }); draw(); } catch (e) { toast(() => errorText(e), true); }
        } }, t('keys.revoke')))))))
      : h('p.muted', {}, t('keys.none')));
  };
  draw();
}
/** Set-up links made while this page is open: account name -> link. */
const setupLinks = new Map();
