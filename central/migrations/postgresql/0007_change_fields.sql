-- Central store on PostgreSQL, schema 7 (mirrors ../0007_change_fields.sql):
-- which fields each applied change wrote, for the office console's history
-- of edits. Field names only, never values; '*' for a create, NULL for a
-- refused change and for changes applied before schema 7.
ALTER TABLE applied_changes ADD COLUMN changed_fields TEXT;

-- One record's history: its applied changes, found by entity and id.
CREATE INDEX applied_changes_by_entity ON applied_changes (entity, entity_id);
