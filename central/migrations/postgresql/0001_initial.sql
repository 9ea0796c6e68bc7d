-- Central store on PostgreSQL, schema 1 (mirrors ../0001_initial.sql; BIGINT for INTEGER, no WITHOUT ROWID). Every record is kept as its encoded API v1 JSON
-- plus the HLC of the last write to each field, so merges are field by field.
-- seq is the monotonic change sequence pull walks: each write to a record
-- moves it to the next value, so a pull sees the latest state once.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

INSERT INTO meta (key, value) VALUES ('change_seq', '0'), ('hlc', '');

-- Codes are kept as SHA-256 hashes: the plain code is printed once and forgotten.
CREATE TABLE enrolment_codes (
  code_hash     TEXT PRIMARY KEY,
  office        TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  used_at       TEXT,
  device_id     TEXT
);

-- Only the SHA-256 of a device's bearer token is stored, never the token.
CREATE TABLE devices (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL DEFAULT '',
  office      TEXT NOT NULL DEFAULT '',
  app_version TEXT NOT NULL DEFAULT '',
  enrolled_at TEXT NOT NULL,
  revoked_at  TEXT
);

-- Members, events, attendance, catalogue packs and requests, one row each.
-- last_device is the device whose change the row holds verbatim ('' when the
-- server merged or wrote it): that device already has it and is not sent it.
CREATE TABLE records (
  entity      TEXT NOT NULL CHECK (entity IN ('member', 'event', 'attendance', 'pack', 'request')),
  id          TEXT NOT NULL,
  office      TEXT NOT NULL DEFAULT '',
  json        TEXT NOT NULL,
  field_hlcs  TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  seq         BIGINT NOT NULL UNIQUE,
  last_device TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (entity, id)
);

-- Every change id ever seen, with the hash of its payload and its result:
-- a change is applied at most once, and a replay gets the same answer.
CREATE TABLE applied_changes (
  change_id    TEXT PRIMARY KEY,
  payload_hash TEXT NOT NULL,
  device_id    TEXT NOT NULL,
  entity       TEXT NOT NULL,
  entity_id    TEXT NOT NULL,
  outcome      TEXT NOT NULL,
  result_json  TEXT NOT NULL,
  applied_at   TEXT NOT NULL
);
