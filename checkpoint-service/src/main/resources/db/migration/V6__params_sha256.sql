-- The parameter hash checkpoint-service computes itself from a built-in checkpoint's model.safetensors when it
-- verifies it; CheckpointCommitted carries it, and the scheduler holds an attempt's success to it.
alter table checkpoints add column params_sha256 text;
