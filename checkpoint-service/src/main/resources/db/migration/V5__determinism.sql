-- Each attempt's determinism fingerprint and whether its resume could be bit-exact (and what differed).
alter table attempts add column fingerprint jsonb;
alter table attempts add column resume_exact boolean;
alter table attempts add column resume_differences jsonb;
