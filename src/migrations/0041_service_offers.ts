export default `
-- Proactive offers (issue 21): a register announces an event about a person (a birth registered, a business
-- registered); a deciding agency's rule turns each event of a kind, from one announcing agency, into an offer of
-- one of its procedures, which the person accepts on "my data" in one click.
create table service_offer_rules (
  id uuid primary key,
  -- the agency that decides the procedure offered, and whose administrators write the rule
  agency_id uuid not null references agencies(id),
  -- e.g. birth.registered, business.registered
  event_kind text not null,
  -- the agency whose register announces the event: another agency's announcement of the same kind is not taken
  from_agency_id uuid not null references agencies(id),
  procedure_id uuid not null references service_procedures(id),
  -- why the person gets the offer; {date} is the event's date, {key} a value of the event's data
  message_vi text not null,
  message_en text,
  -- how long an offer stays open
  offer_days integer not null default 90 check (offer_days between 1 and 365),
  active boolean not null default true,
  created_at timestamptz not null
);
create index service_offer_rules_event on service_offer_rules (from_agency_id, event_kind) where active;
create index service_offer_rules_agency on service_offer_rules (agency_id, created_at desc);

-- An event as announced: kept only when a rule took it. The person is the exchange's keyed hash of VN<CCCD>, never
-- the id number; an announcement repeated under the same id is recognised by (agency, external id).
create table service_events (
  id uuid primary key,
  agency_id uuid not null references agencies(id),
  external_id text not null,
  kind text not null,
  subject_hash text not null,
  -- a few small values (bounded by the API)
  data jsonb not null,
  occurred_at timestamptz not null,
  received_at timestamptz not null,
  unique (agency_id, external_id)
);
create index service_events_received on service_events (agency_id, received_at);

create table service_offers (
  id uuid primary key,
  event_id uuid not null references service_events(id),
  rule_id uuid not null references service_offer_rules(id),
  procedure_id uuid not null references service_procedures(id),
  subject_hash text not null,
  status text not null check (status in ('open', 'accepted', 'declined', 'expired')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  decided_at timestamptz,
  dossier_id uuid references service_dossiers(id),
  unique (event_id, rule_id)
);
create index service_offers_subject on service_offers (subject_hash, status);
create index service_offers_rule on service_offers (rule_id, status);
`;
