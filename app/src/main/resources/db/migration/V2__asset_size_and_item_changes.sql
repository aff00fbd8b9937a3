-- The picture size of video assets (shown in the template library), and an index for "what
-- changed since" (the live progress stream reads it every second).
alter table assets add column width int;
alter table assets add column height int;
create index items_updated_at on items (updated_at);
