export default `
-- Search inside the data: the distinct values of a table's short text columns (place names, categories), bounded per
-- table, kept for the current version of each file only. One row per column, so a result can say where it matched.
create table dataset_values (
  table_id uuid not null references datastore_tables(id) on delete cascade,
  dataset_id uuid not null references datasets(id) on delete cascade,
  column_id text not null,
  column_title text not null,
  vals text[] not null,
  -- the values folded (no diacritics, lower case), space-joined: what the words are taken from
  folded text not null,
  words tsvector generated always as (to_tsvector('simple', folded)) stored,
  primary key (table_id, column_id)
);
create index dataset_values_dataset on dataset_values (dataset_id);

-- The words of a data set's values, apart from its metadata's search_vector (which the catalog rewrites on every
-- edit): searched together through one expression index, and never ranked (rank_vector holds title and keywords),
-- so a match inside the data finds a data set without lifting it above one whose title matches.
alter table datasets add column data_vector tsvector not null default ''::tsvector;
create function dataset_values_changed() returns trigger language plpgsql as $$
declare
  ds uuid := coalesce(new.dataset_id, old.dataset_id);
begin
  update datasets set data_vector = coalesce(
    (select setweight(to_tsvector('simple', string_agg(v.folded, ' ')), 'D') from dataset_values v where v.dataset_id = ds),
    ''::tsvector)
  where id = ds;
  return null;
end $$;
create trigger dataset_values_changed after insert or delete on dataset_values
  for each row execute function dataset_values_changed();

-- Every process keeps a search index in memory (catalog/search-index.ts) and pages for a while: this notice, the id of
-- each data set written (its metadata, its status, its tables' values), tells them all what to read again. Notices
-- reach listeners in commit order, and a transaction's identical notices once, at commit.
create function search_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('ndp_search', coalesce(new.id, old.id)::text);
  return null;
end $$;
create trigger datasets_search_changed after insert or update or delete on datasets
  for each row execute function search_changed();

drop index datasets_search;
create index datasets_search on datasets using gin ((search_vector || data_vector));
`;
