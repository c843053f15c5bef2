export default `
create table agencies (
  id uuid primary key,
  code text not null unique,
  slug text not null unique,
  name_vi text not null,
  name_en text,
  abbreviation text,
  kind text not null check (kind in ('ministry','ministerial_agency','government_agency','province','commune','other')),
  parent_id uuid references agencies(id),
  unit_code text,
  code_status text not null default 'provisional' check (code_status in ('attested','provisional')),
  website text,
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index agencies_parent on agencies(parent_id);
create index agencies_kind on agencies(kind);

create table users (
  id uuid primary key,
  email text not null unique,
  name text not null,
  password_hash text not null,
  is_platform_admin boolean not null default false,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

create table memberships (
  user_id uuid not null references users(id) on delete cascade,
  agency_id uuid not null references agencies(id),
  role text not null check (role in ('agency_admin','agency_editor','viewer')),
  created_at timestamptz not null default now(),
  primary key (user_id, agency_id)
);

create table sessions (
  id_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions(user_id);

create table api_tokens (
  id uuid primary key,
  user_id uuid not null references users(id) on delete cascade,
  agency_id uuid not null references agencies(id),
  role text not null check (role in ('agency_admin','agency_editor','viewer')),
  name text not null,
  prefix text not null,
  secret_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index api_tokens_user on api_tokens(user_id);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_user_id uuid,
  actor_token_id uuid,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  agency_id uuid,
  before jsonb,
  after jsonb
);
create index audit_entity on audit_log(entity_type, entity_id);
create index audit_agency on audit_log(agency_id, at);

-- Append-only: the audit trail cannot be edited or erased through SQL.
create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
`;
