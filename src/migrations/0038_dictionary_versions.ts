export default `
-- Issue 20: the data dictionary's editor. dictionary_fields stays the approved, current state of each field (what the
-- schema picker, the public dictionary, the exchange's flags and the privacy gate read); every version and every
-- proposal is a row of dictionary_versions, kept for good.
alter table dictionary_fields add column unit text;
-- an inline code list: [{ "code": "1", "label_vi": "Nam", "label_en": "Male" }, ...]; code_list names a shared one
alter table dictionary_fields add column codes jsonb;
-- the field's words folded (no diacritics, lower case) for the public list's search; written by the service
alter table dictionary_fields add column folded text not null default '';
update dictionary_fields set folded = translate(lower(id || ' ' || label_vi || ' ' || label_en || ' ' ||
  coalesce(description_vi, '') || ' ' || coalesce(description_en, '')),
  'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ',
  'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd');

create table dictionary_versions (
  id uuid primary key default gen_random_uuid(),
  field_id text not null,
  -- the number the field took when this was approved; null while proposed or once rejected
  version integer,
  -- the approved version this changes; null: a new field
  base_version integer,
  state text not null check (state in ('proposed', 'approved', 'rejected')),
  -- the whole field as proposed (labels, definitions, type, format, unit, constraints, code lists, flag, owner)
  content jsonb not null,
  -- the properties that differ from the base version (all of them for a new field)
  changed text[] not null default '{}',
  -- who decides: the agency owning the field (for a change, its owner now), or null: platform admins
  owner_agency uuid references agencies(id),
  proposed_by uuid references users(id),
  proposed_agency uuid references agencies(id),
  proposed_at timestamptz not null default now(),
  decided_by uuid references users(id),
  decided_at timestamptz,
  comment text,
  unique (field_id, version)
);
create index dictionary_versions_field on dictionary_versions (field_id, proposed_at);
create index dictionary_versions_open on dictionary_versions (owner_agency) where state = 'proposed';

-- the fields there before: their current state is their first kept version
insert into dictionary_versions (field_id, version, state, content, changed, owner_agency, proposed_at, decided_at)
select id, version, 'approved',
  jsonb_build_object('label_vi', label_vi, 'label_en', label_en, 'description_vi', description_vi,
    'description_en', description_en, 'type', type, 'format', format, 'constraints', constraints,
    'unit', null, 'code_list', code_list, 'codes', null, 'agency_id', agency_id, 'personal_data', personal_data),
  '{}', agency_id, updated_at, updated_at
from dictionary_fields;
`;
