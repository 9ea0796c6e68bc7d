-- Central store, schema 13: records and applied_changes become rowid tables.
--
-- Both were WITHOUT ROWID tables keyed by random ids, which SQLite advises
-- only for rows under about a twentieth of a page: a member's row is about a
-- kilobyte, so every insert landed at a random place in a tree of large
-- cells and split pages full of whole records. As rowid tables a new row is
-- appended and only a small unique index takes the random key. A record's
-- seq becomes its rowid: records lie in change order, as pulls read them.
-- Columns, names and constraints are as before; rows are copied as they are.
CREATE TABLE records_v13 (
  entity      TEXT NOT NULL CHECK (entity IN ('member', 'event', 'attendance', 'pack', 'request')),
  id          TEXT NOT NULL,
  office      TEXT NOT NULL DEFAULT '',
  json        TEXT NOT NULL,
  field_hlcs  TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  seq         INTEGER PRIMARY KEY NOT NULL,
  last_device TEXT NOT NULL DEFAULT '',
  UNIQUE (entity, id)
);
INSERT INTO records_v13 (entity, id, office, json, field_hlcs, hlc, seq, last_device)
  SELECT entity, id, office, json, field_hlcs, hlc, seq, last_device FROM records ORDER BY seq;
DROP TABLE records;
ALTER TABLE records_v13 RENAME TO records;

CREATE TABLE applied_changes_v13 (
  change_id      TEXT PRIMARY KEY NOT NULL,
  payload_hash   TEXT NOT NULL,
  device_id      TEXT NOT NULL,
  entity         TEXT NOT NULL,
  entity_id      TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  result_json    TEXT NOT NULL,
  applied_at     TEXT NOT NULL,
  changed_fields TEXT
);
INSERT INTO applied_changes_v13 (change_id, payload_hash, device_id, entity, entity_id, outcome,
                                 result_json, applied_at, changed_fields)
  SELECT change_id, payload_hash, device_id, entity, entity_id, outcome, result_json, applied_at,
         changed_fields
  FROM applied_changes;
DROP TABLE applied_changes;
ALTER TABLE applied_changes_v13 RENAME TO applied_changes;
CREATE INDEX applied_changes_by_entity ON applied_changes (entity, entity_id);
