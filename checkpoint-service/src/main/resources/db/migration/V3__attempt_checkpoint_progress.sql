-- What an attempt's heartbeats and success report about its checkpoints: how many it skipped under backpressure
-- or storage failures, and the step and age of its newest durable checkpoint when it last reported.
alter table attempts
    add column checkpoints_skipped    int,
    add column newest_durable_step    bigint,
    add column newest_durable_age_ms  bigint;
