-- Accounts. The first one, admin, is made here so that an installation from before accounts
-- keeps everything: its batches and uploads belong to admin, and its access token stays admin's
-- key for scripts. admin has no password until its set-up link (printed at start) is opened.
create table users (
    id                  varchar(32) primary key,
    name                varchar(64) not null,
    role                varchar(16) not null,
    password_hash       varchar(200),
    disabled            boolean default false not null,
    created_at          timestamp with time zone not null,
    password_changed_at timestamp with time zone,
    last_sign_in        timestamp with time zone,
    setup_hash          varchar(64),
    setup_expires       timestamp with time zone
);
create unique index users_name on users (name);
create unique index users_setup on users (setup_hash);
insert into users (id, name, role, created_at) values ('u_admin', 'admin', 'ADMIN', current_timestamp);

-- A browser session belongs to an account. Sessions opened with the access token keep its hash
-- (rotating the token ends them); those opened with a password have '' there.
alter table sessions add column user_id varchar(32);
update sessions set user_id = 'u_admin';
