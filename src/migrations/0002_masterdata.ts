export default `
create table admin_units (
  code text primary key,
  level text not null check (level in ('province','commune')),
  name text not null,
  name_en text,
  full_name text not null,
  full_name_en text,
  type_name text not null,
  type_name_en text,
  province_code text references admin_units(code),
  search_text text not null
);
create index admin_units_province on admin_units(province_code);

create table unit_crosswalk (
  old_code text not null,
  old_name text not null,
  old_level text not null check (old_level in ('province','district','commune')),
  old_province_code text,
  new_code text not null references admin_units(code),
  coverage text not null check (coverage in ('full','partial')),
  primary key (old_code, old_level, new_code)
);
create index unit_crosswalk_new on unit_crosswalk(new_code);

create table licences (
  id text primary key,
  title_vi text not null,
  title_en text not null,
  url text not null,
  is_open boolean not null
);

create table themes (
  id text primary key,
  vocabulary text not null check (vocabulary in ('eu','vn')),
  label_vi text not null,
  label_en text not null
);
`;
