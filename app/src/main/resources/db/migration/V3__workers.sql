-- The nodes that render: each registers at start and beats every workers.heartbeatSeconds; the
-- page lists them. A node whose beat is older than four intervals is shown as gone (its item,
-- if any, runs again elsewhere: that part is db-scheduler's own heartbeat on the execution).
create table workers (
    name           varchar(200) primary key,
    host           varchar(255) not null,
    cores          int          not null,
    threads        int          not null,
    version        varchar(100) not null,
    state          varchar(20)  not null,              -- RUNNING, STOPPING, STOPPED
    current_item   varchar(40),
    items_done     bigint       not null default 0,
    started_at     timestamp with time zone not null,
    last_heartbeat timestamp with time zone not null
);
