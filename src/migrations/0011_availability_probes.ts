export default `
-- Availability: each probe of a file's link (its download or access URL) as the platform made it, kept
-- for the quality card and the MQA accessibility indicators.
create table availability_probes (
  id uuid primary key,
  distribution_id uuid not null references distributions(id) on delete cascade,
  probed_at timestamptz not null default now(),
  url text not null,
  ok boolean not null,
  status integer,
  latency_ms integer,
  error text
);
create index availability_probes_distribution on availability_probes(distribution_id, probed_at desc);
`;
