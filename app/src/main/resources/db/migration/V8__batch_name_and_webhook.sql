-- A batch's own name, and where to tell that it has finished: its webhook (or the default one),
-- notified once per time it finishes (a retry that finishes again is told again). Batches from
-- before count as told.
alter table batches add column name varchar(200);
alter table batches add column webhook_url varchar(2000);
alter table batches add column notified_at timestamp with time zone;
alter table batches add column notify_attempts integer default 0 not null;
alter table batches add column notify_next timestamp with time zone;
update batches set notified_at = created_at;
