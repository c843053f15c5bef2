export default `
-- How far the registry's daily housekeeping has got in each table: it goes on from there an hour at a time, so a
-- day's run reads only the day that came due, not every old row again.
create table exchange_housekeeping_marks (
  name text primary key,
  done_before timestamptz not null
);
`;
