export default `
-- The registry's subject key (the HMAC key persons' ids are kept under) can be rotated: the keys before it stay,
-- each with the time it stopped being used, so a person's older records are still found, until the housekeeping
-- has deleted every record made under one (past NDP_EXCHANGE_ACCESS_RECORD_DAYS) and drops the key with them.
alter table exchange_authority add column previous_subject_keys jsonb not null default '[]';
`;
