-- Whose batch and whose upload. Everything from before accounts belongs to admin. An upload is
-- stored once by content; asset_users says whose library holds it (the same file uploaded by
-- two people is in both). Batches can be shared with named accounts, who then see them.
alter table batches add column owner_id varchar(32) default 'u_admin' not null;
create index batches_owner on batches (owner_id);
create table batch_shares (
    batch_id varchar(40) not null references batches (id) on delete cascade,
    user_id  varchar(32) not null,
    primary key (batch_id, user_id)
);
create index batch_shares_user on batch_shares (user_id);
create table asset_users (
    asset_id varchar(40) not null references assets (id) on delete cascade,
    user_id  varchar(32) not null,
    primary key (asset_id, user_id)
);
create index asset_users_user on asset_users (user_id);
insert into asset_users (asset_id, user_id) select id, 'u_admin' from assets;
