// Building the page: elements from data (text always as text), the passing message, the dialog.

export const $ = (sel, root = document) => root.querySelector(sel);
export const view = () => document.getElementById('view');

/** An element: h('div.card', {onclick}, child, 'text', …). Text is always set as text, never as HTML. */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const e = document.createElement(name || 'div');
  if (classes.length) e.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k in e && k !== 'list') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
/** A passing message; given as a function, it is worded again if the language changes while it shows. */
export function toast(message, bad) {
  const e = document.getElementById('toast');
  toast.words = typeof message === 'function' ? message : null;
  e.textContent = toast.words ? toast.words() : message;
  e.className = 'toast' + (bad ? ' bad' : '');
  e.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { e.hidden = true; }, bad ? 8000 : 3000);
}
// ---------------------------------------------------------------- modal

export function openModal(...content) {
  const m = document.getElementById('modal');
  const body = $('.modal-body', m);
  body.replaceChildren(...content.filter(c => c !== null && c !== undefined && c !== false));
  m.hidden = false;
  return body;
}
export function closeModal() {
  const m = document.getElementById('modal');
  $('.modal-body', m).querySelectorAll('video,audio').forEach(v => v.pause());
  m.hidden = true;
  $('.modal-body', m).replaceChildren();
  if (closeModal.onClose) { closeModal.onClose(); closeModal.onClose = null; }
}
