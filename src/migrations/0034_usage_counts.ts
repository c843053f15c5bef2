export default `
-- Issue 20: how often data sets are viewed and their files downloaded (portal/counts). Daily figures only: no IP, no
-- User-Agent, no visitor hash is ever stored (visitors are told apart in memory, for one day). A row with no
-- distribution is the data set's page; a row with one is that file (its downloads, its table page's views).
-- Apart from the datasets row on purpose: a write there sends the search notice (migration 0033) to every process.
create table usage_daily (
  day date not null,
  dataset_id uuid not null references datasets(id) on delete cascade,
  distribution_id uuid references distributions(id) on delete cascade,
  views integer not null default 0 check (views >= 0),
  downloads integer not null default 0 check (downloads >= 0),
  constraint usage_daily_key unique nulls not distinct (day, dataset_id, distribution_id)
);
create index usage_daily_dataset on usage_daily (dataset_id, day);
create index usage_daily_distribution on usage_daily (distribution_id) where distribution_id is not null;
create index usage_daily_day on usage_daily (day);

-- The totals since counting began, kept in the same transaction as the days: sorts and rankings read one row per
-- data set and file rather than summing every day.
create table usage_totals (
  dataset_id uuid not null references datasets(id) on delete cascade,
  distribution_id uuid references distributions(id) on delete cascade,
  views bigint not null default 0 check (views >= 0),
  downloads bigint not null default 0 check (downloads >= 0),
  constraint usage_totals_key unique nulls not distinct (dataset_id, distribution_id)
);
create index usage_totals_distribution on usage_totals (distribution_id) where distribution_id is not null;
`;
