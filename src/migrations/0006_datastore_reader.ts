export default `
-- The SQL API runs its queries as this role: it can read the loaded tables and nothing else,
-- so a query that slipped past the parser still could not touch accounts, catalog or files.
-- Roles belong to the whole server: create it once, whichever database migrates first.
do $$ begin
  create role ndp_datastore_reader nologin noinherit;
exception when duplicate_object or unique_violation then null;
end $$;
grant ndp_datastore_reader to current_user;
grant usage on schema datastore to ndp_datastore_reader;
grant select on all tables in schema datastore to ndp_datastore_reader;
alter default privileges in schema datastore grant select on tables to ndp_datastore_reader;
`;
