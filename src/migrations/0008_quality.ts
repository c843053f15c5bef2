export default `
-- Data quality: the check suite a publisher keeps for each file loaded as a table, and every run's
-- report. A report is evidence of the data's state at a time: it is never changed or removed.
create table quality_suites (
  distribution_id uuid primary key references distributions(id) on delete cascade,
  suite jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by uuid references users(id)
);

create table quality_runs (
  id uuid primary key,
  distribution_id uuid not null references distributions(id) on delete cascade,
  table_id uuid not null,
  table_version integer not null,
  suite jsonb not null,
  results jsonb not null,
  passed integer not null,
  failed integer not null,
  errors integer not null,
  created_at timestamptz not null default now(),
  created_by uuid references users(id)
);
create index quality_runs_distribution on quality_runs(distribution_id, created_at desc);

create function quality_runs_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'quality reports are immutable';
end $$;
create trigger quality_runs_no_update before update on quality_runs
  for each row execute function quality_runs_immutable();
`;
