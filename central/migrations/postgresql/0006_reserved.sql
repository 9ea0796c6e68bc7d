-- Central store on PostgreSQL, schema 6 (mirrors ../0006_reserved.sql): a placeholder.
-- Schema 6 is reserved for the lead's change; the lead renumbers 0007 on merge.
SELECT 1;
