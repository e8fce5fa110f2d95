-- The pruner deletes ids by age: find the oldest without scanning the whole log.
create index processed_events_by_age on processed_events (processed_at);
