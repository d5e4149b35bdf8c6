-- 008_area_any_country.sql: the geography of any country. An area's code is
-- 1 to 16 letters and digits (Portugal's parish 0302FA) and its parent is the
-- code its gazetteer file names, so the check that a code is 2 digits per
-- level (NCDD's convention) goes; a commune (a council) may sit directly
-- under its province. SQLite cannot drop a CHECK, so the table is rebuilt by
-- its documented procedure (https://sqlite.org/lang_altertable.html, "making
-- other kinds of table schema changes"): with foreign keys off, which the
-- marker below asks the migration runner for, since other tables refer to it.
-- @foreign-keys-off
-- @sqlite
CREATE TABLE area_new (
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
    search_key  TEXT NOT NULL,
    CHECK (length(code) BETWEEN 1 AND 16),
    CHECK ((level = 1 AND parent IS NULL) OR (level > 1 AND parent IS NOT NULL))
);
INSERT INTO area_new SELECT code, level, parent, name_km, name_latin, name_ungegn, unit_km,
    unit_latin, unit_en, iso3166_2, lat, lon, search_key FROM area;
DROP TABLE area;
ALTER TABLE area_new RENAME TO area;
CREATE INDEX area_parent ON area(parent);
CREATE INDEX area_level ON area(level);
-- @end
--pg DO $$ DECLARE c text; BEGIN FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'area'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%length(code)%' LOOP EXECUTE 'ALTER TABLE area DROP CONSTRAINT ' || quote_ident(c); END LOOP; END $$;
--pg ALTER TABLE area ADD CHECK (length(code) BETWEEN 1 AND 16);
