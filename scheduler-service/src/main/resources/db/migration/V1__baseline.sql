-- The scheduler's schema starts here; tables come with the scheduler issue.
create table if not exists service_info (name text primary key, value text not null);
insert into service_info (name, value) values ('schema', 'scheduler') on conflict do nothing;
