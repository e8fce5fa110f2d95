-- Periodic work once per cluster (contracts ClusterJobs): a round of a job is claimed by one atomic update of its row,
-- on the database's clock, so that of several replicas whose timers fire only one runs it.
create table cluster_jobs (
    name        text primary key,
    started_at  timestamptz,
    finished_at timestamptz,
    owner       text,
    rounds      bigint not null default 0
);
