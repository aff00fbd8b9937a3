-- Each upload is its owner's record: its own id, name and time. The bytes are kept once by
-- content below the records (several records may name one stored file), so uploading the same
-- bytes as someone else reveals nothing of their upload and lets nobody rename or delete it.
-- Records that several libraries shared until now are split: the first holder keeps the record,
-- every other holder gets a copy of it under a new id, and that holder's batches use their copy.
alter table assets add column owner_id varchar(32);
alter table assets drop constraint assets_sha256_kind;
update assets set owner_id = coalesce((select min(u.user_id) from asset_users u where u.asset_id = assets.id), 'u_admin');
insert into assets (id, sha256, kind, file_name, stored_path, size_bytes, duration_seconds, created_at, last_used_at,
        width, height, deleted_at, owner_id)
    select a.id || '-' || u.user_id, a.sha256, a.kind, a.file_name, a.stored_path, a.size_bytes, a.duration_seconds,
           a.created_at, a.last_used_at, a.width, a.height, a.deleted_at, u.user_id
    from assets a join asset_users u on u.asset_id = a.id where u.user_id <> a.owner_id;
update batches set audio_id = audio_id || '-' || owner_id
    where exists (select 1 from assets a where a.id = batches.audio_id || '-' || batches.owner_id);
update items set template_id = template_id || '-' || (select b.owner_id from batches b where b.id = items.batch_id)
    where exists (select 1 from assets a join batches b on b.id = items.batch_id
                  where a.id = items.template_id || '-' || b.owner_id);
alter table assets alter column owner_id set not null;
alter table assets add constraint assets_content_owner unique (sha256, kind, owner_id);
create index assets_stored_path on assets (stored_path);
drop table asset_users;
