-- A committed checkpoint a run was forked from: kept (retention reason forkBase, never deleted by a user) for as long
-- as the row exists, since the child's attempts resume from it until the child has committed a checkpoint of its own.
create table checkpoint_forks (
    checkpoint_id text        not null references checkpoints (id),
    child_run_id  text        not null,
    created_at    timestamptz not null,
    primary key (checkpoint_id, child_run_id)
);
create index checkpoint_forks_by_child on checkpoint_forks (child_run_id);
