-- API keys: each belongs to an account and acts with its role. Only a hash is kept; the key is
-- shown once, when it is made. A revoked key stays listed (when, by whom) but opens nothing.
create table api_keys (
    id           varchar(32) primary key,
    user_id      varchar(32) not null,
    name         varchar(100) not null,
    key_hash     varchar(64) not null,
    prefix       varchar(16) not null,
    created_at   timestamp with time zone not null,
    last_used_at timestamp with time zone,
    revoked_at   timestamp with time zone
);
create unique index api_keys_hash on api_keys (key_hash);
create index api_keys_user on api_keys (user_id);
