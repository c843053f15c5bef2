export default `
-- Public users: citizens who sign in with the national e-ID and reusers who sign up with an e-mail address. Kept
-- apart from staff accounts (users): their own sessions, cookie and lifetime, and never a role in an agency.
create table public_users (
  id uuid primary key,
  kind text not null check (kind in ('citizen','reuser')),
  name text not null,
  -- a reuser's verified address (lower case); citizens have none unless they add one later
  email text,
  disabled boolean not null default false,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz
);
create unique index public_users_email on public_users (email) where email is not null;

-- Who a citizen is at an OpenID provider: the issuer and the (pairwise) subject it gives this platform.
create table public_identities (
  issuer text not null,
  subject text not null,
  user_id uuid not null references public_users(id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  primary key (issuer, subject)
);
create index public_identities_user on public_identities (user_id);

-- The person's id number (CCCD) is never kept: only its keyed hashes under the exchange's subject keys in force
-- at the citizen's last sign-in that released it (the same hashes the exchange's access records carry).
create table public_user_subjects (
  user_id uuid not null references public_users(id) on delete cascade,
  subject_hash text not null,
  recorded_at timestamptz not null default now(),
  primary key (user_id, subject_hash)
);

-- Sessions of public users: their own table and cookie; level is the assurance of the sign-in (0 e-mail, 1 or 2 e-ID).
create table public_sessions (
  id_hash text primary key,
  user_id uuid not null references public_users(id) on delete cascade,
  csrf_token text not null,
  method text not null check (method in ('eid','email')),
  level smallint not null check (level between 0 and 2),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index public_sessions_user on public_sessions (user_id);
create index public_sessions_expiry on public_sessions (expires_at);

-- An OpenID sign-in under way (e-ID or staff SSO): state, nonce and PKCE verifier, found by the hash of the
-- browser's short-lived cookie and deleted when used, so a callback is honoured once and only in that browser.
create table sign_in_attempts (
  id_hash text primary key,
  provider text not null check (provider in ('eid','staff')),
  state text not null,
  nonce text not null,
  code_verifier text not null,
  level smallint not null,
  next text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sign_in_attempts_expiry on sign_in_attempts (expires_at);

-- Links sent by e-mail to sign up or sign in: only the hash of the token is kept; single use, short-lived.
create table email_links (
  token_hash text primary key,
  email text not null,
  name text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index email_links_email on email_links (email, created_at);
create index email_links_expiry on email_links (expires_at);
`;
