export default `
-- Issue 21: a prefill calls registers naming the person (X-Road-UserId "VN" + CCCD), so a level-2 e-ID session keeps
-- the id number for its own lifetime: sealed (AES-256-GCM) under a key derived (HKDF-SHA256) from the session's cookie
-- secret, which the server keeps only as a hash. A copy of the database opens nothing; the row goes with the session.
alter table public_sessions add column id_number_sealed text;
`;
