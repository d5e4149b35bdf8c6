-- 001_geography.sql: the administrative tree, commune population, council
-- sizes per mandate, the party registry and a log of every import.
-- Portable SQL (SQLite and PostgreSQL): text codes, integer counts; centroids
-- are the only REAL values and never take part in any count or seat.

-- One table for every level: a unit's level is the length of its code / 2
-- (province 2 digits, district 4, commune 6, village 8), its parent the prefix.
CREATE TABLE area (
    code        TEXT PRIMARY KEY,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    parent      TEXT REFERENCES area(code),
    name_km     TEXT NOT NULL,
    name_latin  TEXT NOT NULL,
    name_ungegn TEXT NOT NULL DEFAULT '',
    unit_km     TEXT NOT NULL DEFAULT '',
    unit_latin  TEXT NOT NULL DEFAULT '',
    unit_en     TEXT NOT NULL DEFAULT '',
    iso3166_2   TEXT NOT NULL DEFAULT '',
    lat         REAL,
    lon         REAL,
    -- Latin names case-folded, and the Khmer name, for `khum geo show NAME`.
    search_key  TEXT NOT NULL,
    CHECK (length(code) = 2 * level),
    CHECK ((level = 1 AND parent IS NULL) OR (level > 1 AND parent IS NOT NULL))
);
CREATE INDEX area_parent ON area(parent);
CREATE INDEX area_level ON area(level);

-- Persons per commune and census year (2011: NIS commune database via ODC).
CREATE TABLE population (
    commune TEXT NOT NULL REFERENCES area(code),
    year    INTEGER NOT NULL,
    total   INTEGER NOT NULL CHECK (total >= 0),
    adults  INTEGER CHECK (adults >= 0),
    PRIMARY KEY (commune, year)
);

-- Seats of each commune council per mandate (1st mandate: 2002 ... 5th: 2022).
CREATE TABLE council_size (
    commune TEXT NOT NULL REFERENCES area(code),
    mandate INTEGER NOT NULL CHECK (mandate >= 1),
    seats   INTEGER NOT NULL CHECK (seats >= 1),
    PRIMARY KEY (commune, mandate)
);

CREATE TABLE party (
    id         TEXT PRIMARY KEY,
    abbr       TEXT NOT NULL,
    name_km    TEXT NOT NULL DEFAULT '',
    name_en    TEXT NOT NULL,
    colour     TEXT NOT NULL DEFAULT '',
    registered TEXT,
    dissolved  TEXT
);

-- Every accepted import: what, from where, the file's SHA-256, how many rows.
CREATE TABLE import_log (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
