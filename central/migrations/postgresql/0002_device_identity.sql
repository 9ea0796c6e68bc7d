-- Central store on PostgreSQL, schema 2 (mirrors ../0002_device_identity.sql): each device's identity in the clock and what the
-- server last heard from it.
--
-- hlc_node is the node id in the HLC values of the device's changes (the
-- device store's own id). It is bound at enrolment, or by the first push of a
-- device enrolled before schema 2 (trust on first use), and every pushed
-- change must carry it. last_contact_* is the last authenticated push or
-- pull; clock_offset_ms is the device's clock minus the server's when it
-- last sent X-Alliance-Device-Time (NULL: never sent).
ALTER TABLE devices ADD COLUMN hlc_node TEXT;
ALTER TABLE devices ADD COLUMN last_contact_at TEXT;
ALTER TABLE devices ADD COLUMN last_contact_ms BIGINT;
ALTER TABLE devices ADD COLUMN clock_offset_ms BIGINT;

CREATE INDEX devices_by_hlc_node ON devices (hlc_node) WHERE hlc_node IS NOT NULL;
