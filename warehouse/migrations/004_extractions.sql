-- Which version of each extractor last ran over each article (also when it found nothing),
-- so that reprocess finds the articles an extractor upgrade has not reached yet.

CREATE TABLE article_extractions (
    article_id   VARCHAR NOT NULL,
    extractor    VARCHAR NOT NULL,   -- 'quotes', 'claims'
    version      VARCHAR NOT NULL,
    found        INTEGER NOT NULL,   -- rows it produced
    run_id       VARCHAR NOT NULL,
    extracted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, extractor)
);

INSERT INTO article_extractions
SELECT article_id, 'quotes', any_value(extractor_version), count(*), any_value(run_id), now()
FROM quotes GROUP BY article_id;
