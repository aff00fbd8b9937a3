// Talking to the server: JSON requests, uploads with progress, and errors kept in both languages.
import { LANG, t } from './i18n.js';

/** Told when a request could not reach the server at all (events.js then looks whether it is away). */
export const unreachable = { notify: () => {} };
/** Told when the server asks for a sign-in (main.js shows the form): no module cycle through the views. */
export const unauthorized = { notify: () => {} };

/** An error answer, kept in both languages: it is worded when shown, so a switch of language re-words it. */
export class ApiFailure extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || ('HTTP ' + status));
    this.status = status;
    this.code = err.code;
    this.en = err.message;
    this.zh = err.messageZh;
    this.hint = err.hint;
    this.hintZh = err.hintZh;
  }
}

export async function api(path, options = {}, retried = false) {
  let r;
  try {
    r = await fetch(path, { credentials: 'same-origin', ...options });
  } catch (e) {
    unreachable.notify();
    throw new ApiFailure(0, null);
  }
  const type = r.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await r.json() : await r.text();
  if (r.status === 401) unauthorized.notify();
  // A read turned away for a passing reason (full disk, database away) is asked again once, after
  // the wait the server names, before the page shows an error.
  if (r.status === 503 && !retried && (options.method || 'GET') === 'GET' && r.headers.get('Retry-After')) {
    const wait = Math.min(10, Number(r.headers.get('Retry-After')) || 5);
    await new Promise(done => setTimeout(done, wait * 1000));
    return api(path, options, true);
  }
  if (!r.ok) throw new ApiFailure(r.status, body);
  return body;
}

export const post = (path, data, headers = {}) => api(path, {
  method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(data || {}),
});

/** Uploads go 3 at a time (the server takes 4 of one account at once); the others wait here for a slot. */
export const uploadSlots = { free: 3, waiting: [] };
export const uploadSlot = () => new Promise(go => { if (uploadSlots.free > 0) { uploadSlots.free--; go(); } else uploadSlots.waiting.push(go); });
export function uploadDone() { const next = uploadSlots.waiting.shift(); if (next) next(); else uploadSlots.free++; }

/**
 * Uploads one file with a progress callback; resolves to the asset.
 *
 * @param use 'speech' or 'template': the server refuses at once a file that cannot serve (a video without sound as the speech)
 */
export async function upload(file, onProgress, use) {
  await uploadSlot();
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.onloadend = uploadDone;
    x.open('POST', '/api/v1/assets' + (use ? '?use=' + use : ''));
    x.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    x.onload = () => {
      let body = null;
      try { body = JSON.parse(x.responseText); } catch (e) { /* not JSON */ }
      if (x.status === 201) resolve(body); else {
        if (x.status === 401) unauthorized.notify();
        reject(new ApiFailure(x.status, body));
      }
    };
    x.onerror = () => reject(new ApiFailure(0, null));
    const form = new FormData();
    form.append('file', file, file.name);
    x.send(form);
  });
}


export function errorText(e) {
  if (e.status === 0) return t('error.network');
  const message = (LANG === 'zh' && e.zh) || e.en || e.message;
  const hint = (LANG === 'zh' && e.hintZh) || e.hint;
  return hint ? message + (LANG === 'zh' ? '——' : ' — ') + hint : message;
}
