export default `
-- Signed results of public-service procedures (issue 21). Each deciding agency signs its results with its own Ed25519
-- key, made the first time it issues one; a retired key signs no more but still verifies what it signed.
create table service_result_keys (
  kid text primary key,
  agency_id uuid not null references agencies(id),
  -- the public half as a JWK (published at /api/v1/services/result-keys)
  public_jwk jsonb not null,
  -- PKCS#8 PEM, sealed with the key-encryption key (platform/key-vault.ts)
  private_key text not null,
  created_at timestamptz not null,
  retired_at timestamptz
);
-- one signing key per agency at a time
create unique index service_result_keys_current on service_result_keys (agency_id) where retired_at is null;

-- The next readable number of an agency's results in a year (12/2026/GXN), taken in the issuing transaction.
create table service_result_counters (
  agency_id uuid not null references agencies(id),
  year integer not null,
  last integer not null,
  primary key (agency_id, year)
);

-- An issued result: the payload as signed and the compact JWS; kept as evidence later procedures reuse.
create table service_results (
  id uuid primary key,
  dossier_id uuid not null unique references service_dossiers(id),
  procedure_id uuid not null references service_procedures(id),
  agency_id uuid not null references agencies(id),
  public_user_id uuid not null references public_users(id),
  subject_hash text not null,
  number text not null,
  kid text not null references service_result_keys(kid),
  -- { iss, kid, id, number, procedure: { code, name }, title, subject, fields: [...], issued_at, valid_until }
  payload jsonb not null,
  jws text not null,
  issued_at timestamptz not null,
  issued_by uuid references users(id),
  valid_until timestamptz,
  revoked_at timestamptz,
  revoke_reason text,
  unique (agency_id, number)
);
create index service_results_subject on service_results (subject_hash, procedure_id, issued_at desc);
create index service_results_user on service_results (public_user_id, issued_at desc);
`;
