-- 005_votes_in_entry.sql: a form entry's votes per list move into the entry
-- row as a JSON object {"CPP":222,"CNRP":150} (keys sorted). A form is one
-- document; keeping its votes in its row halves the rows a national import
-- writes and a tabulation reads. SQL still reaches them:
--   SELECT e.station, v.key AS party, v.value AS votes
--   FROM form_entry e, json_each(e.votes) v;

ALTER TABLE form_entry ADD COLUMN votes TEXT NOT NULL DEFAULT '{}';

-- @sqlite
UPDATE form_entry SET votes = coalesce(
    (SELECT json_group_object(party, votes)
     FROM (SELECT party, votes FROM form_entry_votes w
           WHERE w.entry = form_entry.id ORDER BY party)), '{}');
-- @end
--pg UPDATE form_entry SET votes = coalesce(
--pg     (SELECT replace(json_object_agg(party, votes ORDER BY party)::text, ' ', '')
--pg      FROM form_entry_votes w WHERE w.entry = form_entry.id), '{}');

DROP TABLE form_entry_votes;
