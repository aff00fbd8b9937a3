-- Who did what and when: every change made through the API or the page (and refused sign-ins),
-- kept audit.keepDays (90). "actor" is the account (today: admin, the holder of the access token);
-- "via" how it proved itself (token, session, open when access control is off).
create sequence audit_order;
create table audit_log (
    id        bigint primary key,
    at        timestamp with time zone not null,
    actor     varchar(100) not null,
    via       varchar(20) not null,
    address   varchar(64),
    action    varchar(64) not null,
    target    varchar(200),
    detail    varchar(500)
);
create index audit_at on audit_log (at);
