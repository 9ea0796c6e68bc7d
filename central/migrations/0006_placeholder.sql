-- Placeholder for migration 0006, taken on main by another branch (lead: lead).
-- Kept only so this branch's 0008 has its number; the lead drops this file and
-- keeps the real 0006 at merge.
SELECT 1;
