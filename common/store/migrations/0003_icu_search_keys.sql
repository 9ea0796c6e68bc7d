-- Schema 3: member search keys are made by ICU transforms (model::fold_for_search
-- in common/model/text.cpp) instead of the hand-written folding of schema 2.
-- Keys are derived data, and their rules and the ICU data behind them can change
-- without a schema change (a newer ICU romanises some names differently), so the
-- rebuild lives in C++: meta 'search_keys' names what made the stored keys, and
-- Store::refresh_search_keys, run whenever the store opens a file, recomputes
-- members.name_key and member_search when it differs. This migration marks the
-- keys of schema 2 as out of date; the version bump also keeps an older program,
-- which would write keys of the old kind, from opening the file.

DELETE FROM meta WHERE key = 'search_keys';
