-- Direct quotes with their speakers, and a view of who is quoted.

CREATE TABLE quotes (
    quote_id          VARCHAR PRIMARY KEY,   -- 16 hex of article id and spans
    article_id        VARCHAR NOT NULL,
    seq               INTEGER NOT NULL,      -- order in the article, from 1
    text              VARCHAR NOT NULL,      -- the quoted words, spans joined by a space
    spans             INTEGER[][] NOT NULL,  -- [[start, end], ...] into articles.text
    kind              VARCHAR NOT NULL,      -- 'direct' or 'mixed'
    speaker           VARCHAR,               -- resolved name: 'Volodymyr Zelenskyy'
    speaker_mention   VARCHAR,               -- as written: 'he', 'Zelenskyy', 'the president'
    speaker_span      INTEGER[],             -- [start, end] of the mention
    cue               VARCHAR,               -- 'said', 'wrote', 'according to', ...
    cue_span          INTEGER[],
    extractor         VARCHAR NOT NULL,      -- 'quotes'
    extractor_version VARCHAR NOT NULL,
    run_id            VARCHAR NOT NULL
);

CREATE INDEX quotes_article ON quotes (article_id);

CREATE VIEW speakers AS
SELECT
    q.speaker,
    count(*) AS quotes,
    count(DISTINCT q.article_id) AS articles,
    min(a.published_date) AS first_date,
    max(a.published_date) AS last_date
FROM quotes q
JOIN articles a USING (article_id)
WHERE q.speaker IS NOT NULL
GROUP BY q.speaker;
