-- The checkpoint catalog's schema starts here; tables come with the checkpoint-service issue.
create table if not exists service_info (name text primary key, value text not null);
insert into service_info (name, value) values ('schema', 'checkpoints') on conflict do nothing;
