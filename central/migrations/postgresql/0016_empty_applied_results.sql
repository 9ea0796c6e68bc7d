-- Central store on PostgreSQL, schema 16 (mirrors ../0016_empty_applied_results.sql):
-- a change applied as sent has an empty result_json; older programs must
-- refuse the database. No table changes.
UPDATE meta SET value = value WHERE key = 'database_id';
