-- Entities: one row per person or organisation across articles, with the quotes and claims
-- that name it; speakers and sources grouped by entity, above a confidence threshold.

CREATE TABLE entities (
    entity_id   VARCHAR PRIMARY KEY,  -- 16 hex of the linking key: stable across runs
    name        VARCHAR NOT NULL,     -- the fullest name seen: 'Donald J. Trump'
    type        VARCHAR NOT NULL,     -- person, organisation, media
    key         VARCHAR NOT NULL,     -- the linking key: 'person:donald trump', 'org:fbi'
    aliases     VARCHAR[] NOT NULL,   -- every name it went by: 'Trump', 'Donald Trump', ...
    first_seen  DATE,                 -- the first and last article dates that name it
    last_seen   DATE,
    articles    INTEGER NOT NULL,
    quotes      INTEGER NOT NULL,
    claims      INTEGER NOT NULL,
    run_id      VARCHAR NOT NULL      -- the run that last changed it
);

ALTER TABLE quotes ADD COLUMN speaker_type VARCHAR;      -- person, organisation, media, anonymous, author, none
ALTER TABLE quotes ADD COLUMN confidence DOUBLE;         -- 0..1, how sure the attribution is
ALTER TABLE quotes ADD COLUMN speaker_entity_id VARCHAR; -- entities.entity_id, NULL when unnamed
ALTER TABLE claims ADD COLUMN confidence DOUBLE;
ALTER TABLE claims ADD COLUMN source_entity_id VARCHAR;

CREATE INDEX quotes_speaker_entity ON quotes (speaker_entity_id);
CREATE INDEX claims_source_entity ON claims (source_entity_id);

-- who is quoted: one row per entity, each story once (repeats of an article left out),
-- counting only quotes with confidence >= 0.5 (the documented default threshold)
CREATE OR REPLACE VIEW speakers AS
SELECT
    e.name AS speaker,
    e.entity_id,
    e.type AS speaker_type,
    count(*) AS quotes,
    count(DISTINCT q.article_id) AS articles,
    min(a.published_date) AS first_date,
    max(a.published_date) AS last_date
FROM quotes q
JOIN articles a USING (article_id)
JOIN entities e ON e.entity_id = q.speaker_entity_id
WHERE a.duplicate_of IS NULL AND q.confidence >= 0.5
GROUP BY e.name, e.entity_id, e.type;

-- who claims: one row per entity, the same rules
CREATE OR REPLACE VIEW sources AS
SELECT
    e.name AS source,
    e.entity_id,
    e.type AS source_type,
    count(*) AS claims,
    count(DISTINCT c.article_id) AS articles,
    min(a.published_date) AS first_date,
    max(a.published_date) AS last_date
FROM claims c
JOIN articles a USING (article_id)
JOIN entities e ON e.entity_id = c.source_entity_id
WHERE a.duplicate_of IS NULL AND c.confidence >= 0.5
GROUP BY e.name, e.entity_id, e.type;
