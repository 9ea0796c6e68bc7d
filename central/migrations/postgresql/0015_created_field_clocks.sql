-- Central store on PostgreSQL, schema 15 (mirrors ../0015_created_field_clocks.sql):
-- field clocks of a record as created are written "*N"; older programs
-- must refuse the database. No table changes.
UPDATE meta SET value = value WHERE key = 'database_id';
