-- Schema 5: members merged at central (`alliance-central merge KEEP DROP`).
-- A pulled member with merged_into set is a tombstone: the same person as the
-- member with that id, which took over its check-ins and requests. It is also
-- voided, so it is left out of search, lists, counts and duplicate checks like
-- any voided member; its reference code still finds the kept member (people
-- keep their old card), and check-ins and requests made for it here before
-- central's re-pointed records arrive are read as the kept member's.
ALTER TABLE members ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';

CREATE INDEX members_merged_into ON members (merged_into) WHERE merged_into <> '';
