-- Failover without false alarms: who supervises an attempt (asked whether it is alive before a silent death is
-- declared), since when it has been alive but silent, and when its end was confirmed (the next attempt of the run is
-- launched only after that).
alter table attempts add column supervisor_url     text;
alter table attempts add column silent_alive_since timestamptz;
alter table attempts add column end_confirmed_at   timestamptz;
-- On upgrade, attempts that already ended count as confirmed ended, as the scheduler before this version took them.
update attempts set end_confirmed_at = coalesce(ended_at, now()) where state not in ('LAUNCHING', 'RUNNING');
