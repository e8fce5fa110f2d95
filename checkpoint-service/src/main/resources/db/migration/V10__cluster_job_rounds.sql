-- The history of periodic rounds (contracts ClusterJobs): a row inserted by the very statement that claims a round,
-- finished with it and pruned after a day, so that a test can show that no round of a job ever ran twice.
create table cluster_job_rounds (
    job            text        not null,
    started_at     timestamptz not null,
    owner          text        not null,
    finished_at    timestamptz,
    interval_ms    bigint      not null,
    stale_after_ms bigint      not null,
    primary key (job, started_at)
);
