export default `
-- The registry's daily housekeeping finds old subject access records and old reported checkpoints by time. Both
-- tables are written in time order, so a BRIN index (a few pages for millions of rows, next to nothing per insert)
-- is enough to find them without reading the tables whole.
create index exchange_access_records_at on exchange_access_records using brin (at);
create index exchange_checkpoints_received on exchange_checkpoints using brin (received_at);
`;
