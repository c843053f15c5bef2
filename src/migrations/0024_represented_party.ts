export default `
-- A read made for a represented party (X-Road-Represented-Party: a system acting on another's behalf, the answer
-- going on to that party) names the party in the person's record of who read their data: the data went to it too.
-- The party belongs to the record's context, as client and purpose do; contexts without one keep null.
alter table exchange_access_contexts add column represented_party text;
do $$
declare c text;
begin
  select conname into c from pg_constraint where conrelid = 'exchange_access_contexts'::regclass and contype = 'u';
  execute format('alter table exchange_access_contexts drop constraint %I', c);
end $$;
alter table exchange_access_contexts add constraint exchange_access_contexts_content_key
  unique nulls not distinct (client, service, purpose, legal_basis, represented_party);
`;
