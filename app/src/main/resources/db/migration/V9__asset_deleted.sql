-- An upload the user deleted from the library: its file is gone and it is no longer listed, but
-- the row stays for the batches that used it (their history names it). Uploading the same
-- content again brings it back.
alter table assets add column deleted_at timestamp with time zone;
