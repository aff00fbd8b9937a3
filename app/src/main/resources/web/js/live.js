// The Live page: a presenter speaking a live sound.
import { api, errorText, post } from './api.js';
import { h, toast, view } from './dom.js';
import { duration } from './format.js';
import { LANG, t } from './i18n.js';

// ---------------------------------------------------------------- live

export let liveTimer = null;
export let liveHls = null;

export function stopLive() {
  clearInterval(liveTimer);
  liveTimer = null;
  if (liveHls) { liveHls.destroy(); liveHls = null; }
}

/** Loads a script of ours once (hls.js is only needed on this page). */
export function loadScript(src) {
  return loadScript[src] || (loadScript[src] = new Promise((resolve, reject) => {
    document.head.append(h('script', { src, onload: resolve, onerror: () => { loadScript[src] = null; reject(new Error(src)); } }));
  }));
}

export async function renderLive() {
  let templates;
  let streams;
  try {
    templates = (await api('/api/v1/assets?kind=VIDEO&limit=200')).assets.filter(a => !(a.check && a.check.state === 'FAILED'));
    streams = (await api('/api/v1/live')).streams;
  } catch (e) { view().replaceChildren(h('section.card', {}, h('p.bad', {}, errorText(e)))); return; }
  const url = h('input.address', { id: 'live-url', type: 'text', inputMode: 'url', placeholder: t('live.urlHint'),
    'aria-label': t('live.url'), spellcheck: false, value: localStorage.getItem('heygem.liveUrl') || '' });
  const template = h('select', { id: 'live-template', 'aria-label': t('live.template') },
    ...templates.map(a => h('option', { value: a.id }, a.name)));
  const latency = h('input', { id: 'live-latency', type: 'number', min: 0.9, max: 30, step: 0.1, value: 1.0,
    'aria-label': t('live.latency') });
  const record = h('input', { id: 'live-record', type: 'checkbox', checked: true });
  const panel = h('div', { id: 'live-panel' });
  const go = h('button.primary', { id: 'live-start', disabled: !templates.length, onclick: async () => {
    go.disabled = true;
    try {
      localStorage.setItem('heygem.liveUrl', url.value.trim());
      showStream(panel, await post('/api/v1/live', { audioUrl: url.value.trim(), templateId: template.value,
        latency: Number(latency.value) || 1, record: record.checked }));
    } catch (e) { toast(() => errorText(e), true); }
    go.disabled = false;
  } }, t('live.start'));
  view().replaceChildren(
    h('section.hero', {}, h('h1', {}, t('live.title')), h('p.muted', {}, t('live.lead'))),
    h('section.card', {}, h('div.live-form', {},
      h('label', {}, h('span.muted', {}, t('live.url')), url),
      h('label', {}, h('span.muted', {}, t('live.template')), template),
      h('label', {}, h('span.muted', {}, t('live.latency')), latency),
      h('label.check-label', {}, record, ' ', t('live.record')), go),
      templates.length ? null : h('p.muted', {}, t('live.noTemplates'))),
    panel);
  if (streams.length) showStream(panel, streams[0]);
}

/** A stream: its picture while it is produced, its figures each second, Stop, and the recording once ended. */
export function showStream(panel, stream) {
  stopLive();
  const video = h('video.player', { id: 'live-video', controls: true, muted: true, autoplay: true, playsInline: true });
  const state = h('strong', { id: 'live-state' });
  const stats = h('div.muted.small', { id: 'live-stats' });
  const actions = h('div.row');
  panel.replaceChildren(h('section.card', {}, h('div.card-head', {},
    h('h2', {}, stream.templateName, ' · ', h('span.muted', {}, stream.audioUrl)), state), video, stats, actions));
  let attached = false;
  const attach = async () => {
    attached = true;
    await loadScript('/vendor/hls.light.min.js');
    if (!window.Hls || !Hls.isSupported()) {
      // No MediaSource (Safari on iPhone): its own HLS player. Chromium's native HLS, when it has one,
      // was seen to stay paused with nothing loaded; hls.js is used wherever it can be.
      video.src = stream.playlist;
      video.addEventListener('loadedmetadata', () => video.play().catch(() => {}), { once: true });
      return;
    }
    // No worker: the page's policy allows scripts from this server only.
    const hls = new Hls({ enableWorker: false, liveSyncDurationCount: 2, xhrSetup: x => { x.withCredentials = true; } });
    liveHls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    // A live playlist read a moment too early, or a segment not written yet, is not the end: try again.
    hls.on(Hls.Events.ERROR, (event, data) => {
      (window.liveErrors = window.liveErrors || []).push(data.type + ' ' + data.details + (data.fatal ? ' (fatal)' : ''));
      if (!data.fatal || liveHls !== hls) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => { if (liveHls === hls) hls.startLoad(); }, 1000);
      else { hls.destroy(); liveHls = null; attached = false; } // the next second attaches anew
    });
    hls.loadSource(stream.playlist);
    hls.attachMedia(video);
  };
  const draw = s => {
    stream = s;
    state.textContent = t('live.state.' + s.state);
    state.className = 'live-' + s.state.toLowerCase();
    const x = s.stats;
    stats.textContent = s.error ? '' : x ? t('live.stats', duration(x.seconds) || t('seconds', 0), x.latencyMedian.toFixed(2),
      x.latencyMax.toFixed(2), x.bridgedSeconds, t('live.input.' + (['ENDED', 'FAILED'].includes(s.state) ? 'ended' : x.input))) : '';
    actions.replaceChildren(...[
      s.error ? h('p.bad', {}, (LANG === 'zh' && s.error.messageZh) || s.error.message) : null,
      ['STARTING', 'LIVE'].includes(s.state) && !s.stopAsked ? h('button.ghost', { id: 'live-stop', onclick: async () => {
        try { draw(await post('/api/v1/live/' + s.id + '/stop')); } catch (e) { toast(() => errorText(e), true); }
      } }, t('live.stop')) : null,
      s.recording ? h('a.button.primary', { href: s.recording + '?download=1', download: '' }, t('live.recording')) : null,
    ].filter(Boolean));
    // The first segments take a second or two to be written.
    if (!attached && s.state === 'LIVE' && x && x.seconds >= 2) attach();
    // Once ended: the recording if there is one, else what the playlist still holds.
    if (!attached && s.state === 'ENDED' && x && x.frames > 0) {
      if (s.recording) { attached = true; video.src = s.recording; } else attach();
    }
    if (['ENDED', 'FAILED'].includes(s.state)) { clearInterval(liveTimer); liveTimer = null; }
  };
  draw(stream);
  liveTimer = setInterval(async () => {
    try { draw(await api('/api/v1/live/' + stream.id)); } catch (e) { /* the next second */ }
  }, 1000);
}
