-- Schema 4: nothing stranded in the outbox (sync/README.md, "Rejected, held
-- and quarantined changes").
-- A change the server refused for a reason that can clear (its clock was
-- ahead, it was too large for the server's limit) stays 'pending' with the
-- reason in reject_code/reject_message and retry_at set: it is sent again
-- from then on. A change that cannot be read back, or whose answers never
-- match it, is 'quarantined'; staff resend or discard rejected and
-- quarantined changes ('discarded' keeps the row as the audit trail).
-- attempts counts the answers that sent a change back. The state check
-- grows, so the table is rebuilt with its rows, sequence and indexes.

CREATE TABLE outbox_v5 (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  change_id       TEXT NOT NULL UNIQUE,
  entity          TEXT NOT NULL,
  entity_id       TEXT NOT NULL,
  op              TEXT NOT NULL,
  hlc             TEXT NOT NULL,
  payload         TEXT NOT NULL,  -- the encoded API v1 Change, pushed verbatim
  created_at      TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'acked', 'rejected', 'quarantined', 'discarded')),
  outcome         TEXT NOT NULL DEFAULT '',  -- applied, duplicate, conflict, rejected
  reject_code     TEXT NOT NULL DEFAULT '',
  reject_message  TEXT NOT NULL DEFAULT '',
  resolved_at     TEXT NOT NULL DEFAULT '',
  attempts        INTEGER NOT NULL DEFAULT 0,
  retry_at        TEXT NOT NULL DEFAULT ''  -- pending: not sent before (ISO-8601 UTC); '': now
);

INSERT INTO outbox_v5 (seq, change_id, entity, entity_id, op, hlc, payload, created_at, state,
                       outcome, reject_code, reject_message, resolved_at)
  SELECT seq, change_id, entity, entity_id, op, hlc, payload, created_at, state, outcome,
         reject_code, reject_message, resolved_at
  FROM outbox ORDER BY seq;

DROP TABLE outbox;
ALTER TABLE outbox_v5 RENAME TO outbox;
CREATE INDEX outbox_state_seq ON outbox (state, seq);
CREATE INDEX outbox_entity ON outbox (entity_id, state);
