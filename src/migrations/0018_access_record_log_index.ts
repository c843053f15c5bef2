export default `
-- A subject access record is one exchange in the provider gateway's evidence log: known by the gateway, the entry's
-- index in its log and the message id. The message id alone is chosen by the calling system (X-Road-Id), so a
-- second read of a person's data under an id used before was taken for a copy and dropped, and the person never saw
-- it; an index that only grows also keeps the key's index appended at its end instead of on random pages.
-- Records from before are numbered -1: a log's indexes start at 0.
alter table exchange_access_records add column log_index bigint not null default -1;
alter table exchange_access_records alter column log_index drop default;
alter table exchange_access_records drop constraint exchange_access_records_pkey;
alter table exchange_access_records add primary key (gateway_id, log_index, message_id);
`;
