-- Central store, schema 11: venue hubs (docs/ARCHITECTURE.md, "Venue hubs").
--
-- Portable SQL (mirrored for PostgreSQL). A relay device is a hub enrolled
-- with a relay code (enroll-code --relay): it forwards the changes of its own
-- desks, whose clocks carry the desks' nodes, not its own. relay_queue is the
-- hub's side: every change its desks push that it applies, as it arrived,
-- in arrival order, until alliance-central relay has had it answered
-- upstream (relayed_at, with upstream's outcome). Rows are kept, so a
-- restored upstream gets them all again under their original change ids.
-- The hub's upstream enrolment (URL, token, office) and pull cursor live in
-- meta ('relay_*' keys); changes are queued only once it has one.
ALTER TABLE devices ADD COLUMN relay INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enrolment_codes ADD COLUMN relay INTEGER NOT NULL DEFAULT 0;
CREATE TABLE relay_queue (
  position    INTEGER PRIMARY KEY,
  change_id   TEXT NOT NULL UNIQUE,
  change_json TEXT NOT NULL,
  relayed_at  TEXT,
  outcome     TEXT
);
CREATE INDEX relay_queue_waiting ON relay_queue (position) WHERE relayed_at IS NULL;
