export default `
-- The internal CA is rotated with the configuration key: its successor is announced (trusted beside it),
-- then signs every gateway's certificate; the one before stays trusted until every gateway has the new ones.
alter table exchange_authority add column next_ca_key text;
alter table exchange_authority add column next_ca_certificate text;
alter table exchange_authority add column previous_ca_certificate text;
alter table exchange_authority add column switched_version bigint;
`;
