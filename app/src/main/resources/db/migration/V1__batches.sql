-- HeyGem's tables. Written once for both databases: PostgreSQL, and the embedded H2 running in
-- PostgreSQL mode (so no TEXT in keys: H2 maps it to a CLOB). Never edit a migration that has
-- shipped; add V2, V3 ... instead.

create table assets (
    id               varchar(40)   primary key,
    sha256           varchar(64)   not null,
    kind             varchar(10)   not null,            -- AUDIO or VIDEO
    file_name        varchar(255)  not null,            -- the uploaded name, neutralised
    stored_path      varchar(1024) not null,            -- relative to the data directory
    size_bytes       bigint        not null,
    duration_seconds double precision,
    created_at       timestamp with time zone not null,
    last_used_at     timestamp with time zone not null,
    constraint assets_sha256_kind unique (sha256, kind)
);

create sequence batch_order;

create table batches (
    id              varchar(40)   primary key,
    submitted       bigint        not null,             -- submission order (batch_order)
    audio_id        varchar(40)   not null references assets (id),
    settings_json   varchar(4000) not null,
    idempotency_key varchar(200),
    created_at      timestamp with time zone not null,
    constraint batches_idempotency unique (idempotency_key)
);

create table items (
    id            varchar(40)   primary key,
    batch_id      varchar(40)   not null references batches (id) on delete cascade,
    template_id   varchar(40)   not null references assets (id),
    position      int           not null,
    state         varchar(12)   not null,
    stage         varchar(24),
    percent       double precision not null default 0,
    frames_done   int           not null default 0,
    frames_total  int           not null default 0,
    eta_seconds   double precision,
    error_code    varchar(40),
    error_message varchar(2000),
    result_path   varchar(1024),
    attempts      int           not null default 0,
    updated_at    timestamp with time zone not null,
    constraint items_state check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED')),
    constraint items_position unique (batch_id, position)
);

create index items_state_idx on items (state);

-- db-scheduler's table (its PostgreSQL layout, with VARCHAR keys).
create table scheduled_tasks (
    task_name            varchar(100) not null,
    task_instance        varchar(200) not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean      not null,
    picked_by            varchar(100),
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint       not null,
    priority             smallint,
    primary key (task_name, task_instance)
);

create index execution_time_idx on scheduled_tasks (execution_time);
create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
