export default `
-- Consent bound to the exchange (Law 91/2025/QH15 Art. 9-12; DEPA's consent artefact as the model). An agency's
-- system asks; the person approves or refuses in "my data"; silence is never consent (status stays 'requested'
-- until the request lapses). The person is kept as the registry's keyed hash (as access records are) and, for the
-- signed artefact, as a salted hash. A withdrawal takes a number from a sequence: gateways ask for those after the
-- last they know, every second, so a withdrawal is in force at the gateways within seconds.
create table privacy_consents (
  id uuid primary key,
  subject_hash text not null,
  artefact_subject jsonb not null,
  recipient_subsystem_id uuid not null references exchange_subsystems(id) on delete cascade,
  services jsonb not null,
  purpose text not null,
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  uses_per_day integer,
  retention_days integer not null,
  note text,
  status text not null check (status in ('requested', 'active', 'refused', 'withdrawn', 'lapsed')),
  requested_by uuid references users(id),
  requested_at timestamptz not null default now(),
  decided_at timestamptz,
  withdrawn_at timestamptz,
  withdrawn_seq bigint unique,
  check (valid_until > valid_from)
);
create index privacy_consents_subject on privacy_consents (subject_hash, requested_at desc);
create index privacy_consents_recipient on privacy_consents (recipient_subsystem_id, requested_at desc);
create sequence privacy_consent_withdrawals;

-- A grant's legal basis as a code (Law 91 Art. 9 consent, or a case of processing without it), beside the citation
-- it already kept: a grant whose basis is consent is enforced by the provider gateway on every call.
alter table exchange_grants add column basis text
  check (basis in ('consent', 'contract', 'legal_obligation', 'public_task', 'vital_interest', 'emergency'));

-- which consent an exchange relied on, when it relied on one
alter table exchange_access_records add column consent_id uuid;
`;
