// A result in the dialog: played, beside its template, frame by frame; an item's log.
import { api, errorText } from './api.js';
import { h, openModal, toast } from './dom.js';
import { t } from './i18n.js';

/** One frame at 25 fps: what the step buttons move (results keep the template's rate, close enough to step by). */
const FRAME = 1 / 25;

export function play(item) {
  const video = h('video', { controls: true, autoplay: true, preload: 'metadata', src: item.result, className: 'player' });
  // The template beside it, muted and kept on the result's time: before and after side by side.
  const before = h('video.player.before', { muted: true, preload: 'metadata', src: '/api/v1/assets/' + item.templateId + '/file' });
  const beforeFigure = h('figure', {}, before, h('figcaption', {}, t('player.template')));
  const stage = h('div.compare', {}, h('figure', {}, video, h('figcaption', {}, t('player.result'))));
  // Playing, a small drift is left alone (seeking stutters); paused, the template shows exactly the same frame.
  const follow = () => { if (before.isConnected && (video.paused || Math.abs(before.currentTime - video.currentTime) > 0.08)) before.currentTime = video.currentTime % (before.duration || Infinity); };
  video.addEventListener('play', () => { if (before.isConnected) { follow(); before.play().catch(() => {}); } });
  video.addEventListener('pause', () => { before.pause(); follow(); });
  video.addEventListener('seeked', follow);
  // One frame of this result (it keeps its template's rate: 30 fps steps 1/30 s); 25 fps until known.
  let frame = FRAME;
  api('/api/v1/assets/' + item.templateId).then(a => {
    const fps = a.check && a.check.result && a.check.result.fps;
    if (fps > 0) frame = 1 / fps;
  }).catch(() => { /* not shared with this account: 25 fps it is */ });
  const step = d => { video.pause(); video.currentTime = Math.max(0, video.currentTime + d * frame); };
  const compare = h('button.ghost', { onclick: async () => {
    const on = !before.isConnected;
    if (on && !compare.checked) {
      // A template not shared with this account (a viewer's batch): said, not a black box.
      const r = await fetch(before.src, { headers: { Range: 'bytes=0-0' }, credentials: 'same-origin' }).catch(() => null);
      if (!r || !r.ok) { toast(() => t('player.noTemplate'), true); return; }
      compare.checked = true;
    }
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
export function syncLine(sync) {
  if (!sync) return null;
  if (!sync.readable) return h('p.sync.muted', { title: t('sync.about') }, t('sync.unreadable'));
  const d = sync.offsetFrames - sync.naturalOffsetFrames;
  const words = d === 0 ? t('sync.onTime') : d === 1 ? t('sync.late1') : d === -1 ? t('sync.early1')
    : d > 0 ? t('sync.late', d) : t('sync.early', -d);
  return h('p.sync', { title: t('sync.about') }, words + ' · ' + t('sync.confidence', sync.confidence.toFixed(2), sync.naturalConfidence.toFixed(2)));
}

export async function showItemLog(item) {
  const pre = h('pre.log');
  openModal(h('h2', {}, t('logs.item', item.templateName)), pre);
  if (item.state === 'QUEUED' && !item.attempts) { pre.textContent = t('logs.notStarted'); return; }
  try { pre.textContent = (await api(item.log)) || t('logs.empty'); } catch (e) { pre.textContent = errorText(e); }
}
