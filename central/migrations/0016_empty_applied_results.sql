-- Central store, schema 16: a change applied as sent, with nothing to add
-- (no code, message, field errors or server record), has an empty
-- applied_changes.result_json; its outcome column already says "applied".
-- That is most rows, and its JSON was a quarter of each. Rows written
-- before keep their JSON and are read as they are. No table changes: the
-- step is here so that older programs, which cannot read an empty result,
-- refuse the database.
UPDATE meta SET value = value WHERE key = 'database_id';
