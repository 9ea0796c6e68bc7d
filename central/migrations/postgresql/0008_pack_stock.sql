-- Central store on PostgreSQL, schema 8 (mirrors ../0008_pack_stock.sql): stock of resource packs on hand per office.
--
-- Portable SQL (mirrored for PostgreSQL). A row exists once someone set the
-- stock of that pack for that office: without a row the pack is untracked,
-- and dispatching it changes nothing here. Dispatching a request takes its
-- packs off on_hand in the transaction that marks it dispatched, and is
-- refused when on_hand would fall below zero.
CREATE TABLE pack_stock (
  office     TEXT NOT NULL,
  pack_id    TEXT NOT NULL,
  on_hand    BIGINT NOT NULL CHECK (on_hand >= 0),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (office, pack_id)
);
