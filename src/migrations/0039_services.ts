export default `
-- Public-service procedures whose forms are prefilled from registers (issue 21). A procedure is published by the
-- agency that decides it; its form's fields are bound to elements of the shared dictionary or asked of the applicant.
create table service_procedures (
  id uuid primary key,
  -- the procedure's code in the national list of administrative procedures (e.g. 1.004873)
  code text not null unique,
  agency_id uuid not null references agencies(id),
  name_vi text not null,
  name_en text,
  description_vi text not null default '',
  description_en text,
  legal_basis text not null,
  -- working days the deciding agency has to answer
  processing_days integer not null check (processing_days between 0 and 365),
  status text not null check (status in ('draft', 'published', 'withdrawn')),
  -- [{ key, label_vi, label_en, element (dictionary id) | null, type, required, help_vi, help_en }]
  fields jsonb not null,
  -- what the agency issues: { kind: certificate | decision, title_vi, title_en, validity_days | null,
  --   fields: [{ key, label_vi, label_en, element | null, from (a form field's key) | null }] }
  result jsonb not null,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index service_procedures_agency on service_procedures (agency_id, status);

-- Who holds which fact: the one authoritative source of a dictionary element. A register's source is a database of
-- the register of databases served by an exchange service (a path template naming the person, a JSON pointer into
-- the answer); a result's source is a field of the signed result another procedure issues.
create table service_sources (
  element_id text primary key,
  agency_id uuid not null references agencies(id),
  kind text not null check (kind in ('register', 'result')),
  database_id uuid references database_registers(id),
  service text,
  path_template text,
  response_field text,
  procedure_id uuid references service_procedures(id),
  result_field text,
  updated_at timestamptz not null,
  check ((kind = 'register' and database_id is not null and service is not null and path_template is not null
          and response_field is not null and procedure_id is null)
      or (kind = 'result' and procedure_id is not null and result_field is not null and service is null))
);
create index service_sources_service on service_sources (service);

-- A deciding agency's service desk: the exchange client (a subsystem) and its gateway through which the platform
-- fetches facts for the agency's procedures; the client's API key sealed like the registry's keys.
create table service_desks (
  agency_id uuid primary key references agencies(id),
  client text not null,
  gateway_url text not null,
  api_key text not null,
  timeout_ms integer not null check (timeout_ms between 100 and 30000),
  updated_at timestamptz not null
);

-- One prefill: what the registers answered for one person and one procedure, field by field, so a dossier can say
-- honestly which values were reused (the submission must match what was fetched) and which were typed.
create table service_prefills (
  id uuid primary key,
  procedure_id uuid not null references service_procedures(id),
  procedure_version integer not null,
  public_user_id uuid not null references public_users(id),
  subject_hash text not null,
  -- { [field key]: { value, origin: register | result, source: {...}, at } | { problem: { code, vi, en } } }
  fields jsonb not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index service_prefills_user on service_prefills (public_user_id, created_at desc);

-- A submitted dossier: per field, the value, whether it was reused or typed and from where; handled by the deciding
-- agency's officers.
create table service_dossiers (
  id uuid primary key,
  reference text not null unique,
  procedure_id uuid not null references service_procedures(id),
  procedure_version integer not null,
  agency_id uuid not null references agencies(id),
  public_user_id uuid not null references public_users(id),
  subject_hash text not null,
  applicant_name text not null,
  prefill_id uuid references service_prefills(id),
  status text not null check (status in ('submitted', 'in_review', 'issued', 'rejected')),
  -- [{ key, element, value, origin: register | result | typed, disputed, source: {...} | null }]
  fields jsonb not null,
  reused integer not null,
  typed integer not null,
  submitted_at timestamptz not null,
  due_at timestamptz,
  decided_at timestamptz,
  decided_by uuid references users(id),
  decision_note text
);
create index service_dossiers_user on service_dossiers (public_user_id, submitted_at desc);
create index service_dossiers_agency on service_dossiers (agency_id, status, submitted_at desc);
create index service_dossiers_procedure on service_dossiers (procedure_id, submitted_at);
create index service_dossiers_subject on service_dossiers (subject_hash);
`;
