// Small pieces several views share: state and priority chips, the priority menu, progress bars.
import { errorText, post } from './api.js';
import { h, toast } from './dom.js';
import { t } from './i18n.js';
import { ME } from './signin.js';

export function stateChip(state) {
  return h('span.chip.' + state.toLowerCase(), {}, t('state.' + state));
}
/** A batch's priority when it is not the usual one. */
export function priorityChip(priority) {
  return priority && priority !== 'normal' ? h('span.chip.priority.' + priority, {}, (priority === 'high' ? '↑ ' : '↓ ') + t('priority.' + priority)) : null;
}
export function prioritySelect(id, value, onchange) {
  return h('select', { id, title: t('priority.hint'), onchange: e => onchange(e.target.value) },
    // High passes everyone's work: only admins may choose it.
    ...(ME && ME.role !== 'admin' && value !== 'high' ? ['normal', 'low'] : ['high', 'normal', 'low'])
      .map(p => h('option', { value: p, selected: value === p }, t('priority.' + p))));
}
/** Moves a batch with queued items one place up or down the queue, then shows the new order. */
export async function moveBatch(id, direction, then) {
  try {
    const b = await post('/api/v1/batches/' + id + '/move', { direction });
    if (!b.moved) toast(() => t('queue.notMoved'));
    then();
  } catch (e) { toast(() => errorText(e), true); }
}
export function bar(percent, state) {
  const b = h('div.bar' + (state ? '.' + state.toLowerCase() : ''), { role: 'progressbar', 'aria-valuenow': Math.round(percent) });
  b.append(h('span', { style: 'width:' + Math.max(0, Math.min(100, percent)) + '%' }));
  return b;
}
