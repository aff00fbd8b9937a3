// Who is signed in: the sign-in form, set-up links and password changes, the account menu.
import { api, errorText, post } from './api.js';
import { $, closeModal, h, openModal, toast, view } from './dom.js';
import { bytes } from './format.js';
import { t, translatePage } from './i18n.js';

// ---------------------------------------------------------------- sign-in

/** Draws the page for where the address points, again (signed in now, or the password set). */
const rerun = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

export function showSignIn() {
  document.body.classList.add('signed-out');
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
      rerun();
    } catch (e) {
      const p = $('.signin .error');
      p.hidden = false;
      const key = e.status === 429 || e.code === 'ACCOUNT_DISABLED' ? null : name ? 'signin.wrong' : 'signin.wrongToken';
      p.dataset.i18n = key || ''; // worded again when the language changes
      p.textContent = key ? t(key) : errorText(e);
    }
  });
}

/** The page of a set-up link: the account's owner chooses its password (also: change your own). */
export async function renderSetup(code) {
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
      rerun();
    } catch (e) { error.textContent = errorText(e); error.hidden = false; }
  } }, current, first, again, h('button.primary', { type: 'submit' }, t(code ? 'setup.button' : 'setup.save')));
  view().replaceChildren(h('section.card.signin', {}, h('h1', {}, t(code ? 'setup.title' : 'me.password')),
    name ? h('p.muted', {}, t('setup.lead', name)) : null, form, error));
}

/** What the signed-in editor may still use, in one line (nothing when it has no limits). */
export function quotaLine() {
  const q = ME && ME.quota;
  if (!q || !q.used) return null;
  const parts = [];
  if (q.minutesPerDay) parts.push(t('quota.minutes', q.used.minutesToday, q.minutesPerDay));
  if (q.queuedItems) parts.push(t('quota.queued', q.used.queuedItems, q.queuedItems));
  if (q.storageBytes) parts.push(t('quota.storage', bytes(q.used.storageBytes), bytes(q.storageBytes)));
  // Results count too: past the limit, say so before the next upload is refused.
  const over = q.storageBytes && q.used.storageBytes > q.storageBytes;
  return h('div.small.quota' + (over ? '.bad' : '.muted'), { id: 'quota-line' }, t('quota.title') + ' ' + parts.join(' · '),
    over ? h('div', {}, t('quota.over')) : null);
}

/** The signed-in account ({id, name, role}), or null. */
export let ME = null;

/** Who is signed in, at the top right: change password, sign out. */
export function showMe(user) {
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
