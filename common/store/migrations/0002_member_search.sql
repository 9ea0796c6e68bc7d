-- Schema 2: member search that stays fast at 100,000 members.
-- Names are folded (lower case, Latin diacritics removed) by alliance_fold(),
-- a function every connection registers, so "jose" finds "José".
-- member_search is an FTS5 trigram index over the folded names, keyed by the
-- member's rowid, for substring search of three or more characters;
-- members.name_key holds the folded full name for prefix search of shorter
-- queries. The store keeps both in step with members in the same transaction.

ALTER TABLE members ADD COLUMN name_key TEXT NOT NULL DEFAULT '';

UPDATE members SET name_key = alliance_fold(
  CASE kind WHEN 'organisation' THEN organisation || ' ' || contact_person
            ELSE given_name || ' ' || family_name END);

CREATE INDEX members_name_key ON members (name_key);

CREATE VIRTUAL TABLE member_search USING fts5 (names, tokenize = 'trigram');

INSERT INTO member_search (rowid, names) SELECT rowid, name_key FROM members;
