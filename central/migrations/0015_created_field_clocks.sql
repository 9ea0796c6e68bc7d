-- Central store, schema 15: a record's field clocks (records.field_hlcs) as
-- created, every field at the row's own clock, are written "*N": the first N
-- fields of the entity's clock list (central/merge.hpp, clock_fields), 3
-- bytes for a member instead of 274, about a quarter of its row. Rows
-- written before keep their form and are read as they are. No table changes:
-- the step is here so that older programs, which would read "*25" as a field
-- of that name and every real field as never written, refuse the database.
UPDATE meta SET value = value WHERE key = 'database_id';
