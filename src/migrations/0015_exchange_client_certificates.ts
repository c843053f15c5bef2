export default `
-- Client certificates of agencies' own systems (the other way for a system to sign in to its gateway,
-- beside API keys): pinned by the SHA-256 of the certificate, as X-Road pins internal TLS certificates,
-- so a system may present a self-signed one. Revoked ones are kept, for the record.
create table exchange_client_certificates (
  id uuid primary key,
  subsystem_id uuid not null references exchange_subsystems(id) on delete cascade,
  fingerprint text not null,
  subject text not null,
  not_after timestamptz not null,
  label text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create unique index exchange_client_certificates_live on exchange_client_certificates(subsystem_id, fingerprint) where revoked_at is null;
`;
