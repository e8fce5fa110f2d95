-- Calls a committed decision owes other systems, made after the commit and retried until they are through (an
-- outbox on the attempt rows, like command_sent_at for launches): the corrupt mark of the checkpoint an attempt
-- found corrupt, for checkpoint-service, and the cancel command of an attempt a user cancelled, for its launcher.
alter table attempts add column corrupt_checkpoint_id varchar(64);
alter table attempts add column corrupt_reported_at   timestamptz;
alter table attempts add column cancel_reason         text;
alter table attempts add column cancel_requested_at   timestamptz;
alter table attempts add column cancel_sent_at        timestamptz;
create index attempts_calls_due on attempts (run_id, attempt)
    where (corrupt_checkpoint_id is not null and corrupt_reported_at is null)
       or (cancel_requested_at is not null and cancel_sent_at is null);
