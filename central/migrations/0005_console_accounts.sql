-- Central store, schema 5: the office console's accounts, sessions and audit log.
--
-- Portable SQL (mirrored for PostgreSQL): plain tables, TEXT and BIGINT,
-- no SQLite-only functions. Passwords are Argon2id strings from libsodium's
-- crypto_pwhash_str; a session is stored only as the SHA-256 of its cookie.
CREATE TABLE console_users (
  name          TEXT PRIMARY KEY,
  office        TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'viewer')),
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE console_sessions (
  token_hash    TEXT PRIMARY KEY,
  user_name     TEXT NOT NULL REFERENCES console_users (name) ON DELETE CASCADE,
  csrf_token    TEXT NOT NULL,
  created_ms    BIGINT NOT NULL,
  last_seen_ms  BIGINT NOT NULL
);

CREATE INDEX console_sessions_by_user ON console_sessions (user_name);

-- Who did what, when, from where, with the record before and after (JSON).
-- Login failures name the account typed, which may not exist.
CREATE TABLE console_audit (
  id             INTEGER PRIMARY KEY,
  at             TEXT NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  target         TEXT NOT NULL,
  client_address TEXT NOT NULL,
  before_json    TEXT NOT NULL,
  after_json     TEXT NOT NULL
);
