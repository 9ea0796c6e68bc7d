-- Central store, schema 7: which fields each applied change wrote, and the
-- console's keys of members, check-ins and requests. changed_fields is for the
-- office console's history of edits (who, when, which fields).
--
-- changed_fields holds field names only, never values: the names of the
-- record's fields whose value the change won (the merge moved their clock),
-- joined by ','; '*' when the change created the record (every field); ''
-- when newer values from elsewhere won on every field it named. NULL for a
-- refused change and for changes applied before schema 7. The names come
-- from the server's own field list, never from the device's text.
ALTER TABLE applied_changes ADD COLUMN changed_fields TEXT;

-- One record's history: its applied changes, found by entity and id.
CREATE INDEX applied_changes_by_entity ON applied_changes (entity, entity_id);

-- The office console's keys of members, check-ins and requests: the fields
-- its pages count, filter and search by, written with every write of the
-- record (central/store/record_keys.cpp), rebuilt in C++ when meta
-- 'record_keys' names other rules (so this migration leaves it empty).
-- name_key is the kiosk's folded name (model::fold_for_search); code_key the
-- reference code without its dash; day a member's or request's creation day
-- or a check-in's day; hidden a voided record or a merge tombstone.
CREATE TABLE record_keys (
  entity    TEXT NOT NULL CHECK (entity IN ('member', 'attendance', 'request')),
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

-- Counts per day and office (dashboard), newest first.
CREATE INDEX record_keys_by_office_day ON record_keys (entity, office, day);
-- Members in name order, and names searched inside an office.
CREATE INDEX record_keys_by_office_name ON record_keys (entity, office, name_key);
-- One member's check-ins and requests (member page, event filter).
CREATE INDEX record_keys_by_member ON record_keys (member_id, entity);
-- Search by phone, e-mail and reference-code prefix, as on the kiosk.
CREATE INDEX record_keys_by_phone ON record_keys (phone);
CREATE INDEX record_keys_by_email ON record_keys (email);
CREATE INDEX record_keys_by_code ON record_keys (code_key);
