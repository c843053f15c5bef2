export default `
-- Subject access records are known by their gateway and message id, which were already unique: the random
-- uuid beside them was never shown and cost every insert a third index, on random keys (issue 6, speed).
alter table exchange_access_records drop column id;
alter table exchange_access_records drop constraint exchange_access_records_gateway_id_message_id_key;
alter table exchange_access_records add primary key (gateway_id, message_id);
`;
