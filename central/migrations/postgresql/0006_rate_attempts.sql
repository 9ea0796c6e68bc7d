-- Central store on PostgreSQL, schema 6 (mirrors ../0006_rate_attempts.sql): sign-in
-- and enrolment attempts counted in the database, so every central process on
-- it enforces one shared limit. Rows live one window; keys are SHA-256 hashes.
CREATE TABLE rate_attempts (
  scope    TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  at_ms    BIGINT NOT NULL
);

CREATE INDEX rate_attempts_by_key ON rate_attempts (scope, key_hash, at_ms);
CREATE INDEX rate_attempts_by_time ON rate_attempts (scope, at_ms);
