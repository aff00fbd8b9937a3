-- Quotas per account; null: the server's default (quota.* settings), -1: no limit.
alter table users add column quota_storage_bytes bigint;
alter table users add column quota_minutes_day int;
alter table users add column quota_queued_items int;
