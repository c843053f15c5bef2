export default `
create table database_registers (
  id uuid primary key,
  agency_id uuid not null references agencies(id),
  name_vi text not null,
  name_en text,
  purpose text not null,
  scope text not null,
  content text not null,
  collection_mechanism text not null,
  update_mechanism text not null,
  data_sources text not null,
  legal_basis text not null,
  category text not null check (category in ('national','specialised','shared','master','big_data')),
  access_class text not null check (access_class in ('open','shared','private')),
  importance text not null check (importance in ('core','important','other')),
  status text not null check (status in ('planned','building','operating','retired')),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index database_registers_agency on database_registers(agency_id);

create table database_register_history (
  register_id uuid not null references database_registers(id),
  version integer not null,
  snapshot jsonb not null,
  changed_by uuid,
  changed_at timestamptz not null default now(),
  primary key (register_id, version)
);

create table datasets (
  id uuid primary key,
  slug text not null unique,
  agency_id uuid not null references agencies(id),
  database_id uuid references database_registers(id),
  title_vi text not null,
  title_en text,
  description_vi text not null,
  description_en text,
  keywords text[] not null default '{}',
  themes text[] not null default '{}',
  spatial text[] not null default '{}',
  provinces text[] not null default '{}',
  formats text[] not null default '{}',
  temporal_start date,
  temporal_end date,
  licence_id text references licences(id),
  access_rights text not null check (access_rights in ('public','restricted','non_public')),
  update_frequency text not null,
  contact_name text,
  contact_email text,
  status text not null check (status in ('draft','published','archived')),
  issued timestamptz,
  modified timestamptz not null default now(),
  created_at timestamptz not null default now(),
  search_vector tsvector not null default ''::tsvector,
  -- Title and keywords only: ranking on this short vector is several times
  -- cheaper than on search_vector, and titles are what relevance hinges on.
  rank_vector tsvector not null default ''::tsvector,
  -- Every facet value of the data set, as ids into facet_values, so that all
  -- facets are counted in one pass over integers (kept by a trigger).
  facet_ids integer[] not null default '{}'
);

-- 'kind:value' keys: a:agency id, t:theme, f:format, l:licence, k:keyword, p:province.
create table facet_values (
  id serial primary key,
  key text not null unique
);
create function datasets_facet_ids() returns trigger language plpgsql as $$
declare
  keys text[];
begin
  keys := array['a:' || new.agency_id::text]
    || case when new.licence_id is null then '{}'::text[] else array['l:' || new.licence_id] end
    || array(select 't:' || x from unnest(new.themes) x)
    || array(select 'f:' || x from unnest(new.formats) x)
    || array(select 'k:' || x from unnest(new.keywords) x)
    || array(select 'p:' || x from unnest(new.provinces) x);
  insert into facet_values (key) select distinct k from unnest(keys) k on conflict (key) do nothing;
  new.facet_ids := array(select v.id from facet_values v where v.key = any(keys) order by v.id);
  return new;
end $$;
create trigger datasets_facet_ids before insert or update on datasets
  for each row execute function datasets_facet_ids();

create index datasets_agency on datasets(agency_id);
create index datasets_search on datasets using gin(search_vector);
create index datasets_status_modified on datasets(status, modified desc);
create index datasets_keywords on datasets using gin(keywords);
create index datasets_themes on datasets using gin(themes);
create index datasets_provinces on datasets using gin(provinces);
create index datasets_formats on datasets using gin(formats);

create table distributions (
  id uuid primary key,
  dataset_id uuid not null references datasets(id) on delete cascade,
  position integer not null,
  title_vi text not null,
  title_en text,
  description text,
  kind text not null check (kind in ('file','link')),
  url text,
  storage_key text,
  file_name text,
  media_type text,
  format text,
  byte_size bigint,
  sha256 text,
  table_schema jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index distributions_dataset on distributions(dataset_id, position);

create table dictionary_fields (
  id text primary key,
  label_vi text not null,
  label_en text not null,
  description_vi text,
  description_en text,
  type text not null,
  format text,
  constraints jsonb not null default '{}',
  code_list text,
  agency_id uuid references agencies(id),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
`;
