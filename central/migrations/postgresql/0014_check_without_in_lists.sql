-- Central store on PostgreSQL, schema 14 (mirrors ../0014_check_without_in_lists.sql):
-- SQLite's entity checks become comparisons joined by OR, because SQLite
-- builds an IN list's temporary index for every row written. PostgreSQL
-- tests an IN list of constants directly, so nothing changes here; the step
-- keeps both backends' versions alike.
UPDATE meta SET value = value WHERE key = 'database_id';
