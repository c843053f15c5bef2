export default `
-- How often a data set's files were downloaded through the portal ("most used").
alter table datasets add column downloads bigint not null default 0;
create index datasets_downloads on datasets(downloads desc, modified desc, id) where status = 'published' and downloads > 0;
`;
