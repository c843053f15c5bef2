export default `
-- Issue 19: personal-data flags in the shared dictionary (Decree 356/2025/NĐ-CP Art. 3 basic, Art. 4 sensitive; the
-- codes in catalog/personal-data.ts), the dictionary fields an exchange service returns, and personal-data breaches.
alter table dictionary_fields add column personal_data text check (personal_data in (
  'name', 'birth_death', 'sex', 'places', 'nationality', 'image', 'identifiers', 'marital_status', 'family',
  'digital_account', 'other_basic',
  'racial_ethnic_origin', 'political_religious_views', 'health', 'genetic', 'biometric', 'sex_life', 'criminal',
  'financial', 'location', 'credentials', 'identity_document_image', 'online_behaviour', 'other_sensitive'));

-- the dictionary fields (ids) a service returns, as its provider declares them; a grant to a service returning a
-- sensitive one needs a legal basis and a purpose
alter table exchange_services add column fields text[] not null default '{}';

-- A personal-data breach an agency records (Law 91/2025/QH15; 72 hours from detection to notify the supervisor):
-- what happened, the affected services and the window in which they may have leaked what they returned. The
-- notification is drafted by the platform, edited by the agency, then sent (status 'notified'; kept as sent).
create table privacy_breaches (
  id uuid primary key,
  agency_id uuid not null references agencies(id),
  detected_at timestamptz not null,
  window_from timestamptz not null,
  window_until timestamptz not null,
  description text not null,
  service_ids uuid[] not null,
  notification_vi text not null,
  notification_en text not null,
  status text not null default 'draft' check (status in ('draft', 'notified')),
  notified_at timestamptz,
  notified_by uuid references users(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  check (window_until > window_from),
  check ((status = 'notified') = (notified_at is not null))
);
create index privacy_breaches_agency on privacy_breaches (agency_id, detected_at desc);
create index privacy_breaches_open on privacy_breaches (detected_at) where status = 'draft';
`;
