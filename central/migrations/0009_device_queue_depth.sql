-- Central store, schema 9: the queue depth each device reports.
--
-- Portable SQL (mirrored for PostgreSQL). queue_depth is how many changes the
-- device's sync agent said were waiting to be acknowledged (API v1 header
-- X-Alliance-Queue-Depth, 0 to 10,000,000) in its last push or pull that
-- carried a valid one; queue_depth_at is when central recorded it (ISO-8601
-- UTC, to the 30 s to which last_contact_at is kept). Both stay NULL for a
-- device whose agent never reports one. Written by the push's or pull's own
-- device update (CentralStore::note_contact), never by a transaction of its own.
ALTER TABLE devices ADD COLUMN queue_depth INTEGER;
ALTER TABLE devices ADD COLUMN queue_depth_at TEXT;
