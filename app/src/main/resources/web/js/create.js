// The Create page: speech and presenters (uploaded, pulled from an address or from the library), settings, Start.
import { ApiFailure, api, errorText, post, upload } from './api.js';
import { $, closeModal, h, openModal, toast, view } from './dom.js';
import { bytes, duration, when } from './format.js';
import { LANG, t } from './i18n.js';
import * as events from './events.js';
import { ME, quotaLine } from './signin.js';
import { bar, prioritySelect } from './widgets.js';

// ---------------------------------------------------------------- create page

// Several speeches × several presenters make one batch per speech (Batch mode); Single: one of each.
export const draft = { mode: localStorage.getItem('heygem.mode') || 'batch', audios: [], templates: [], quality: 'high' };

/** The chosen files survive a reload: their asset ids are kept in this browser. */
export function saveDraft() {
  localStorage.setItem('heygem.draft', JSON.stringify({
    audios: draft.audios.filter(e => e.asset).map(e => e.asset.id),
    templates: draft.templates.filter(e => e.asset).map(e => ({ id: e.asset.id, include: !!e.include })),
    // Pulls still under way are followed again after a reload (the server keeps them an hour).
    pulls: [...draft.audios.map(e => [e, 'audio']), ...draft.templates.map(e => [e, 'template'])]
      .filter(([e]) => e.pull && e.pull.id).map(([e, target]) => ({ id: e.pull.id, target })),
    quality: draft.quality,
  }));
}

export async function restoreDraft() {
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
export const unusable = e => !!(e.asset && e.asset.check && e.asset.check.state === 'FAILED');
/** The templates that go into the batch. */
export const chosen = () => draft.templates.filter(e => e.asset && (!unusable(e) || (e.include && mayInclude(e))));
/**
 * Whether "include anyway" is offered: only when the check failed for a reason of its own (an
 * unexpected error). No face, too few faces or an unreadable file fail the render the same way.
 */
const mayInclude = e => unusable(e) && e.asset.check.error && e.asset.check.error.code === 'INTERNAL_ERROR';

export function dropZone(text, hint, accept, multiple, onFiles) {
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

export function addUploads(files, target) {
  for (const file of files) {
    const entry = { name: file.name, progress: 0, asset: null, error: null };
    if (target === 'audio') {
      if (draft.mode === 'single') draft.audios = [];
      draft.audios.push(entry);
    } else {
      if (draft.mode === 'single') draft.templates = [];
      draft.templates.push(entry);
    }
    upload(file, p => { entry.progress = p; renderCreateLists(); }, target === 'audio' ? 'speech' : 'template')
      .then(asset => landed(entry, target, asset))
      .catch(e => { entry.error = e; renderCreateLists(); });
    if (target === 'audio' && draft.mode === 'single') break;
  }
  renderCreateLists();
}

/** An upload or a pull has become an asset. */
export function landed(entry, target, asset) {
  entry.asset = asset;
  entry.name = asset.name; // as the server keeps it, so the card, the library and the batch agree
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
export async function followSpeech(entry) {
  while (entry.asset && entry.asset.speech && ['QUEUED', 'RUNNING'].includes(entry.asset.speech.state)) {
    await new Promise(r => setTimeout(r, 2000));
    if (!draft.audios.includes(entry)) return;
    try { entry.asset = await api('/api/v1/assets/' + entry.asset.id); } catch (e) { return; }
    renderCreateLists();
  }
}

/** An address typed under a drop zone: the server pulls it (a live stream for the seconds given, or until Stop). */
export function addressForm(target) {
  const input = h('input.address', { type: 'text', inputMode: 'url', placeholder: t('address.placeholder'),
    'aria-label': t('address.hint'), title: t('address.hint'), spellcheck: false });
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
export async function followImport(entry, target) {
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
export async function followCheck(entry) {
  while (entry.asset && (!entry.asset.check || ['QUEUED', 'RUNNING'].includes(entry.asset.check.state))) {
    await new Promise(r => setTimeout(r, 1000));
    if (!draft.templates.includes(entry)) return;
    try { entry.asset = await api('/api/v1/assets/' + entry.asset.id); } catch (e) { return; }
    renderCreateLists();
  }
}

/** Below this forecast of how faithfully a template's mouths follow speech, the page warns (the six shared templates: 0.74–0.92). */
const POOR_LIP_SYNC = 0.6;

export function checkView(asset) {
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
    ...r.warnings.map(w => h('div.warning', {}, '⚠ ' + ((LANG === 'zh' && w.messageZh) || w.message))),
    // Told before the batch, not after: its mouths will follow speech poorly.
    r.lipSync !== undefined && r.lipSync < POOR_LIP_SYNC ? h('div.warning.poor-sync', {}, '⚠ ' + t('check.poorSync', r.lipSync.toFixed(2))) : null);
}

export function uploadCard(entry, onRemove) {
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
      mayInclude(entry) ? h('label.include.small', {}, h('input', { type: 'checkbox', checked: !!entry.include,
        onchange: ev => { entry.include = ev.target.checked; renderCreateLists(); } }), ' ', t('check.includeAnyway')) : null),
    h('button.ghost.remove', { title: t('remove'), 'aria-label': t('remove'), onclick: onRemove }, '✕'));
}

/** A pull under way: what came so far, and Stop (a live stream keeps what was recorded). */
export function pullView(entry) {
  const p = entry.pull;
  const got = p.state === 'QUEUED' ? t('address.waiting')
    : t('address.pulling', duration(p.pulledSeconds) || t('seconds', 0), bytes(p.pulledBytes) || '0 B');
  const stop = p.id && p.state === 'RUNNING' && !p.stopAsked ? h('button.ghost.small', { onclick: async () => {
    try { entry.pull = await post('/api/v1/imports/' + p.id + '/stop'); renderCreateLists(); } catch (e) { toast(() => errorText(e), true); }
  } }, t('address.stop')) : null;
  return h('div.pull', {}, h('span.muted', {}, got), stop, h('div.bar.running.indeterminate', {}, h('span')));
}

export function renderCreateLists() {
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
export function startBlocked() {
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
export async function openLibrary(kind) {
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
        // Rename and Delete only where they are allowed: one's own uploads (admins: all).
        !(a.mine || !ME || ME.role === 'admin') ? null : h('button.ghost.small', { title: t('library.rename'), 'aria-label': t('library.rename'), onclick: async () => {
          const to = prompt(t('library.renameTo'), a.name);
          if (!to || to.trim() === a.name) return;
          try { await api('/api/v1/assets/' + a.id, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ name: to.trim() }) }); load(); } catch (e) { toast(() => errorText(e), true); }
        } }, t('library.rename')),
        !(a.mine || !ME || ME.role === 'admin') ? null : h('button.ghost.small.danger', { title: t('library.delete'), 'aria-label': t('library.delete'), onclick: async () => {
          if (!confirm(t('library.confirmDelete', a.name))) return;
          try { await api('/api/v1/assets/' + a.id, { method: 'DELETE' }); toast(() => t('deleted')); load(); } catch (e) { toast(() => errorText(e), true); }
        } }, t('library.delete')),
        button);
    }));
  };
  let typing = null;
  search.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(load, 250); });
  // Uploads made, renamed or deleted elsewhere (another tab, a script) show while the library is open.
  events.onView('changed', c => { if (c.kind === 'asset' && list.isConnected) { clearTimeout(typing); typing = setTimeout(load, 300); } });
  if (addMany) addMany.addEventListener('click', async () => {
    const which = ticked.size ? shown.filter(a => ticked.has(a.id)) : shown;
    for (const a of which) await take(a);
    closeModal();
  });
  load();
}

/** A library row's check in one line: the face check of a video, the speech warning of a recording. */
export function libraryCheck(a) {
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

export const QUALITY = { standard: { preset: 'veryfast', crf: 23 }, high: { preset: 'veryfast', crf: 18 }, best: { preset: 'medium', crf: 16 } };

export function renderCreate() {
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
        h('div', { id: 'audio-drop' }, dropZone(t('audio.drop'), t(draft.mode === 'single' ? 'audio.hintOne' : 'audio.hint'), 'audio/*,video/*,.flac,.m4a,.opus', draft.mode === 'batch',
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

export async function startBatch() {
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
