// One batch: its items live, their actions, the results, sharing.
import { api, errorText, post } from './api.js';
import { batchLeft, countItems, countsText, FINISHED, retryable, workPercent } from './counts.js';
import { draft, followCheck } from './create.js';
import { closeModal, h, openModal, toast, view } from './dom.js';
import * as events from './events.js';
import { roughly, when } from './format.js';
import { LANG, t } from './i18n.js';
import { play, showItemLog } from './player.js';
import { ME } from './signin.js';
import { bar, prioritySelect, stateChip } from './widgets.js';

/** Shares a batch with named accounts: they see and download it. */
export function shareBatch(batch, shown) {
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

export async function renderBatch(id) {
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
    } catch (e) {
      // Deleted meanwhile (in another tab, by someone else): said in the page's words, not the API's.
      if (e.status === 404) { toast(() => t('batch.gone'), true); location.hash = '#/history'; } else toast(() => errorText(e), true);
    }
  };

  // When each running item last reported: a worker that stopped (killed, its machine gone) is said,
  // rather than a "time left" that stands still until the queue hands the item to another.
  const heardOf = new Map();
  const STALLED_SECONDS = 20; // the longest a stage goes without a report (planning a long speech)
  const itemMeta = i => {
    if (i.state !== 'RUNNING') return '';
    const quiet = (Date.now() - (heardOf.get(i.id) || Date.now())) / 1000;
    if (quiet > STALLED_SECONDS) return t('item.stalled', Math.round(quiet));
    return [i.stage ? t('stage.' + i.stage) : '', Math.floor(i.progress) + '%',
      i.framesTotal ? t('item.frames', i.framesDone, i.framesTotal) : '',
      i.etaSeconds !== null && i.etaSeconds !== undefined ? t('item.eta', roughly(i.etaSeconds)) : ''].filter(Boolean).join(' · ');
  };

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
      mayChange && retryable(i) ? h('button.ghost', { onclick: () => act('/api/v1/items/' + i.id + '/retry') }, t('item.retry')) : null,
      h('button.ghost', { onclick: () => showItemLog(items.get(i.id)) }, t('item.log'))));

  // What a queued item is expected to take (measured on this installation's renders), while it waits.
  const expected = new Map(batch.items.filter(i => i.expectedSeconds !== undefined).map(i => [i.id, i.expectedSeconds]));
  const shown = new Map(); // item id -> [row, the state it shows]
  let shownActions = '';
  let shownGallery = '';

  const draw = () => {
    const list = [...items.values()];
    const counts = countItems(list);
    const done = list.filter(i => i.state === 'SUCCEEDED');
    const active = counts.queued + counts.running > 0;
    const failed = counts.failed + counts.canceled > 0;
    const canRetry = list.some(retryable);
    // The percent is of the work that will run; once nothing runs, the counts say it all.
    const percent = workPercent(list);
    const left = active ? batchLeft(list, i => expected.get(i.id), batch.renderSlots) : null;
    counter.textContent = countsText(counts) + (left !== null ? ' · ' + t('batch.left', roughly(left)) : '');
    percentText.textContent = active ? Math.floor(percent) + '%' : counts.succeeded === counts.total ? '100%' : '';
    overallBar.className = 'bar ' + (active ? 'running' : failed ? 'failed' : 'succeeded');
    overallBar.firstChild.style.width = (active || !failed ? percent : 100) + '%';
    const queued = list.some(i => i.state === 'QUEUED');
    const actionKey = [active, failed, canRetry, done.length > 0, queued].join();
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
        mayChange && canRetry ? h('button.ghost', { onclick: () => act('/api/v1/batches/' + id + '/retry') }, t('batch.retry')) : null,
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
  // Every change comes over the page's one event stream; while it is silent (a proxy holding it,
  // the server away) the batch is read every few seconds instead, so the page never stands still.
  const reload = async () => {
    try {
      const b = await api('/api/v1/batches/' + encodeURIComponent(id));
      batch.renderSlots = b.renderSlots;
      for (const i of b.items) {
        if (i.expectedSeconds !== undefined) expected.set(i.id, i.expectedSeconds);
        const was = items.get(i.id);
        if (i.state === 'RUNNING' && (!was || was.progress !== i.progress || was.state !== 'RUNNING')) heardOf.set(i.id, Date.now());
      }
      b.items.forEach(keep);
      later();
    } catch (e) {
      if (e.status === 404) { toast(() => t('batch.gone'), true); location.hash = '#/history'; }
    }
  };
  let polled = 0;
  // Each second: a running item that went quiet is said so.
  events.onView('tick', () => { if ([...items.values()].some(i => i.state === 'RUNNING')) later(); });
  events.onView('silent', () => { if (Date.now() - polled > 3000) { polled = Date.now(); reload(); } });
  events.onView('back', reload);
  events.onView('changed', c => { if (c.kind === 'batch' && c.id === id && c.action === 'deleted') reload(); });
  events.onView('item', i => {
    if (i.batchId !== id) return;
    if (i.state === 'RUNNING') heardOf.set(i.id, Date.now());
    if (!items.has(i.id) || i.state !== items.get(i.id).state) reload(); // the time left of what waits changes too
    keep(i);
    later();
  });
  events.onView('progress', p => {
    const i = items.get(p.itemId);
    if (!i || !newer(p, i)) return;
    if (p.state !== 'RUNNING') {
      // Started or finished: the whole item (result link, error, attempts) comes from the server.
      api('/api/v1/items/' + p.itemId).then(full => { keep(full); later(); }).catch(() => {});
      return;
    }
    Object.assign(i, { state: p.state, revision: p.revision, stage: p.stage, progress: p.progress, framesDone: p.framesDone,
      framesTotal: p.framesTotal, etaSeconds: p.etaSeconds });
    heardOf.set(i.id, Date.now());
    later();
  });
}

/** The same presenters again with another speech: back to the create page with them chosen. */
export async function runAgain(batch) {
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
