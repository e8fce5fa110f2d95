-- The console: a run's goal (maxSteps from the spec an AttemptStarted carried), keyset pages of runs (newest
-- first, optionally of one state), and the forks of a run (attempts that resumed from one of its checkpoints).
alter table runs add column max_steps bigint;
create index runs_newest on runs (created_at desc, run_id desc);
create index runs_state_newest on runs (state, created_at desc, run_id desc);
create index attempts_resumed_from on attempts (resumed_from_checkpoint_id) where resumed_from_checkpoint_id is not null;
