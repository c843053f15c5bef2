export default `
-- A reviewer's sign-off that a table version may be published as open data although the
-- personal-data scan flagged some of its columns: who, when, why, and which columns.
create table privacy_signoffs (
  id uuid primary key,
  distribution_id uuid not null references distributions(id) on delete cascade,
  table_id uuid not null,
  columns jsonb not null,
  reason text not null,
  signed_by uuid references users(id),
  signed_at timestamptz not null default now()
);
create index privacy_signoffs_table on privacy_signoffs(table_id);
`;
