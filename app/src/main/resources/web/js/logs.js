// The Logs page (admins): workers, the server's log, the activity log.
import { api, errorText } from './api.js';
import { h, toast, view } from './dom.js';
import { when } from './format.js';
import { LANG, t } from './i18n.js';

// ---------------------------------------------------------------- logs page

let logTimer = null;

export function stopLogs() {
  clearInterval(logTimer);
  logTimer = null;
}

export function workersTable(workers) {
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

/**
 * The server records an action's detail in English ("2 template(s), normal priority", "role editor →
 * viewer"); the Chinese page says its fixed words in Chinese, names and numbers as they are.
 */
const DETAIL_ZH = [
  [/^(\d+) template\(s\), (\w+) priority(, a repeated request \(nothing new made\))?$/, (m, n, p, again) => n + ' 个模板，优先级：' + ({ high: '高', normal: '普通', low: '低' }[p] || p) + (again ? '，重复请求（未新建）' : '')],
  [/^with no one$/, () => '不与任何人共享'],
  [/^with (.+)$/, (m, who) => '共享给 ' + who],
  [/^(up|down)( \(already at that end\))?$/, (m, d, end) => (d === 'up' ? '上移' : '下移') + (end ? '（已在该端）' : '')],
  [/^a wrong token in the address$/, () => '地址中的令牌不正确'],
  [/^a wrong token$/, () => '令牌不正确'],
  [/^a wrong password for (.+)$/, (m, who) => who + ' 的密码错误'],
  [/^a name that is no account$/, () => '不存在的账号名'],
  [/^too many tries( for (.+))?$/, (m, x, who) => '尝试次数过多' + (who ? '（' + who + '）' : '')],
  [/^disabled account (.+)$/, (m, who) => '已停用的账号 ' + who],
  [/^batch (b_\w+)$/, (m, id) => '批次 ' + id],
];
const WORDS_ZH = [[/API key\(s\) revoked/g, '个 API 密钥已吊销'], [/quota: /g, '配额：'], [/default minutes/g, '默认分钟数'],
  [/no minute limit/g, '分钟不限'], [/default queue/g, '默认排队数'], [/no queue limit/g, '排队不限'], [/storage default/g, '存储默认'],
  [/storage no limit/g, '存储不限'], [/storage /g, '存储 '], [/ min a day/g, ' 分钟/天'], [/(\d+) queued/g, '排队 $1 个'],
  [/\brole /g, '角色 '], [/\bdisabled\b/g, '停用'], [/\benabled\b/g, '启用'], [/\badmin\b(?= →|,|$)/g, '管理员'],
  [/\beditor\b(?= →|,|$)/g, '编辑'], [/\bviewer\b(?= →|,|$)/g, '查看者'], [/\bhigh\b(?= →|,|$)/g, '高'],
  [/\bnormal\b(?= →|,|$)/g, '普通'], [/\blow\b(?= →|,|$)/g, '低']];

/** An audit entry's detail in the page's language. */
export function detailWords(detail, lang) {
  if (!detail || lang !== 'zh') return detail;
  for (const [pattern, words] of DETAIL_ZH) {
    const m = detail.match(pattern);
    if (m) return words(...m);
  }
  let out = detail;
  for (const [pattern, words] of WORDS_ZH) out = out.replace(pattern, words);
  return out;
}

/** The audit log as a table: who did what, on what, from where. */
export function auditTable(entries) {
  if (!entries.length) return h('p.muted', {}, t('audit.empty'));
  const label = a => { const k = 'audit.' + a; const s = t(k); return s === k ? a : s; };
  return h('table.history.audit', {},
    h('thead', {}, h('tr', {}, ...['audit.when', 'audit.who', 'audit.what', 'audit.target', 'audit.from'].map(k => h('th', {}, t(k))))),
    h('tbody', {}, ...entries.map(e => h('tr' + (e.action.endsWith('.refused') ? '.refused' : ''), {},
      h('td', {}, when(e.at)),
      h('td', {}, e.actor, h('span.muted.small', {}, ' · ' + e.via)),
      h('td', {}, label(e.action)),
      // Named as people know it (the batch's or file's name; the id only for what is gone), the id on hover.
      h('td.name', { title: [e.target, e.detail].filter(Boolean).join(' · ') },
        e.target && e.target.startsWith('b_') && e.targetName ? h('a', { href: '#/batch/' + e.target }, e.targetName)
          : e.targetName || (e.target ? t('audit.gone') : ''),
        e.detail && e.detail !== e.targetName ? h('div.muted.small.detail', {}, detailWords(e.detail, LANG)) : null),
      h('td.muted', {}, e.address || '')))));
}

export function renderLogs() {
  const pre = h('pre.log.tall');
  const follow = h('input', { type: 'checkbox', checked: true });
  const workers = h('div');
  const audit = h('div.audit-box');
  let auditTop = null;
  // The activity log a page at a time, narrowed to one kind of action.
  let older = [];
  const kinds = ['', 'signin', 'batches', 'items', 'assets', 'imports', 'live', 'users', 'keys', 'account'];
  const kind = h('select', { id: 'audit-kind', 'aria-label': t('audit.kind'), onchange: () => { older = []; auditTop = null; load(); } },
    ...kinds.map(k => h('option', { value: k }, k ? t('audit.kind.' + k) : t('audit.kind.all'))));
  const more = h('button.ghost', { id: 'audit-more', hidden: true, onclick: async () => {
    try {
      const page = await api('/api/v1/audit?limit=50&before=' + more.dataset.next + (kind.value ? '&action=' + kind.value : ''));
      older = older.concat(page.entries);
      more.dataset.next = page.next || '';
      more.hidden = !page.next;
      audit.replaceChildren(auditTable(shownEntries.concat(older)));
    } catch (e) { toast(() => errorText(e), true); }
  } }, t('audit.older'));
  let shownEntries = [];
  view().replaceChildren(
    h('section.card', {}, h('h2', {}, t('workers.title')), workers),
    h('section.card', {},
      h('div.card-head', {}, h('h1', {}, t('logs.title')), h('label.muted', {}, follow, ' ', t('logs.follow'))), pre),
    // Below the log (which fills the window): scroll down for who did what.
    h('section.card', {}, h('div.card-head', {}, h('h2', {}, t('audit.title')), kind), h('p.muted.small', {}, t('audit.lead')), audit, more));
  const load = async () => {
    try {
      const [text, list, done] = await Promise.all([api('/api/v1/logs?lines=500'), api('/api/v1/workers'),
        api('/api/v1/audit?limit=50' + (kind.value ? '&action=' + kind.value : ''))]);
      workers.replaceChildren(workersTable(list.workers));
      const top = done.entries.length ? done.entries[0].id : 0;
      if (top !== auditTop) {
        auditTop = top;
        shownEntries = done.entries;
        if (!older.length) { more.dataset.next = done.next || ''; more.hidden = !done.next; }
        audit.replaceChildren(auditTable(shownEntries.concat(older.filter(o => !shownEntries.some(x => x.id === o.id)))));
      }
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
