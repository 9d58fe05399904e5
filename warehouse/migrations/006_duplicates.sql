-- Duplicates: one article stored once per canonical URL already; these mark texts that are
-- the same (exact) or nearly the same (near: simhash within a few bits) as an earlier article.

ALTER TABLE articles ADD COLUMN body_hash VARCHAR;      -- SHA-256 of the paragraphs, no date
ALTER TABLE articles ADD COLUMN simhash BIGINT;         -- 64-bit fingerprint of word shingles
ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR;   -- the earliest article it repeats
ALTER TABLE articles ADD COLUMN duplicate_kind VARCHAR; -- 'exact' or 'near'

-- who is quoted counts each story once: repeats of an article are left out
CREATE OR REPLACE VIEW speakers AS
SELECT
    q.speaker,
    count(*) AS quotes,
    count(DISTINCT q.article_id) AS articles,
    min(a.published_date) AS first_date,
    max(a.published_date) AS last_date
FROM quotes q
JOIN articles a USING (article_id)
WHERE q.speaker IS NOT NULL AND a.duplicate_of IS NULL
GROUP BY q.speaker;
