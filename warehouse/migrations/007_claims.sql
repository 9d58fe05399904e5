-- Claims: attributed reported speech with source, cue, content and hedges.

CREATE TABLE claims (
    claim_id          VARCHAR PRIMARY KEY,   -- 16 hex of article id and content spans
    article_id        VARCHAR NOT NULL,
    seq               INTEGER NOT NULL,      -- order in the article, from 1
    content           VARCHAR NOT NULL,
    spans             INTEGER[][] NOT NULL,  -- [[start, end], ...] into articles.text
    source            VARCHAR,               -- resolved name: 'Donald Trump', 'Politico'
    source_mention    VARCHAR,               -- as written: 'he', 'two administration sources'
    source_span       INTEGER[],
    source_type       VARCHAR NOT NULL,      -- person, organisation, media, anonymous, none
    cue               VARCHAR,               -- 'claimed', 'according to', 'reported', ...
    cue_span          INTEGER[],
    hedge             VARCHAR,               -- 'reportedly', 'allegedly', ... or NULL
    negated           BOOLEAN NOT NULL,
    parent_seq        INTEGER,               -- seq of the claim this one is nested in
    extractor         VARCHAR NOT NULL,      -- 'claims'
    extractor_version VARCHAR NOT NULL,
    run_id            VARCHAR NOT NULL
);

CREATE INDEX claims_article ON claims (article_id);

CREATE VIEW sources AS
SELECT
    c.source,
    c.source_type,
    count(*) AS claims,
    count(DISTINCT c.article_id) AS articles,
    min(a.published_date) AS first_date,
    max(a.published_date) AS last_date
FROM claims c
JOIN articles a USING (article_id)
WHERE c.source IS NOT NULL AND a.duplicate_of IS NULL
GROUP BY c.source, c.source_type;
