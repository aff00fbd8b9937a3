-- The sync judge's reading of each result (frames, positive: mouth late; its confidence).
alter table items add column sync_offset int;
alter table items add column sync_confidence double precision;
