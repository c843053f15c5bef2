export default `
-- Names a place had before the pre-2025 list (01/03/2025) that real tables still carry, each with the pre-2025 code
-- of the unit it became part of: the name matcher (masterdata/place-names.ts) reads them beside the 2025 units and the
-- crosswalk's old units, so a column of names old or new maps to GSO codes. Only whole units are listed: a unit split
-- between several others has no single code and is not a former name of any of them.
create table unit_former_names (
  name text not null,
  level text not null check (level in ('province', 'commune')),
  old_code text not null,
  until date not null,
  source text not null,
  primary key (name, level)
);
insert into unit_former_names (name, level, old_code, until, source) values
  -- the whole of Hà Tây joined Hà Nội on 1 August 2008
  ('Tỉnh Hà Tây', 'province', '01', '2008-08-01',
   'Nghị quyết 15/2008/QH12 của Quốc hội về việc điều chỉnh địa giới hành chính thành phố Hà Nội và một số tỉnh có liên quan (29/05/2008)'),
  -- Thừa Thiên Huế became the centrally-run city of Huế (same code 46) on 1 January 2025
  ('Tỉnh Thừa Thiên Huế', 'province', '46', '2025-01-01',
   'Nghị quyết 175/2024/QH15 của Quốc hội về thành lập thành phố Huế trực thuộc trung ương (30/11/2024)');
`;
