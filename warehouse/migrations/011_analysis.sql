-- For analysts: why a run failed, and the text of each quote and claim span from SQL.
-- Offsets in spans are 0-based Python offsets (code points) into articles.text, end
-- exclusive: text[start:end] in Python is substring(text, start + 1, end - start) in SQL.

ALTER TABLE runs ADD COLUMN error VARCHAR;   -- what stopped a failed run, in one line

CREATE MACRO span_text(text, span) AS substring(text, span[1] + 1, span[2] - span[1]);

CREATE VIEW quote_spans AS
SELECT quote_id, article_id, seq, part, span[1] AS start_offset, span[2] AS end_offset,
       span_text(text, span) AS span_text
FROM (
    SELECT q.quote_id, q.article_id, q.seq, a.text,
           unnest(q.spans) AS span, generate_subscripts(q.spans, 1) AS part
    FROM quotes q JOIN articles a USING (article_id)
);

CREATE VIEW claim_spans AS
SELECT claim_id, article_id, seq, part, span[1] AS start_offset, span[2] AS end_offset,
       span_text(text, span) AS span_text
FROM (
    SELECT c.claim_id, c.article_id, c.seq, a.text,
           unnest(c.spans) AS span, generate_subscripts(c.spans, 1) AS part
    FROM claims c JOIN articles a USING (article_id)
);
