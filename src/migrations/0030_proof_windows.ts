export default `
-- Proof windows (issue 19): what the registry keeps of a provider gateway's evidence log to build, by itself, the
-- inclusion proof of any read a person sees. One row per window: the leaf hashes of entries [from_index, tree_size)
-- as one bytea (32 bytes each), the frontier at from_index (the roots of the complete subtrees covering the entries
-- before it, largest first) and the gateway's signed checkpoint of tree_size. Each was checked on receipt (the root
-- rebuilt from frontier and leaves is the checkpoint's; the checkpoint is signed by the gateway's registered key).
-- Windows hold at most 64 entries (gateways send 16): a proof costs as many hashes; storage is some 75 bytes an entry.
create table exchange_proof_windows (
  gateway_id uuid not null references exchange_gateways(id) on delete cascade,
  from_index bigint not null check (from_index >= 0),
  tree_size bigint not null,
  frontier bytea not null,
  leaves bytea not null,
  checkpoint text not null,
  received_at timestamptz not null default now(),
  primary key (gateway_id, from_index),
  check (tree_size > from_index)
);
-- the housekeeping works through windows by the hour they came, as it does through the records
create index exchange_proof_windows_received on exchange_proof_windows using brin (received_at);
`;
