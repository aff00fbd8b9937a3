-- Priorities: items run by their batch's priority (70 high, 50 normal, 30 low: db-scheduler's
-- scale, whose scheduled_tasks.priority orders the queue), then by the batch's place in the queue.
-- queue_order is that place: the creation time at first; moving a batch up or down swaps it with
-- its neighbour's.
alter table batches add column priority smallint default 50 not null;
alter table batches add column queue_order timestamp with time zone;
update batches set queue_order = created_at;
alter table batches alter column queue_order set not null;
update scheduled_tasks set priority = 50 where task_name = 'render-item' and priority is null;
