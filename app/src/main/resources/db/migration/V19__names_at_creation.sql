-- A batch keeps the names its files had when it was made: the speech's and each presenter's, as the
-- user gave them. Renaming or re-uploading a file later names the next batches, not the earlier ones.
alter table batches add column audio_name varchar(255);
alter table items add column template_name varchar(255);
update batches set audio_name = (select a.file_name from assets a where a.id = batches.audio_id);
update items set template_name = (select a.file_name from assets a where a.id = items.template_id);
