-- Central store, schema 12: records.field_hlcs names a field whose clock is
-- the row's own hlc without repeating the clock (central/merge.hpp,
-- encode_clocks). Rows written before keep every clock spelled out and are
-- read as they are; no row is rewritten.
--
-- Portable SQL (mirrored for PostgreSQL). The step changes no table: it is
-- here so that a program of schema 11 or older, which would read the short
-- form as "no clock", refuses this database instead of merging against it.
UPDATE meta SET value = value WHERE key = 'database_id';
