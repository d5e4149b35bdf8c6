-- 003_council.sql: candidate lists and the mandate ledger. The ledger is
-- append-only: a mistaken event is undone by a later 'reverse' event that
-- names it; councils on any date are computed by replaying it.

CREATE TABLE person (
    id         TEXT PRIMARY KEY,
    name_latin TEXT NOT NULL DEFAULT '',
    name_km    TEXT NOT NULL DEFAULT '',
    sex        TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'F', 'M')),
    birth_year INTEGER
);

-- One ordered list per party per commune (LECC Art 52: at least 2 x seats names).
CREATE TABLE candidate (
    election TEXT NOT NULL,
    commune  TEXT NOT NULL,
    party    TEXT NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 1),
    person   TEXT NOT NULL REFERENCES person(id),
    PRIMARY KEY (election, commune, party, position),
    UNIQUE (election, person),
    FOREIGN KEY (election, commune, party) REFERENCES election_list(election, commune, party)
);

CREATE TABLE ledger_event (
    id             INTEGER PRIMARY KEY,
    election       TEXT NOT NULL REFERENCES election(id),
    effective_date TEXT NOT NULL,
    type           TEXT NOT NULL,
    commune        TEXT NOT NULL DEFAULT '',
    person         TEXT NOT NULL DEFAULT '',
    party          TEXT NOT NULL DEFAULT '',
    to_party       TEXT NOT NULL DEFAULT '',
    declining      TEXT NOT NULL DEFAULT '',   -- dissolution: parties declining seats, ';'
    reverses       INTEGER REFERENCES ledger_event(id),
    reference      TEXT NOT NULL DEFAULT '',
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX ledger_event_commune ON ledger_event(election, commune);
