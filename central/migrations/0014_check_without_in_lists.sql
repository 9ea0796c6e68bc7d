-- Central store, schema 14: the entity checks of records and record_keys
-- are written as comparisons joined by OR instead of IN lists.
--
-- SQLite codes a CHECK's IN list of more than two values as a temporary
-- index that it builds for every row written (open, insert each value,
-- close): about a third of the CPU of an insert, inside the push's write
-- lock. The same test as comparisons costs nothing to speak of. The rules
-- are unchanged; SQLite cannot change a CHECK in place, so both tables are
-- rebuilt, rows copied as they are (a record's seq is still its rowid).
CREATE TABLE records_v14 (
  entity      TEXT NOT NULL CHECK (entity = 'member' OR entity = 'event' OR
                                   entity = 'attendance' OR entity = 'pack' OR
                                   entity = 'request'),
  id          TEXT NOT NULL,
  office      TEXT NOT NULL DEFAULT '',
  json        TEXT NOT NULL,
  field_hlcs  TEXT NOT NULL,
  hlc         TEXT NOT NULL,
  seq         INTEGER PRIMARY KEY NOT NULL,
  last_device TEXT NOT NULL DEFAULT '',
  UNIQUE (entity, id)
);
INSERT INTO records_v14 (entity, id, office, json, field_hlcs, hlc, seq, last_device)
  SELECT entity, id, office, json, field_hlcs, hlc, seq, last_device FROM records ORDER BY seq;
DROP TABLE records;
ALTER TABLE records_v14 RENAME TO records;

CREATE TABLE record_keys_v14 (
  entity    TEXT NOT NULL CHECK (entity = 'member' OR entity = 'attendance' OR
                                 entity = 'request'),
  id        TEXT NOT NULL,
  office    TEXT NOT NULL,
  hidden    INTEGER NOT NULL,
  day       TEXT NOT NULL,
  member_id TEXT NOT NULL,
  event_id  TEXT NOT NULL,
  status    TEXT NOT NULL,
  name_key  TEXT NOT NULL,
  phone     TEXT NOT NULL,
  email     TEXT NOT NULL,
  code_key  TEXT NOT NULL,
  country   TEXT NOT NULL,
  role      TEXT NOT NULL,
  PRIMARY KEY (entity, id)
);
INSERT INTO record_keys_v14 (entity, id, office, hidden, day, member_id, event_id, status,
                             name_key, phone, email, code_key, country, role)
  SELECT entity, id, office, hidden, day, member_id, event_id, status, name_key, phone, email,
         code_key, country, role
  FROM record_keys;
DROP TABLE record_keys;
ALTER TABLE record_keys_v14 RENAME TO record_keys;
CREATE INDEX record_keys_by_office_day ON record_keys (entity, office, day);
CREATE INDEX record_keys_by_office_name ON record_keys (entity, office, name_key);
CREATE INDEX record_keys_by_member ON record_keys (member_id, entity);
CREATE INDEX record_keys_by_phone ON record_keys (phone);
CREATE INDEX record_keys_by_email ON record_keys (email);
CREATE INDEX record_keys_by_code ON record_keys (code_key);
