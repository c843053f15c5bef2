export default `
-- Every row a load rejected, with the reason and the row as it was in the file, so the publisher
-- can download them and fix the source. Kept with its table version; gone when the version goes.
create table datastore_rejections (
  table_id uuid not null references datastore_tables(id) on delete cascade,
  line bigint not null,
  column_name text not null,
  value text not null,
  reason_vi text not null,
  reason_en text not null,
  cells jsonb not null,
  primary key (table_id, line)
);
`;
