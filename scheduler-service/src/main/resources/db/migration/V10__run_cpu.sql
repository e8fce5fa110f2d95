-- The CPU the run's checkpoints are computed on (vendor_id and model name of the determinism fingerprint of its newest
-- attempt that started fresh or resumed bit-exact): a strict run's next Kubernetes Job is placed on a node with it.
alter table runs add column cpu_vendor text;
alter table runs add column cpu_model text;
