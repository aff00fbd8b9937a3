// A batch's numbers from its items: counts per state, the percent of the work that will run, the
// time left. Pure (no page, no server), so the suite tests them; the server's figures
// (BatchState.Counts, BatchEta) are the same sums.
import { t } from './i18n.js';

export const FINISHED = ['SUCCEEDED', 'FAILED', 'CANCELED'];
export const ACTIVE = ['QUEUED', 'RUNNING'];

/** How many items are in each state. */
export function countItems(items) {
  const c = { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };
  for (const i of items) {
    c.total++;
    const k = i.state.toLowerCase();
    if (k in c) c[k]++;
  }
  return c;
}

/**
 * Percent of the work that will actually run: done items 100, running ones their own percent,
 * queued ones 0; failed and cancelled ones count neither way. 100 when nothing is left to run.
 */
export function workPercent(items) {
  let sum = 0;
  let n = 0;
  for (const i of items) {
    if (i.state === 'SUCCEEDED') { sum += 100; n++; } else if (i.state === 'RUNNING') { sum += Math.max(0, Math.min(100, i.progress || 0)); n++; } else if (i.state === 'QUEUED') n++;
  }
  return n === 0 ? 100 : Math.min(100, sum / n);
}

/**
 * Seconds until the batch's own work is done, or null while unknown: the running items finish side
 * by side, the queued ones (each expected to take what a render of its size took here) share the
 * renders that can run at once.
 *
 * @param expectedOf an item's expected seconds (the server measures them), or null
 * @param slots renders that can run at once in the installation
 */
export function batchLeft(items, expectedOf, slots) {
  let longest = 0;
  let sum = 0;
  let queued = 0;
  for (const i of items) {
    if (i.state === 'RUNNING') {
      if (i.etaSeconds === null || i.etaSeconds === undefined) return null;
      longest = Math.max(longest, i.etaSeconds);
      sum += i.etaSeconds;
    } else if (i.state === 'QUEUED') {
      const e = expectedOf(i);
      if (e === null || e === undefined) return null;
      sum += e;
      queued++;
    }
  }
  if (!queued && !items.some(i => i.state === 'RUNNING')) return null;
  if (queued && !(slots > 0)) return null;
  return Math.max(longest, sum / Math.max(1, slots || 1));
}

/** "1 of 3 done · 1 running · 2 cancelled": what was made of all, then every other state there is. */
export function countsText(c) {
  return [t('count.done', c.succeeded, c.total),
    c.running ? t('count.running', c.running) : '',
    c.queued ? t('count.queued', c.queued) : '',
    c.failed ? t('count.failed', c.failed) : '',
    c.canceled ? t('count.canceled', c.canceled) : ''].filter(Boolean).join(' · ');
}

/** Failures that another attempt cannot mend: the file itself is the reason. */
const PERMANENT = ['NOT_MEDIA', 'NO_VIDEO_STREAM', 'NO_AUDIO_STREAM', 'UNSUPPORTED_CODEC', 'CORRUPT_MEDIA', 'TOO_LONG',
  'TOO_LARGE', 'FACE_TOO_RARE', 'NO_FACE'];

/** Whether Retry is worth offering: cancelled, or failed for a passing reason (a full disk, a timeout). */
export function retryable(item) {
  if (item.state === 'CANCELED') return true;
  return item.state === 'FAILED' && !(item.error && PERMANENT.includes(item.error.code));
}
