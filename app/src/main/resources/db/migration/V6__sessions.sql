-- Browser sessions: the cookie holds a random id, the table its SHA-256 (a stolen database dump
-- opens nothing). A session belongs to one access token: rotating the token ends them all.
create table sessions (
    id_hash     varchar(64) primary key,
    token_hash  varchar(64) not null,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null
);
create index sessions_expires on sessions (expires_at);
