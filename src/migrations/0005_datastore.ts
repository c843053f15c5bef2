export default `
-- Tables published as typed data live in their own schema, one table per distribution version.
create schema if not exists datastore;

create table datastore_tables (
  id uuid primary key,
  distribution_id uuid not null references distributions(id) on delete cascade,
  version integer not null,
  table_name text not null unique,
  status text not null check (status in ('loading', 'ready', 'failed')),
  columns jsonb not null default '[]',
  row_count bigint not null default 0,
  rejected_count bigint not null default 0,
  report jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (distribution_id, version)
);
`;
