-- Every change of an item's state counts up its revision, so a watcher can tell a late report of
-- an older state (a render's last progress after a cancel) from news, and drop it.
alter table items add column revision integer default 0 not null;
