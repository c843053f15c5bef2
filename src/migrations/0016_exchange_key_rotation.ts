export default `
-- Rotating the key that signs configurations without setting every gateway up again: the next key is
-- announced in configurations signed by the current one, and switched to once every gateway has it.
alter table exchange_authority add column next_signing_key text;
alter table exchange_authority add column next_announced_version bigint;
-- the configuration version each gateway last fetched: who has seen an announcement
alter table exchange_gateways add column config_version_fetched bigint;
`;
