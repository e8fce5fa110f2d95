-- A success is believed only when the final checkpoint bears it out: the attempt's claim (final step, parameter
-- hash) is held until a checkpoint at that step is committed, and compared with the parameter hash checkpoint-service
-- computed from the stored model file.
alter table runs add column newest_committed_step bigint;
alter table runs add column newest_committed_params_sha256 text;
alter table attempts add column claimed_step bigint;
alter table attempts add column claimed_params_sha256 text;
