export default `
-- The exchange registry (issue 6). Members are agencies (member class GOV, member code = the agency's
-- identifier code); each has subsystems (information systems), services with their OpenAPI document,
-- one active gateway, and grants from a client subsystem to a provider's service.
create sequence exchange_config_version;

create table exchange_authority (
  id integer primary key check (id = 1),
  -- Ed25519 key that signs configurations; P-256 key of the internal CA (a KMS or HSM in production)
  signing_key text not null,
  ca_key text not null,
  ca_certificate text not null,
  -- the key of the keyed hash that stands for a person in access records
  subject_key text not null,
  created_at timestamptz not null default now()
);

create table exchange_subsystems (
  id uuid primary key,
  agency_id uuid not null references agencies(id),
  code text not null,
  name text not null,
  created_at timestamptz not null default now(),
  unique (agency_id, code)
);

create table exchange_client_keys (
  id uuid primary key,
  subsystem_id uuid not null references exchange_subsystems(id) on delete cascade,
  key_hash text not null unique,
  label text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table exchange_services (
  id uuid primary key,
  subsystem_id uuid not null references exchange_subsystems(id) on delete cascade,
  code text not null,
  title text not null,
  base_url text not null,
  openapi jsonb not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (subsystem_id, code)
);

create table exchange_gateways (
  id uuid primary key,
  agency_id uuid not null references agencies(id),
  address text not null,
  signing_key text not null unique,
  tls_public_key text not null,
  certificate text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_seen_at timestamptz,
  last_report jsonb
);
create unique index exchange_gateways_active on exchange_gateways(agency_id) where revoked_at is null;

create table exchange_grants (
  id uuid primary key,
  client_subsystem_id uuid not null references exchange_subsystems(id) on delete cascade,
  service_id uuid not null references exchange_services(id) on delete cascade,
  endpoints jsonb not null default '[]',
  purposes text[] not null default '{}',
  legal_basis text,
  rate_per_second integer,
  daily_quota integer,
  expires_at timestamptz,
  status text not null check (status in ('requested','approved','rejected','revoked')),
  requested_by uuid references users(id),
  decided_by uuid references users(id),
  created_at timestamptz not null default now(),
  decided_at timestamptz
);
create index exchange_grants_service on exchange_grants(service_id);
create index exchange_grants_client on exchange_grants(client_subsystem_id);

-- Who read a person's data: written by the provider's gateway when a request names X-Road-UserId.
-- The person is kept as a keyed hash of their id; the key stays in the registry.
create table exchange_access_records (
  id uuid primary key,
  subject_hash text not null,
  at timestamptz not null,
  message_id text not null,
  client text not null,
  service text not null,
  purpose text,
  legal_basis text,
  status integer not null,
  gateway_id uuid not null references exchange_gateways(id),
  unique (gateway_id, message_id)
);
create index exchange_access_records_subject on exchange_access_records(subject_hash, at desc);

-- Signed checkpoints each gateway reported: an auditor's independent copy of every log's history.
create table exchange_checkpoints (
  gateway_id uuid not null references exchange_gateways(id),
  size bigint not null,
  note text not null,
  received_at timestamptz not null default now(),
  primary key (gateway_id, size)
);
`;
