-- A claim of success must not wait for ever: the events that decide it (CheckpointCommitted or CheckpointRejected on
-- savepoint.checkpoints) and the claim itself (AttemptSucceeded on savepoint.runs) come on different topics, in any
-- order. A rejection that arrives before the claim is kept on its attempt, and a claim that nothing decides within
-- savepoint.scheduler.claim-timeout fails as UNVERIFIED_SUCCESS.
alter table attempts add column claimed_at timestamptz;
alter table attempts add column rejected_step bigint;
alter table attempts add column rejected_why text;
