export default `
-- Which version of a file's table readers get is a decision, not "the newest ready one": a reload that rejected rows
-- waits for its publisher (pending), a pending version can be discarded (its table dropped, its row kept so version
-- numbers are never reused), and any earlier ready version can be made current again. At most one current version
-- per file; only a ready version can be current. Until now the newest ready version was the current one.
alter table datastore_tables drop constraint datastore_tables_status_check;
alter table datastore_tables add constraint datastore_tables_status_check
  check (status in ('loading', 'ready', 'pending', 'discarded', 'failed'));
alter table datastore_tables add column current boolean not null default false;
update datastore_tables t set current = true
  where t.status = 'ready'
    and t.version = (select max(u.version) from datastore_tables u
                     where u.distribution_id = t.distribution_id and u.status = 'ready');
alter table datastore_tables add constraint datastore_tables_current_ready check (not current or status = 'ready');
create unique index datastore_tables_one_current on datastore_tables (distribution_id) where current;
`;
