-- Central store on PostgreSQL, schema 12 (mirrors ../0012_compact_field_clocks.sql):
-- records.field_hlcs names a field whose clock is the row's own hlc without
-- repeating the clock. The step changes no table: it makes programs of
-- schema 11 or older refuse the database rather than read the short form as
-- "no clock".
UPDATE meta SET value = value WHERE key = 'database_id';
