export default `
-- Work asked for once a period for the whole platform (the quality pass), whichever 'ndp serve' process asks first:
-- the period a queue last had its job in. pg-boss's own throttling forgets a job once it is archived (12 hours).
create table job_periods (
  queue text primary key,
  period_start timestamptz not null,
  asked_at timestamptz not null default now()
);
`;
