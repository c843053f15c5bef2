export default `
-- Requests for data that is not published (issue 20), under the Law on Access to Information 104/2016/QH13: asked
-- by a public user, answered by the agency that should hold it within 10 working days (Art. 28), once extendable
-- by 10 more. Public: the requester shows only by the display name they chose to show (null: "a citizen").
create table data_requests (
  id uuid primary key,
  public_user_id uuid not null references public_users(id),
  display_name text,
  title text not null,
  description text not null,
  purpose text not null,
  -- the agency answering now; null while the platform's administrators triage it
  agency_id uuid references agencies(id),
  status text not null check (status in ('triage', 'open', 'in_progress', 'published', 'refused', 'not_held')),
  created_at timestamptz not null,
  -- when the answering agency received it, and its deadline (null in triage): a redirect restarts both
  received_at timestamptz,
  due_at timestamptz,
  extension_reason text,
  answered_at timestamptz,
  answer text,
  legal_ground text,
  dataset_id uuid references datasets(id),
  votes integer not null default 0
);
create index data_requests_agency on data_requests (agency_id, created_at desc);
create index data_requests_status on data_requests (status, created_at desc);
create index data_requests_created on data_requests (created_at desc, id);

-- Each agency a request went to, with its own clock: the counts per agency (received, answered, in time, overdue)
-- are read from here, so a redirect leaves the first agency's "not held" answer counted and starts the next one's.
create table data_request_assignments (
  request_id uuid not null references data_requests(id) on delete cascade,
  agency_id uuid not null references agencies(id),
  received_at timestamptz not null,
  due_at timestamptz not null,
  answered_at timestamptz,
  outcome text check (outcome in ('published', 'refused', 'not_held')),
  answer text,
  primary key (request_id, agency_id, received_at)
);
create index data_request_assignments_agency on data_request_assignments (agency_id, received_at);

-- One "+1" per public user and request.
create table data_request_votes (
  request_id uuid not null references data_requests(id) on delete cascade,
  public_user_id uuid not null references public_users(id) on delete cascade,
  at timestamptz not null default now(),
  primary key (request_id, public_user_id)
);

-- Related data sets (same places, shared dictionary fields): the lookups the related query makes, indexed.
create index datasets_spatial on datasets using gin (spatial);
create index distributions_table_schema on distributions using gin (table_schema jsonb_path_ops);

-- A data set's public change history reads what the audit trail recorded of its files, those since removed too: the
-- data set a file's record names (an upload's "datasetId", a link's or removed file's "dataset_id").
create index audit_distribution_dataset on audit_log
  ((coalesce(after->>'datasetId', after->>'dataset_id', before->>'dataset_id'))) where entity_type = 'distribution';
`;
