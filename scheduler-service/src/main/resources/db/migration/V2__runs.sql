-- Runs as the scheduler sees them: the persisted RunLifecycle plus what the API shows.
create table runs (
    run_id                          varchar(128) primary key,
    name                            varchar(64)  not null,
    spec                            text         not null,
    state                           varchar(16)  not null,
    current_attempt                 int          not null,
    restarts                        int          not null default 0,
    preemptions                     int          not null default 0,
    failures_without_progress       int          not null default 0,
    last_committed_step             bigint       not null default -1,
    committed_step_at_last_failure  bigint       not null default -1,
    last_failure_attempt            int,
    last_failure_reason             varchar(32),
    last_failure_message            text,
    last_failure_at                 timestamptz,
    next_launch_at                  timestamptz,
    current_step                    bigint,
    final_params_sha256             varchar(64),
    created_at                      timestamptz  not null,
    updated_at                      timestamptz  not null
);
create index runs_due on runs (state, next_launch_at);

-- One row per attempt; (run_id, attempt) is the fencing token and makes a launch happen once.
create table attempts (
    run_id                    varchar(128) not null references runs (run_id),
    attempt                   int          not null,
    state                     varchar(16)  not null,
    launched_at               timestamptz  not null,
    command_sent_at           timestamptz,
    started_at                timestamptz,
    ended_at                  timestamptz,
    last_heartbeat_at         timestamptz,
    last_step                 bigint,
    heartbeat_millis          int          not null,
    resume_checkpoint_id      varchar(64),
    resume_step               bigint,
    cause                     varchar(32),
    message                   text,
    exit_code                 int,
    primary key (run_id, attempt)
);
create index attempts_live on attempts (state);

-- Every state change with its time and cause.
create table run_transitions (
    id          bigserial    primary key,
    run_id      varchar(128) not null references runs (run_id),
    from_state  varchar(16)  not null,
    to_state    varchar(16)  not null,
    cause       text         not null,
    at          timestamptz  not null
);
create index run_transitions_by_run on run_transitions (run_id, id);

-- Event ids already applied: consumers are idempotent.
create table processed_events (
    event_id      varchar(64) primary key,
    processed_at  timestamptz not null
);
