export default `
-- The 2025 crosswalk is seeded from two sources that disagree on two new communes' codes. A row they disagree on is
-- kept, pointing at the unit of the register, and marked: disputed, with the code each source gives (the unit list's
-- first, then the merge list's), so no old commune is dropped and no reader takes a disputed code for settled.
alter table unit_crosswalk add column disputed boolean not null default false;
alter table unit_crosswalk add column candidates text[];
alter table unit_crosswalk add constraint unit_crosswalk_candidates
  check (disputed = (candidates is not null) and (candidates is null or cardinality(candidates) >= 2));
`;
