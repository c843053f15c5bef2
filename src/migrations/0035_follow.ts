export default `
-- Following and being told (issue 20). Public users follow a data set, an agency or a search; the catalog's changes
-- are written to an outbox (follow_events) after they commit, and a poller in every 'ndp serve' process fans each
-- event out to notifications, and each notification to its deliveries (e-mail, webhooks), each attempt logged.
-- Other parts' notices (reuses, discussion, data requests) enter at the notification step.
create table follows (
  id uuid primary key,
  public_user_id uuid not null references public_users(id) on delete cascade,
  target_kind text not null check (target_kind in ('dataset', 'agency', 'search')),
  -- the data set's or agency's id; for a search, its canonical query string (q and filters, sorted)
  target text not null,
  search jsonb,
  label text not null,
  created_at timestamptz not null default now(),
  unique (public_user_id, target_kind, target)
);
create index follows_target on follows (target_kind, target);

create table follow_prefs (
  public_user_id uuid primary key references public_users(id) on delete cascade,
  email boolean not null default true
);

create table follow_events (
  id uuid primary key,
  kind text not null check (kind in ('dataset.published', 'version.current', 'file.added')),
  dataset_id uuid not null,
  agency_id uuid not null,
  distribution_id uuid,
  version integer,
  slug text not null,
  title_vi text not null,
  title_en text,
  file_title text,
  occurred_at timestamptz not null default now(),
  claimed_until timestamptz,
  fanned_out_at timestamptz
);
create index follow_events_pending on follow_events (occurred_at) where fanned_out_at is null;
create index follow_events_dataset on follow_events (dataset_id, occurred_at desc);
create index follow_events_agency on follow_events (agency_id, occurred_at desc);

create table notifications (
  id uuid primary key,
  public_user_id uuid references public_users(id) on delete cascade,
  staff_user_id uuid references users(id) on delete cascade,
  event_id uuid references follow_events(id) on delete set null,
  kind text not null,
  subject_vi text not null,
  subject_en text not null,
  text_vi text not null,
  text_en text not null,
  link text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  check ((public_user_id is null) <> (staff_user_id is null))
);
create index notifications_public on notifications (public_user_id, created_at desc) where public_user_id is not null;
create index notifications_staff on notifications (staff_user_id, created_at desc) where staff_user_id is not null;
create unique index notifications_event_public on notifications (event_id, public_user_id) where event_id is not null;

-- a public user's or a staff member's; the secret signs every delivery (HMAC), so it is kept as given; it is shown
-- to its owner once, at creation
create table webhooks (
  id uuid primary key,
  public_user_id uuid references public_users(id) on delete cascade,
  staff_user_id uuid references users(id) on delete cascade,
  url text not null,
  secret text not null,
  created_at timestamptz not null default now(),
  check ((public_user_id is null) <> (staff_user_id is null))
);
create index webhooks_owner on webhooks (public_user_id);
create index webhooks_staff on webhooks (staff_user_id);

create table deliveries (
  id uuid primary key,
  notification_id uuid not null references notifications(id) on delete cascade,
  channel text not null check (channel in ('email', 'webhook')),
  webhook_id uuid references webhooks(id) on delete cascade,
  email_to text,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index deliveries_due on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_webhook on deliveries (webhook_id, created_at desc) where webhook_id is not null;

create table delivery_attempts (
  id bigint generated always as identity primary key,
  delivery_id uuid not null references deliveries(id) on delete cascade,
  at timestamptz not null,
  ok boolean not null,
  response_code integer,
  error text,
  duration_ms integer not null
);
create index delivery_attempts_delivery on delivery_attempts (delivery_id, at);
`;
