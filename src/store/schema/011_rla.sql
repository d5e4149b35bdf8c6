-- 011_rla.sql: risk-limiting audits (docs/rla.md, issue 19). One audit per
-- election: its public seed (recorded, and logged, before anything is
-- drawn), risk limit and bundle size. Per council: the manifest frozen at
-- its first draw (station -> ballots cast on the official form), the rounds
-- drawn (each the sample's size so far), the sample in draw order with
-- where each ballot lies, and the board's readings, each ballot read by two
-- members. Only ever inserted: a draw or a reading is never rewritten.
CREATE TABLE rla_audit (
    election   TEXT PRIMARY KEY REFERENCES election(id),
    seed       TEXT NOT NULL,
    risk_limit TEXT NOT NULL,      -- as given ("0.05"): verify parses the same text
    bundle     INTEGER NOT NULL,
    opened_by  TEXT NOT NULL,
    opened_at  TEXT NOT NULL
);
CREATE TABLE rla_manifest (
    election TEXT NOT NULL REFERENCES rla_audit(election),
    commune  TEXT NOT NULL,
    station  TEXT NOT NULL,
    ballots  INTEGER NOT NULL CHECK (ballots >= 0),
    PRIMARY KEY (election, station)
);
CREATE TABLE rla_round (
    election TEXT NOT NULL REFERENCES rla_audit(election),
    commune  TEXT NOT NULL,
    round    INTEGER NOT NULL,
    ballots  INTEGER NOT NULL,     -- the sample's size after this round
    counter  INTEGER NOT NULL,     -- the last j of the stream read
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL,
    PRIMARY KEY (election, commune, round)
);
CREATE TABLE rla_sample (
    election TEXT NOT NULL REFERENCES rla_audit(election),
    commune  TEXT NOT NULL,
    seq      INTEGER NOT NULL,     -- 1, 2, ...: the order drawn, the order the tests read
    ballot   INTEGER NOT NULL,     -- its number in the council's manifest, from 0
    station  TEXT NOT NULL,
    bundle   INTEGER NOT NULL,
    position INTEGER NOT NULL,
    round    INTEGER NOT NULL,
    PRIMARY KEY (election, commune, seq),
    UNIQUE (election, commune, ballot)
);
CREATE TABLE rla_reading (
    id         INTEGER PRIMARY KEY,
    election   TEXT NOT NULL,
    commune    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    member     TEXT NOT NULL,
    reading    TEXT NOT NULL,      -- a list's party id, "blank" or "invalid"
    entered_at TEXT NOT NULL,
    UNIQUE (election, commune, seq, member),
    FOREIGN KEY (election, commune, seq) REFERENCES rla_sample(election, commune, seq)
);
