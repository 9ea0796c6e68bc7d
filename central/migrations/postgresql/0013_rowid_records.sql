-- Central store on PostgreSQL, schema 13 (mirrors ../0013_rowid_records.sql):
-- SQLite's records and applied_changes become rowid tables there. PostgreSQL
-- tables are heaps with separate indexes already, so nothing changes here;
-- the step keeps both backends' versions alike.
UPDATE meta SET value = value WHERE key = 'database_id';
