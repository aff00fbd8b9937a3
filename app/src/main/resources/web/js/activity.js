// What is running, wherever the user is in the page: the count on History's tab, the browser tab's
// title ("(2 running) HeyGem", "✓ Spring campaign done"), and a notification when a batch ends —
// from every view, not only the batch's own page.
import { api } from './api.js';
import { countItems, countsText } from './counts.js';
import { h } from './dom.js';
import * as events from './events.js';
import { t } from './i18n.js';

const TITLE = 'HeyGem';
/** Batches queued or running: id -> name as shown. */
const active = new Map();
/** Last state seen of each item, to tell a change of state from more progress. */
const states = new Map();
let done = null; // the name of the batch that ended while the tab was in the background
let timer = null;
let started = false;

const label = b => b.name || b.audioName || '';

/** Reads the active batches again (at most once a second) and says which ones have ended. */
function refresh() {
  if (timer) return;
  timer = setTimeout(async () => {
    timer = null;
    let list;
    try { list = (await api('/api/v1/batches?state=active&limit=500')).batches; } catch (e) { return; }
    const now = new Map(list.map(b => [b.id, label(b)]));
    for (const [id, name] of active) {
      if (!now.has(id)) ended(id, name);
    }
    active.clear();
    for (const [id, name] of now) active.set(id, name);
    show();
  }, 1000);
}

/** A batch left the active ones: finished (told), or deleted (nothing to tell). */
async function ended(id, name) {
  let b;
  try { b = await api('/api/v1/batches/' + encodeURIComponent(id)); } catch (e) { return; }
  if (['QUEUED', 'RUNNING'].includes(b.state)) return;
  const words = countsText(countItems(b.items));
  if ('Notification' in window && Notification.permission === 'granted') {
    // One per batch even with the page open in several tabs: the tag makes it one.
    try { new Notification(t('notify.done', label(b) || name), { body: words, tag: 'heygem-' + id }); } catch (e) { /* not allowed here */ }
  }
  if (document.hidden) { done = label(b) || name; show(); }
}

function show() {
  const running = active.size;
  document.title = done ? '✓ ' + t('title.done', done) + ' · ' + TITLE
    : running ? t('title.running', running) + ' ' + TITLE : TITLE;
  const nav = document.querySelector('[data-nav=history]');
  if (!nav) return;
  let chip = nav.querySelector('.count');
  if (!running) { if (chip) chip.remove(); return; }
  if (!chip) { chip = h('span.count', { 'aria-hidden': 'true' }); nav.append(chip); }
  chip.textContent = String(running);
  nav.title = t('title.running', running);
}

/** Starts following (once signed in). */
export function start() {
  if (started) { refresh(); return; }
  started = true;
  events.onPage('item', i => {
    if (states.get(i.id) !== i.state) {
      states.set(i.id, i.state);
      if (['QUEUED', 'RUNNING'].includes(i.state) && !active.has(i.batchId)) active.set(i.batchId, '');
      refresh();
    }
  });
  events.onPage('changed', c => { if (c.kind === 'batch') refresh(); });
  events.onPage('back', refresh);
  document.addEventListener('visibilitychange', () => { if (!document.hidden && done) { done = null; show(); } });
  refresh();
}

/** Says the title again in the page's language. */
export function reword() { show(); }
