-- 002_count.sql: elections and the count. An election defines its communes
-- (with seats), the lists contesting each commune and the polling stations.
-- Every keyed entry of every result form is kept for good; form_version holds
-- the state of each version (1 = the count, 2.. = corrections) and form_event
-- logs every transition, so nothing is ever overwritten without a trace.

CREATE TABLE election (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    poll_date  TEXT NOT NULL,
    mandate    INTEGER NOT NULL,
    method     TEXT NOT NULL,
    tie_rule   TEXT NOT NULL,
    synthetic  INTEGER NOT NULL DEFAULT 0,
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE election_commune (
    election TEXT NOT NULL REFERENCES election(id),
    commune  TEXT NOT NULL REFERENCES area(code),
    seats    INTEGER NOT NULL CHECK (seats >= 1),
    PRIMARY KEY (election, commune)
);

CREATE TABLE election_list (
    election  TEXT NOT NULL,
    commune   TEXT NOT NULL,
    party     TEXT NOT NULL REFERENCES party(id),
    ballot_no INTEGER NOT NULL,
    PRIMARY KEY (election, commune, party),
    FOREIGN KEY (election, commune) REFERENCES election_commune(election, commune)
);

CREATE TABLE station (
    election   TEXT NOT NULL,
    code       TEXT NOT NULL,
    commune    TEXT NOT NULL,
    registered INTEGER NOT NULL CHECK (registered >= 0),
    PRIMARY KEY (election, code),
    FOREIGN KEY (election, commune) REFERENCES election_commune(election, commune)
);
CREATE INDEX station_commune ON station(election, commune);

-- One keyed (or imported) form. slot: 1 first entry, 2 second, 0 bulk import.
CREATE TABLE form_entry (
    id           INTEGER PRIMARY KEY,
    election     TEXT NOT NULL,
    station      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    slot         INTEGER NOT NULL CHECK (slot IN (0, 1, 2)),
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    registered   INTEGER NOT NULL,
    received     INTEGER NOT NULL,
    ballots_cast INTEGER NOT NULL,
    spoiled      INTEGER NOT NULL,
    unused       INTEGER NOT NULL,
    valid        INTEGER NOT NULL,
    invalid      INTEGER NOT NULL,
    FOREIGN KEY (election, station) REFERENCES station(election, code)
);

CREATE TABLE form_entry_votes (
    entry INTEGER NOT NULL REFERENCES form_entry(id),
    party TEXT NOT NULL,
    votes INTEGER NOT NULL,
    PRIMARY KEY (entry, party)
);

CREATE TABLE form_version (
    election       TEXT NOT NULL,
    station        TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    state          TEXT NOT NULL,
    first_entry    INTEGER REFERENCES form_entry(id),
    second_entry   INTEGER REFERENCES form_entry(id),
    accepted_entry INTEGER REFERENCES form_entry(id),
    reason         TEXT NOT NULL DEFAULT '',
    reference      TEXT NOT NULL DEFAULT '',
    opened_by      TEXT NOT NULL,
    opened_at      TEXT NOT NULL,
    PRIMARY KEY (election, station, version),
    FOREIGN KEY (election, station) REFERENCES station(election, code)
);

CREATE TABLE form_event (
    id         INTEGER PRIMARY KEY,
    election   TEXT NOT NULL,
    station    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX form_event_station ON form_event(election, station);

-- Written explanations of warnings; printed on the official report.
CREATE TABLE form_explanation (
    election     TEXT NOT NULL,
    station      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    code         TEXT NOT NULL,
    text         TEXT NOT NULL,
    explained_by TEXT NOT NULL,
    explained_at TEXT NOT NULL,
    PRIMARY KEY (election, station, version, code)
);

-- Lots drawn by the commission for a commune: the seed, who, when.
CREATE TABLE commune_lots (
    election TEXT NOT NULL,
    commune  TEXT NOT NULL,
    seed     TEXT NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL,
    PRIMARY KEY (election, commune),
    FOREIGN KEY (election, commune) REFERENCES election_commune(election, commune)
);

-- Communes made official, and the totals they were made official with, for
-- every level they belong to (area '' is the nation).
CREATE TABLE commune_official (
    election    TEXT NOT NULL,
    commune     TEXT NOT NULL,
    official_by TEXT NOT NULL,
    official_at TEXT NOT NULL,
    PRIMARY KEY (election, commune),
    FOREIGN KEY (election, commune) REFERENCES election_commune(election, commune)
);

CREATE TABLE official_total (
    election TEXT NOT NULL,
    area     TEXT NOT NULL,
    field    TEXT NOT NULL,
    value    INTEGER NOT NULL,
    PRIMARY KEY (election, area, field)
);
