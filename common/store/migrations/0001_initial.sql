-- Device store, schema 1: records, the transactional outbox, and sync state.
-- Records carry the id made on the device that created them (UUIDv7) and the
-- hybrid logical clock of their last change. origin says whether a record was
-- made here ('local') or pulled from the central API ('pulled').

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE members (
  id                 TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('individual', 'organisation')),
  reference_code     TEXT NOT NULL,
  given_name         TEXT NOT NULL DEFAULT '',
  family_name        TEXT NOT NULL DEFAULT '',
  gender             TEXT NOT NULL DEFAULT '',
  birth_year         INTEGER,
  contact_person     TEXT NOT NULL DEFAULT '',
  phone              TEXT NOT NULL DEFAULT '',
  email              TEXT NOT NULL DEFAULT '',
  country            TEXT NOT NULL DEFAULT '',
  region             TEXT NOT NULL DEFAULT '',
  organisation       TEXT NOT NULL DEFAULT '',
  organisation_type  TEXT NOT NULL DEFAULT '',
  role               TEXT NOT NULL DEFAULT '',
  years_experience   INTEGER,
  qualification      TEXT NOT NULL DEFAULT '',
  interest_groups    TEXT NOT NULL DEFAULT '',  -- codes separated by ','
  e_updates          INTEGER NOT NULL DEFAULT 0,
  preferred_language TEXT NOT NULL DEFAULT '',
  consent_given      INTEGER NOT NULL DEFAULT 0,
  consent_version    TEXT NOT NULL DEFAULT '',
  consent_at         TEXT NOT NULL DEFAULT '',
  event_id           TEXT NOT NULL DEFAULT '',
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  hlc                TEXT NOT NULL,
  voided             INTEGER NOT NULL DEFAULT 0,
  void_reason        TEXT NOT NULL DEFAULT '',
  origin             TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'pulled'))
);
CREATE INDEX members_reference_code ON members (reference_code);
CREATE INDEX members_phone ON members (phone) WHERE phone <> '';
CREATE INDEX members_email ON members (email) WHERE email <> '';
CREATE INDEX members_event_created ON members (event_id, created_at);

CREATE TABLE events (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('training', 'webinar')),
  name        TEXT NOT NULL,
  place       TEXT NOT NULL DEFAULT '',
  country     TEXT NOT NULL DEFAULT '',
  start_date  TEXT NOT NULL,
  end_date    TEXT NOT NULL,
  organiser   TEXT NOT NULL DEFAULT '',
  office      TEXT NOT NULL DEFAULT '',
  hlc         TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  voided      INTEGER NOT NULL DEFAULT 0,
  origin      TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'pulled'))
);

CREATE TABLE attendance (
  id             TEXT PRIMARY KEY,
  member_id      TEXT NOT NULL,
  event_id       TEXT NOT NULL,
  day            TEXT NOT NULL,
  checked_in_at  TEXT NOT NULL,
  hlc            TEXT NOT NULL,
  voided         INTEGER NOT NULL DEFAULT 0,
  origin         TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'pulled')),
  UNIQUE (member_id, event_id, day)
);
CREATE INDEX attendance_event_day ON attendance (event_id, day);

CREATE TABLE packs (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  languages   TEXT NOT NULL DEFAULT '',  -- codes separated by ','
  format      TEXT NOT NULL CHECK (format IN ('print', 'digital')),
  hlc         TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  retired     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE pack_stock (
  pack_id   TEXT NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
  office    TEXT NOT NULL,
  quantity  INTEGER NOT NULL CHECK (quantity >= 0),
  PRIMARY KEY (pack_id, office)
) WITHOUT ROWID;

CREATE TABLE requests (
  id                TEXT PRIMARY KEY,
  reference_code    TEXT NOT NULL,
  member_id         TEXT NOT NULL DEFAULT '',
  organisation_name TEXT NOT NULL DEFAULT '',
  contact_name      TEXT NOT NULL DEFAULT '',
  contact_phone     TEXT NOT NULL DEFAULT '',
  contact_email     TEXT NOT NULL DEFAULT '',
  delivery          TEXT NOT NULL CHECK (delivery IN ('pickup', 'delivery', 'digital_link')),
  delivery_address  TEXT NOT NULL DEFAULT '',
  office            TEXT NOT NULL DEFAULT '',
  event_id          TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'ready', 'dispatched',
                                                    'delivered', 'cancelled')),
  received_by       TEXT NOT NULL DEFAULT '',
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  hlc               TEXT NOT NULL,
  origin            TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'pulled'))
);
CREATE INDEX requests_office_status ON requests (office, status, created_at);
CREATE INDEX requests_reference_code ON requests (reference_code);

CREATE TABLE request_lines (
  request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  line_no     INTEGER NOT NULL,
  pack_id     TEXT NOT NULL,
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (request_id, line_no)
) WITHOUT ROWID;

CREATE TABLE request_transitions (
  request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  status      TEXT NOT NULL,
  actor       TEXT NOT NULL DEFAULT '',
  at          TEXT NOT NULL,
  PRIMARY KEY (request_id, seq)
) WITHOUT ROWID;

-- The transactional outbox: one row per change, written in the same
-- transaction as the record it changes. Acknowledged rows stay (state
-- 'acked') as the device's audit trail; rejected rows stay visible to staff.
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  change_id       TEXT NOT NULL UNIQUE,
  entity          TEXT NOT NULL,
  entity_id       TEXT NOT NULL,
  op              TEXT NOT NULL,
  hlc             TEXT NOT NULL,
  payload         TEXT NOT NULL,  -- the encoded API v1 Change, pushed verbatim
  created_at      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked', 'rejected')),
  outcome         TEXT NOT NULL DEFAULT '',  -- applied, duplicate, conflict, rejected
  reject_code     TEXT NOT NULL DEFAULT '',
  reject_message  TEXT NOT NULL DEFAULT '',
  resolved_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_state_seq ON outbox (state, seq);
CREATE INDEX outbox_entity ON outbox (entity_id, state);

-- Key/value state the agent owns: pull cursor, status it reports to the kiosk.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- "Sync now" is a row the kiosk writes and the agent marks handled.
CREATE TABLE sync_requests (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  requested_at  TEXT NOT NULL,
  handled_at    TEXT NOT NULL DEFAULT ''
);

-- A form in progress, so a power cut does not lose what a person typed.
CREATE TABLE drafts (
  form        TEXT PRIMARY KEY,
  payload     TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) WITHOUT ROWID;
