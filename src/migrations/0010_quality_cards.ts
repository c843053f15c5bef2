export default `
-- The quality card of a data set (nine dimensions, overall score and grade) as it stood after each check
-- run: the card's history, and the source of the agency roll-up. Snapshots are evidence: never changed.
create table quality_cards (
  id uuid primary key,
  dataset_id uuid not null references datasets(id) on delete cascade,
  agency_id uuid not null references agencies(id),
  computed_at timestamptz not null default now(),
  overall numeric(4,1),
  grade text,
  dimensions jsonb not null,
  reason text not null check (reason in ('run', 'load', 'schedule', 'request'))
);
create index quality_cards_dataset on quality_cards(dataset_id, computed_at desc);
create index quality_cards_agency on quality_cards(agency_id, computed_at desc);
create trigger quality_cards_no_update before update on quality_cards
  for each row execute function quality_runs_immutable();
`;
