-- Placeholder for migration 0007, taken on main by another branch (lead: another).
-- Kept only so this branch's 0008 has its number; the lead drops this file and
-- keeps the real helper at merge.
SELECT 1;
-- Placeholder for migration 0007, taken on main by another branch (lead: ).
-- Kept only so this branch's 0008 has its number; the lead drops this file and
-- keeps the real  at merge.
SELECT 1;
