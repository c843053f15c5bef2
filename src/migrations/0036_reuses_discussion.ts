export default `
-- Reuses (issue 20): an app, article, visualisation or model someone made from open data, linked to the data sets it
-- uses, as uData's reuses and CKAN's showcases. Submitted by a public user (citizen or reuser); the submitter edits or
-- withdraws it; the publisher of a linked data set or a platform administrator hides it with a reason. A withdrawn or
-- hidden reuse is kept (the audit trail names it) but shown in no list.
create table reuses (
  id uuid primary key,
  kind text not null check (kind in ('application', 'article', 'visualisation', 'model', 'other')),
  title text not null check (length(title) between 3 and 200),
  description text not null check (length(description) between 10 and 4000),
  url text not null check (length(url) <= 2000),
  image_url text check (length(image_url) <= 2000),
  public_user_id uuid not null references public_users(id),
  submitter_name text not null,
  status text not null default 'shown' check (status in ('shown', 'hidden', 'withdrawn')),
  hidden_reason text,
  hidden_by uuid references users(id),
  hidden_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index reuses_newest on reuses (created_at desc, id) where status = 'shown';
create index reuses_of_user on reuses (public_user_id, created_at);
create table reuse_datasets (
  reuse_id uuid not null references reuses(id) on delete cascade,
  dataset_id uuid not null references datasets(id) on delete cascade,
  primary key (reuse_id, dataset_id)
);
create index reuse_datasets_dataset on reuse_datasets (dataset_id, reuse_id);

-- Discussion: a question on a data set, asked by a public user, answered by the data set's publisher (an editor of its
-- agency). The agency is the publisher's when the question was asked, so a count stays with the agency asked. The
-- answer is due by answer_due (10 working days, as the Law on Access to Information gives for a request); the first
-- answer by the publisher sets answered_at, which the count of "answered in time" compares with answer_due.
create table dataset_questions (
  id uuid primary key,
  dataset_id uuid not null references datasets(id) on delete cascade,
  agency_id uuid not null references agencies(id),
  title text not null check (length(title) between 3 and 200),
  body text not null check (length(body) between 3 and 4000),
  public_user_id uuid not null references public_users(id),
  asker_name text not null,
  asked_at timestamptz not null,
  answer_due timestamptz not null,
  answered_at timestamptz
);
create index dataset_questions_dataset on dataset_questions (dataset_id, asked_at desc);
create index dataset_questions_agency on dataset_questions (agency_id, asked_at desc);
create index dataset_questions_of_user on dataset_questions (public_user_id, asked_at);
create table dataset_answers (
  id uuid primary key,
  question_id uuid not null references dataset_questions(id) on delete cascade,
  body text not null check (length(body) between 1 and 4000),
  user_id uuid not null references users(id),
  author_name text not null,
  answered_at timestamptz not null
);
create index dataset_answers_question on dataset_answers (question_id, answered_at);
`;
