export default `
-- Gateways' signed calls to the registry, each good for one use within its clock window: kept in the
-- database, so that several registry processes behind one address refuse a replay made to another.
create table exchange_seen_calls (
  gateway_id uuid not null,
  signature text not null,
  seen_at timestamptz not null default now(),
  primary key (gateway_id, signature)
);
create index exchange_seen_calls_seen_at on exchange_seen_calls(seen_at);
`;
