-- Central store on PostgreSQL, schema 3 (mirrors ../0003_code_prefixes.sql): reference-code prefixes handed to devices.
--
-- Every reference code a device mints begins with a prefix from here
-- (common/util/reference_code.hpp), so codes of different devices never
-- collide. A prefix is handed out once and never again, even when its device
-- is revoked: codes already printed on cards stay unique. A device holds
-- one per enrolment, plus one per pull that asks for a new one (a device
-- enrolled before schema 3, or restored from a backup).
CREATE TABLE code_prefixes (
  prefix       TEXT PRIMARY KEY,
  device_id    TEXT NOT NULL REFERENCES devices (id),
  allocated_at TEXT NOT NULL
);

CREATE INDEX code_prefixes_by_device ON code_prefixes (device_id);
