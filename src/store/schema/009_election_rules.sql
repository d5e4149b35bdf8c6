-- 009_election_rules.sql: an election's rule set as data (docs/rule-sets.md):
-- a threshold (percent x 10,000, -1 none) with its base, the posts its
-- councils fill, and its tie chain in the old tie_rule column ("votes" and
-- "lots" stay as they were; a chain reads "fewer-votes>lots"). An election
-- may register its own lists (parties.csv: citizens' groups, coalitions):
-- they enter the party registry marked with the election that brought them,
-- and election_party keeps them as the election defined them, for its hash.

ALTER TABLE election ADD COLUMN threshold_e4 INTEGER NOT NULL DEFAULT -1;
ALTER TABLE election ADD COLUMN threshold_base TEXT NOT NULL DEFAULT 'valid';
ALTER TABLE election ADD COLUMN posts TEXT NOT NULL DEFAULT 'chief-deputies';
ALTER TABLE party ADD COLUMN election TEXT NOT NULL DEFAULT '';

CREATE TABLE election_party (
    election TEXT NOT NULL REFERENCES election(id),
    party    TEXT NOT NULL REFERENCES party(id),
    abbr     TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    name_km  TEXT NOT NULL DEFAULT '',
    colour   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (election, party)
);
