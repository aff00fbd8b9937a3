// Numbers, times and sizes as people read them.
import { LANG, t } from './i18n.js';

/** "45 s", "3 min 20 s", "2 h 5 min"; empty for an unknown time. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('seconds', s);
  if (s < 3600) return t('minutes', Math.floor(s / 60), s % 60);
  return t('hours', Math.floor(s / 3600), Math.floor((s % 3600) / 60));
}

/**
 * A time left as an estimate is said: to the nearest 5 s under a minute, 10 s under ten minutes,
 * then whole minutes (a countdown to the second claims more than anyone knows).
 */
export function roughly(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) return '';
  const step = seconds < 60 ? 5 : seconds < 600 ? 10 : 60;
  return duration(Math.max(step, Math.round(seconds / step) * step));
}

export function bytes(n) {
  if (n === null || n === undefined || !isFinite(n)) return '';
  if (n < 1 << 20) return Math.round(n / 1024) + ' KB';
  if (n < 1 << 30) return (n / (1 << 20)).toFixed(1) + ' MB';
  return (n / (1 << 30)).toFixed(2) + ' GB';
}

export function when(iso) {
  return new Date(iso).toLocaleString(LANG === 'zh' ? 'zh-CN' : undefined,
    { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
