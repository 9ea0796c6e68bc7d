-- Central store, schema 7: which fields each applied change wrote, for the
-- office console's history of edits (who, when, which fields).
--
-- changed_fields holds field names only, never values: the names of the
-- record's fields whose value the change won (the merge moved their clock),
-- joined by ','; '*' when the change created the record (every field); ''
-- when newer values from elsewhere won on every field it named. NULL for a
-- refused change and for changes applied before schema 7. The names come
-- from the server's own field list, never from the device's text.
ALTER TABLE applied_changes ADD COLUMN changed_fields TEXT;

-- One record's history: its applied changes, found by entity and id.
CREATE INDEX applied_changes_by_entity ON applied_changes (entity, entity_id);
