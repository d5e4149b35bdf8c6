-- 007_ledger_lots.sql: lots drawn for what one ledger event (a party's
-- dissolution) does to one commune, when a tie in votes decides a
-- redistributed seat or a post (rules.md §3, §6): the seed, who, when. The
-- commune's consequences of the event wait for it; recorded once.
CREATE TABLE ledger_lots (
    election TEXT NOT NULL,
    event    INTEGER NOT NULL REFERENCES ledger_event(id),
    commune  TEXT NOT NULL,
    seed     TEXT NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL,
    PRIMARY KEY (election, event, commune),
    FOREIGN KEY (election, commune) REFERENCES election_commune(election, commune)
);
