// HeyGem's page: plain JavaScript modules, no framework, no build step, nothing from the internet.
// This one routes between the views and wires what every page has: the language, the dialog, the
// event stream with its offline banner, the running count and the disk's condition.
import * as activity from './activity.js';
import { renderAccounts, renderKeys } from './accounts.js';
import { api, unauthorized } from './api.js';
import { renderBatch } from './batch.js';
import { renderCreate, restoreDraft } from './create.js';
import { closeModal, h, toast, view } from './dom.js';
import * as events from './events.js';
import { renderHistory } from './history.js';
import { LANG, setLang, t, translatePage } from './i18n.js';
import { renderLive, stopLive } from './live.js';
import { renderLogs, stopLogs } from './logs.js';
import { renderSetup, showMe, showSignIn } from './signin.js';

/** Pages each role may open; any other sends it to its first one. */
const PAGES = {
  admin: ['create', 'history', 'batch', 'live', 'logs', 'accounts', 'keys', 'password'],
  editor: ['create', 'history', 'batch', 'live', 'keys', 'password'],
  viewer: ['history', 'batch', 'keys', 'password'],
};

let routing = 0;

export async function route() {
  const mine = ++routing; // a later route wins over one still waiting for the server
  events.clearView();
  stopLive();
  stopLogs();
  closeModal();
  const hash = location.hash || '#/create';
  const [path, query] = hash.split('?');
  const [, page, id] = path.split('/');
  let session;
  try { session = await api('/api/v1/session'); } catch (e) {
    // The server is away: the banner says so and the page comes back by itself when it answers.
    if (mine === routing) view().replaceChildren(h('section.card', {}, h('p.bad', {}, t('error.network'))));
    return;
  }
  if (mine !== routing) return;
  if (page === 'setup' && id) { signedOut(); return renderSetup(decodeURIComponent(id)); }
  if (!session.signedIn) { signedOut(); showSignIn(); return; }
  document.body.classList.remove('signed-out');
  showMe(session.user);
  const role = session.user ? session.user.role : 'admin';
  const allowed = PAGES[role] || PAGES.viewer;
  if (!allowed.includes(page || 'create')) {
    // A page this role has no use for (a viewer's Create, an editor's Accounts): its own first page.
    location.replace('#/' + allowed[0]);
    return;
  }
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('on', a.dataset.nav === (page === 'batch' ? 'history' : page || 'create')));
  ensureStream();
  activity.start();
  if (page === 'password') return renderSetup(null);
  if (page === 'accounts') return renderAccounts();
  if (page === 'keys') return renderKeys();
  if (page === 'batch' && id) return renderBatch(decodeURIComponent(id));
  if (page === 'history') return renderHistory(query);
  if (page === 'logs') return renderLogs();
  if (page === 'live') return renderLive();
  await restoreDraft();
  return renderCreate();
}

let streaming = false;
function ensureStream() {
  if (!streaming) { streaming = true; events.connect(); }
}

/** Signed out: no navigation to pages that would only ask to sign in, no stream. */
function signedOut() {
  showMe(null);
  document.body.classList.add('signed-out');
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.remove('on'));
  if (streaming) { streaming = false; events.disconnect(); }
}

// ---------------------------------------------------------------- server condition

/** The server's disk below its reserve (the queue is paused meanwhile): a banner says so. */
let storage = null;
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
unauthorized.notify = showSignIn;
events.onPage('health', health => { storage = health.storage || null; showCondition(); });
// Back after an outage: the open view reads everything again.
events.onPage('back', () => { toast(() => t('offline.back')); route(); });

document.getElementById('lang').addEventListener('click', () => {
  setLang(LANG === 'zh' ? 'en' : 'zh');
  translatePage();
  showCondition();
  events.reword();
  activity.reword();
  const shown = document.getElementById('toast');
  if (toast.words && !shown.hidden) shown.textContent = toast.words();
  route();
});
document.querySelector('#modal .modal-close').addEventListener('click', closeModal);
document.getElementById('modal').addEventListener('click', e => { if (e.target.id === 'modal') closeModal(); });
document.addEventListener('keydown', e => { if (e.key === 'Escape') closeModal(); });
window.addEventListener('hashchange', route);
translatePage();
events.start();
route();
