-- Whether each resume could be bit-exact (the checkpoint's determinism fingerprint against the attempt's own).
alter table attempts add column resume_exact boolean;
alter table attempts add column resume_differences jsonb;
-- False once any resume of the run was not bit-exact; the latest reason beside it.
alter table runs add column bit_exact boolean not null default true;
alter table runs add column determinism_note text;
