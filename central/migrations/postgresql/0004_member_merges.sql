-- Central store on PostgreSQL, schema 4 (mirrors ../0004_member_merges.sql): members merged by `alliance-central merge KEEP DROP`.
--
-- One person registered on two offline kiosks is two members; the merge keeps
-- one (keep_id) and makes the other (drop_id) a tombstone: its member record
-- gets merged_into = keep_id and is voided, which every device pulls. This
-- table answers "was this member merged, and into whom?" with one primary-key
-- read on every pushed change that names a member (an edit of drop, or a
-- check-in or request for it, is applied to keep), and records who merged
-- and when. A member merged into a member that is merged later is moved to
-- the new kept member, so keep_id is never itself a dropped member.
CREATE TABLE member_merges (
  drop_id   TEXT PRIMARY KEY,
  keep_id   TEXT NOT NULL,
  office    TEXT NOT NULL,
  merged_at TEXT NOT NULL,
  actor     TEXT NOT NULL
);

CREATE INDEX member_merges_by_keep ON member_merges (keep_id);
