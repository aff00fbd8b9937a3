// The page's one line to the server: a single event stream feeds every view and the header, and
// a watch on it tells when the server is away. Within 3 s of losing the server the page says so
// (a banner, not a stale "Running"); it looks again with back-off and, once the server answers,
// reopens the stream and has the open view read what changed — no button to press.
import { unreachable } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** Seconds without any event (the server pings every 5 s) after which the stream is looked at. */
export const SILENT_SECONDS = 12;
/** Longest wait between two looks while the server is away: back within 10 s of its return. */
const MAX_RETRY_SECONDS = 5;
/** How long a look at the server may take before it counts as no answer. */
const PROBE_MS = 2000;

const page = new Map(); // listeners for as long as the page is open (header, title)
const view = new Map(); // listeners of the open view, dropped when another view opens
let source = null;
let heard = 0;
let online = true;
let version = null;
let retry = 1;
let retryAt = 0;
let probing = null;
let probed = 0;

function add(map, type, fn) {
  if (!map.has(type)) map.set(type, new Set());
  map.get(type).add(fn);
  return () => map.get(type).delete(fn);
}

/** Listens for as long as the page is open. Types: item, progress, changed, health, back, silent, tick (each second). */
export const onPage = (type, fn) => add(page, type, fn);
/** Listens until the next view opens. */
export const onView = (type, fn) => add(view, type, fn);
/** Drops the open view's listeners (the router calls it before drawing another view). */
export function clearView() { view.clear(); }
/** When anything last came over the stream (ms since 1970). */
export const lastHeard = () => heard;
/** Whether the server answered the last look. */
export const isOnline = () => online;

function emit(type, data) {
  for (const map of [page, view]) {
    for (const fn of [...(map.get(type) || [])]) {
      try { fn(data); } catch (e) { console.error(e); }
    }
  }
}

/** Opens (or reopens) the stream of every batch this account may see. */
export function connect() {
  if (source) source.close();
  heard = Date.now();
  source = new EventSource('/api/v1/events');
  for (const name of ['hello', 'ping', 'item', 'progress', 'changed']) {
    source.addEventListener(name, e => {
      heard = Date.now();
      if (!online) back();
      if (name === 'hello') {
        const v = JSON.parse(e.data).version;
        // A server of another version: its page may differ from this one; load it anew.
        if (version && v && v !== version) location.reload();
        version = v || version;
      } else if (name !== 'ping') emit(name, JSON.parse(e.data));
    });
  }
  // The stream broke (the server stopped, a proxy cut it): look at once whether the server is there.
  source.onerror = () => { if (online) probe(); };
}

/** Ends the stream (signed out). */
export function disconnect() {
  if (source) { source.close(); source = null; }
}

/** Asks the server whether it is there (its health, which needs no sign-in). */
function probe() {
  if (probing) return probing;
  probed = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_MS);
  probing = fetch('/api/v1/health', { credentials: 'same-origin', cache: 'no-store', signal: abort.signal })
    .then(r => r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)))
    .then(health => { emit('health', health); if (!online) back(); return true; })
    .catch(() => { offline(); return false; })
    .finally(() => { clearTimeout(timer); probing = null; });
  return probing;
}

function offline() {
  if (online) {
    online = false;
    retry = 1;
    if (source) { source.close(); source = null; }
  }
  retryAt = Date.now() + retry * 1000;
  retry = Math.min(MAX_RETRY_SECONDS, retry * 2);
  banner();
}

function back() {
  online = true;
  retry = 1;
  banner();
  if (!source || source.readyState === EventSource.CLOSED) connect();
  emit('back');
}

function banner() {
  document.body.classList.toggle('server-away', !online); // the dot beside the account's name turns red
  let b = document.getElementById('offline');
  if (online) { if (b) b.remove(); return; }
  if (!b) {
    b = h('div.offline', { id: 'offline', role: 'alert' });
    document.querySelector('header.top').after(b);
  }
  const wait = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
  b.textContent = t('offline.banner') + ' ' + (wait > 0 ? t('offline.retryIn', wait) : t('offline.trying'));
}

/** Every second: the banner's countdown, the next look while away, a stalled stream while here. */
function watch() {
  emit('tick');
  if (!online) {
    banner();
    if (Date.now() >= retryAt) probe();
  } else if (source && Date.now() - heard > SILENT_SECONDS * 1000) {
    // Nothing for a while though the server pings every 5 s: the views poll meanwhile, and a
    // stream that stays silent (a proxy holding it) is replaced.
    emit('silent');
    if (Date.now() - heard > 3 * SILENT_SECONDS * 1000) connect();
    else if (Date.now() - probed > 5000) probe();
  }
}

/** Starts the watch; also looks at the server's health every 10 s (its disk's reserve). */
export function start() {
  unreachable.notify = () => { if (online) probe(); };
  window.addEventListener('online', () => probe());
  setInterval(watch, 1000);
  setInterval(() => { if (online) probe(); }, 10000);
  probe();
  // For tests and the console: replace the stream as if it had been cut.
  window.heygemEvents = { reconnect: connect, probe };
}

/** Refreshes the banner's words (a change of language). */
export function reword() { banner(); }
