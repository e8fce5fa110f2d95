-- The checkpoint catalog: runs and attempts (read model of savepoint.runs), checkpoints, leases and the
-- processed-event log that makes every consumer idempotent.
drop table if exists service_info;

create table runs (
    run_id              text primary key,
    name                text,
    state               text        not null,
    current_attempt     int         not null default 0,
    current_step        bigint,
    final_params_sha256 text,
    retention           jsonb,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

create table attempts (
    run_id                     text        not null references runs (run_id),
    attempt                    int         not null,
    state                      text        not null,
    started_at                 timestamptz,
    ended_at                   timestamptz,
    cause                      text,
    message                    text,
    exit_code                  int,
    last_step                  bigint,
    resumed_from_checkpoint_id text,
    host                       text,
    primary key (run_id, attempt)
);

create table checkpoints (
    id            text primary key,
    run_id        text        not null references runs (run_id),
    step          bigint      not null,
    epoch         int,
    attempt       int         not null,
    bucket        text        not null,
    prefix        text        not null,
    state         text        not null,
    metrics       jsonb       not null default '{}',
    files         jsonb       not null default '[]',
    total_bytes   bigint      not null,
    pinned        boolean     not null default false,
    reject_reason text,
    message       text,
    created_at    timestamptz not null,
    committed_at  timestamptz,
    deleted_at    timestamptz
);
-- "newest committed checkpoint of a run" (latest, retention's newest)
create index checkpoints_newest_committed on checkpoints (run_id, step desc, attempt desc, created_at desc)
    where state = 'COMMITTED';
-- "checkpoints of a run by step" (history API)
create index checkpoints_run_step on checkpoints (run_id, step, attempt);
create index checkpoints_state on checkpoints (state) where state in ('PARTIALLY_DELETED', 'DELETING');

create table leases (
    id            uuid primary key,
    checkpoint_id text        not null references checkpoints (id),
    holder        text        not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null
);
create index leases_checkpoint_expiry on leases (checkpoint_id, expires_at);

create table processed_events (
    event_id     text primary key,
    type         text        not null,
    processed_at timestamptz not null
);
