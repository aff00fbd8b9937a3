// History: every batch this account may see — found by words, state, owner and dates, sorted, a
// page at a time, several at once cancelled, deleted or downloaded, and current without a reload
// (new, shared, finished and deleted batches arrive over the page's event stream).
import { api, errorText, post } from './api.js';
import { countsText } from './counts.js';
import { h, toast, view } from './dom.js';
import * as events from './events.js';
import { when } from './format.js';
import { t } from './i18n.js';
import { ME } from './signin.js';
import { moveBatch, priorityChip, stateChip } from './widgets.js';

const PAGE = 50;
const STATES = ['active', 'succeeded', 'failed', 'canceled'];
const SORTS = ['newest', 'oldest', 'name', 'size'];

/** The filters as they stand in the address (#/history?q=…&state=…): a reload or a link keeps them. */
function readFilters(query) {
  const p = new URLSearchParams(query || '');
  return { q: p.get('q') || '', state: p.get('state') || '', owner: p.get('owner') || '', from: p.get('from') || '',
    to: p.get('to') || '', sort: SORTS.includes(p.get('sort')) ? p.get('sort') : 'newest',
    page: Math.max(1, parseInt(p.get('page'), 10) || 1) };
}

function writeFilters(f) {
  const p = new URLSearchParams();
  for (const k of ['q', 'state', 'owner', 'from', 'to']) if (f[k]) p.set(k, f[k]);
  if (f.sort !== 'newest') p.set('sort', f.sort);
  if (f.page > 1) p.set('page', f.page);
  const s = p.toString();
  return '#/history' + (s ? '?' + s : '');
}

/** A local calendar day (from a date field) as the instant it starts, for the API. */
const dayStart = (day, plus = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plus).toISOString();
};

/** The API's query for these filters. */
export function historyQuery(f, me) {
  const p = new URLSearchParams({ limit: PAGE, offset: (f.page - 1) * PAGE, sort: f.sort });
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.state) p.set('state', f.state);
  if (f.owner) p.set('owner', f.owner === 'me' && me ? me.name : f.owner);
  if (f.from) p.set('from', dayStart(f.from));
  if (f.to) p.set('to', dayStart(f.to, 1)); // the whole last day
  return '/api/v1/batches?' + p;
}

export async function renderHistory(query) {
  const f = readFilters(query);
  const admin = !ME || ME.role === 'admin';
  const mine = b => admin || (ME.role === 'editor' && b.owner === ME.name);
  const selected = new Set();
  let data = { batches: [], total: 0 };

  const go = changes => { location.hash = writeFilters({ ...f, page: 1, ...changes }); };
  const search = h('input.search', { id: 'history-search', type: 'search', value: f.q, placeholder: t('history.search'),
    'aria-label': t('history.searchHint'), title: t('history.searchHint') });
  let typing = null;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => go({ q: search.value }), 350); });
  const select = (id, value, options, onchange, labelKey) => h('select', { id, 'aria-label': t(labelKey), title: t(labelKey),
    onchange: e => onchange(e.target.value) }, ...options.map(([v, words]) => h('option', { value: v, selected: value === v }, words)));
  const stateSel = select('history-state', f.state, [['', t('history.anyState')], ...STATES.map(s => [s, t('history.state.' + s)])],
    v => go({ state: v }), 'history.state');
  const sortSel = select('history-sort', f.sort, SORTS.map(s => [s, t('history.sort.' + s)]), v => go({ sort: v }), 'history.sortBy');
  const ownerSel = ME && ME.role === 'viewer' ? null : select('history-owner', f.owner,
    [['', t('history.anyone')], ['me', t('history.mine')]], v => go({ owner: v }), 'history.owner');
  const from = h('input', { id: 'history-from', type: 'date', value: f.from, 'aria-label': t('history.from'), title: t('history.from'),
    onchange: e => go({ from: e.target.value }) });
  const to = h('input', { id: 'history-to', type: 'date', value: f.to, 'aria-label': t('history.to'), title: t('history.to'),
    onchange: e => go({ to: e.target.value }) });
  const filtered = f.q || f.state || f.owner || f.from || f.to;
  const clear = filtered ? h('button.ghost.small', { onclick: () => { location.hash = '#/history'; } }, t('history.clear')) : null;

  const bulk = h('div.bulk', { hidden: true });
  const table = h('div.history-list');
  const pager = h('div.pager');
  view().replaceChildren(h('section.card.history-card', {},
    h('div.card-head', {}, h('h1', {}, t('history.title')), h('span.muted', { id: 'history-total' })),
    h('div.filters', {}, search, stateSel, ownerSel, h('label.muted.small.dates', {}, from, '–', to), sortSel, clear),
    bulk, table, pager));

  if (admin) {
    // Admins pick any account by name.
    api('/api/v1/users').then(u => {
      if (!ownerSel || !ownerSel.isConnected) return;
      for (const a of u.users) if (!ME || a.name !== ME.name) ownerSel.append(h('option', { value: a.name, selected: f.owner === a.name }, a.name));
    }).catch(() => {});
  }

  const showBulk = () => {
    bulk.hidden = selected.size === 0;
    if (bulk.hidden) return;
    const chosen = data.batches.filter(b => selected.has(b.id));
    const changeable = chosen.filter(mine);
    const running = changeable.filter(b => b.counts.queued + b.counts.running > 0);
    const withResults = chosen.filter(b => b.counts.succeeded > 0);
    bulk.replaceChildren(...[h('strong', {}, t('history.selected', selected.size)),
      running.length ? h('button.ghost', { id: 'bulk-cancel', onclick: () => each(running, b => post('/api/v1/batches/' + b.id + '/cancel'), 'history.cancelled') }, t('history.cancelN', running.length)) : null,
      withResults.length ? h('button.ghost', { id: 'bulk-zip', onclick: () => downloadAll(withResults) }, t('history.downloadN', withResults.length)) : null,
      changeable.length ? h('button.ghost.danger', { id: 'bulk-delete', onclick: () => {
        if (!confirm(t('history.confirmDeleteN', changeable.length))) return;
        each(changeable, b => api('/api/v1/batches/' + b.id, { method: 'DELETE' }), 'history.deletedN');
      } }, t('history.deleteN', changeable.length)) : null,
      h('button.ghost', { onclick: () => { selected.clear(); draw(); } }, t('history.unselect'))].filter(Boolean));
  };

  /** One request per batch, then one word for all (and the errors, each with its batch's name). */
  const each = async (list, act, doneKey) => {
    let ok = 0;
    for (const b of list) {
      try { await act(b); ok++; selected.delete(b.id); } catch (e) { toast(() => (b.name || b.audioName) + ': ' + errorText(e), true); }
    }
    if (ok) toast(() => t(doneKey, ok));
    load();
  };

  /** Each batch's ZIP, one after another (the browser may ask once whether to allow several downloads). */
  const downloadAll = async list => {
    for (const b of list) {
      const a = h('a', { href: '/api/v1/batches/' + b.id + '/zip', download: '' });
      document.body.append(a);
      a.click();
      a.remove();
      await new Promise(r => setTimeout(r, 400));
    }
  };

  const row = b => {
    const tick = h('input.tick', { type: 'checkbox', checked: selected.has(b.id), 'aria-label': t('library.select', b.name || b.audioName),
      onchange: e => { if (e.target.checked) selected.add(b.id); else selected.delete(b.id); showBulk(); } });
    return h('tr', { dataset: { id: b.id } },
      h('td.tickcell', {}, tick),
      h('td', {}, when(b.createdAt), b.owner && (admin || b.owner !== ME.name) ? h('div.muted.small', {}, t('batch.owner', b.owner)) : null),
      h('td.name', { title: b.name || b.audioName }, b.name ? h('div', {}, b.name, h('div.muted.small', {}, b.audioName)) : b.audioName),
      h('td', {}, h('div.faces', { title: (b.templates || []).map(x => x.name).join(', ') },
        ...(b.templates || []).map(x => h('img.face', { src: x.thumbnail, alt: x.name, loading: 'lazy' })),
        b.counts.total > (b.templates || []).length ? h('span.muted.small', {}, '+' + (b.counts.total - b.templates.length)) : null)),
      h('td', {}, stateChip(b.state), b.state === 'RUNNING' ? h('span.muted.small.percent', {}, ' ' + Math.floor(b.progress) + '%') : null,
        ' ', priorityChip(b.priority)),
      h('td.counts', {}, countsText(b.counts)),
      h('td', {}, h('div.actions', {},
        h('a.button.ghost', { href: '#/batch/' + b.id }, t('history.open')),
        admin && b.counts.queued ? h('button.ghost.icon.move-up', { title: t('queue.up'), 'aria-label': t('queue.up'),
          onclick: () => moveBatch(b.id, 'up', load) }, '↑') : null,
        admin && b.counts.queued ? h('button.ghost.icon.move-down', { title: t('queue.down'), 'aria-label': t('queue.down'),
          onclick: () => moveBatch(b.id, 'down', load) }, '↓') : null,
        b.counts.succeeded ? h('a.button.ghost', { href: '/api/v1/batches/' + b.id + '/zip', download: '' }, 'ZIP') : null,
        !mine(b) ? null : h('button.ghost.danger', { onclick: async () => {
          if (!confirm(t('history.confirmDelete'))) return;
          try { await api('/api/v1/batches/' + b.id, { method: 'DELETE' }); toast(() => t('deleted')); load(); } catch (e) { toast(() => errorText(e), true); }
        } }, t('history.delete')))));
  };

  const draw = () => {
    const first = (f.page - 1) * PAGE;
    document.getElementById('history-total').textContent = data.total ? t('history.range', first + 1, first + data.batches.length, data.total) : '';
    if (!data.batches.length) {
      const empty = filtered ? t('history.noMatch') : ME && ME.role === 'viewer' ? t('history.emptyViewer') : t('history.empty');
      table.replaceChildren(h('p.muted.empty', {}, empty));
    } else {
      const all = h('input.tick', { type: 'checkbox', 'aria-label': t('history.selectAll'),
        checked: data.batches.every(b => selected.has(b.id)),
        onchange: e => { for (const b of data.batches) { if (e.target.checked) selected.add(b.id); else selected.delete(b.id); } draw(); } });
      table.replaceChildren(h('table.history', {},
        h('thead', {}, h('tr', {}, h('th.tickcell', {}, all),
          ...['history.date', 'history.audio', 'history.templates', 'history.state', 'history.videos'].map(k => h('th', {}, t(k))), h('th'))),
        h('tbody', {}, ...data.batches.map(row))));
    }
    const pages = Math.max(1, Math.ceil(data.total / PAGE));
    pager.replaceChildren(...(pages > 1 ? [
      h('button.ghost', { id: 'history-prev', disabled: f.page <= 1, onclick: () => { location.hash = writeFilters({ ...f, page: f.page - 1 }); } }, '‹ ' + t('history.prev')),
      h('span.muted', {}, t('history.page', f.page, pages)),
      h('button.ghost', { id: 'history-next', disabled: f.page >= pages, onclick: () => { location.hash = writeFilters({ ...f, page: f.page + 1 }); } }, t('history.next') + ' ›'),
    ] : []));
    showBulk();
  };

  const load = async () => {
    try {
      data = await api(historyQuery(f, ME));
      running.clear();
    } catch (e) {
      if (e.status !== 401) table.replaceChildren(h('p.bad', {}, errorText(e)));
      return;
    }
    for (const id of [...selected]) if (!data.batches.some(b => b.id === id)) selected.delete(id);
    if (!data.batches.length && f.page > 1 && data.total) { location.hash = writeFilters({ ...f, page: 1 }); return; }
    draw();
  };

  // Current without a reload: a change of state at once (within a second), the rest every few
  // seconds; a running batch's percent moves with its items' progress in between.
  let soon = null;
  let due = Infinity;
  const later = ms => {
    const at = Date.now() + ms;
    if (soon && at >= due) return;
    clearTimeout(soon);
    due = at;
    soon = setTimeout(() => { soon = null; due = Infinity; load(); }, ms);
  };
  const seen = new Map();
  events.onView('item', i => {
    const changed = seen.get(i.id) !== i.state;
    seen.set(i.id, i.state);
    later(changed ? 500 : 5000);
  });
  const running = new Map(); // batch id -> (item id -> percent)
  events.onView('progress', p => {
    const b = data.batches.find(x => x.id === p.batchId);
    const cell = b && table.querySelector('tr[data-id="' + b.id + '"] .percent');
    if (!cell || p.state !== 'RUNNING') return;
    if (!running.has(b.id)) running.set(b.id, new Map());
    running.get(b.id).set(p.itemId, p.progress);
    const c = b.counts;
    const sum = [...running.get(b.id).values()].reduce((a, x) => a + x, 0);
    const work = c.queued + c.running + c.succeeded;
    if (work) cell.textContent = ' ' + Math.floor(Math.min(100, (100 * c.succeeded + sum) / work)) + '%';
  });
  events.onView('changed', c => { if (c.kind === 'batch') later(300); });
  events.onView('back', () => later(0));
  events.onView('silent', () => later(5000));
  await load();
}
