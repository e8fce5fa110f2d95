-- Goodput accounting: the furthest step any earlier attempt of the run had reached when this attempt started (the
-- steps between its resume point and that one are re-trained), and when it first reported a step at or past it.
alter table attempts add column recompute_until_step bigint;
alter table attempts add column caught_up_at timestamptz;
-- Lineage of a fork: the run and the committed checkpoint it was forked from (its first attempt resumes there).
alter table runs add column parent_run_id varchar(128);
alter table runs add column parent_checkpoint_id varchar(64);
create index runs_by_parent on runs (parent_run_id) where parent_run_id is not null;
