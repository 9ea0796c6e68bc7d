-- Central store, schema 6: a placeholder in the console dashboard branch only.
-- Schema 6 is reserved for the lead's change; the lead renumbers 0007 on merge.
SELECT 1;
