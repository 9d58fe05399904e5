-- Article metadata with its provenance: where the title, the authors and the page's own date
-- were found ('json-ld', 'meta', 'html', 'htmldate', 'feed'), and the outlet's name.
-- published_date and date_source (feed, page, fetch, file) are unchanged: a feed's date still
-- wins; page_date keeps what the page itself says, whichever date won.

ALTER TABLE articles ADD COLUMN title_source VARCHAR;      -- 'json-ld', 'meta', 'html', 'feed'
ALTER TABLE articles ADD COLUMN authors_source VARCHAR;    -- 'json-ld', 'meta', 'html', 'feed'
ALTER TABLE articles ADD COLUMN site_name VARCHAR;         -- og:site_name, JSON-LD publisher
ALTER TABLE articles ADD COLUMN page_date DATE;            -- the page's own publication day
ALTER TABLE articles ADD COLUMN page_date_source VARCHAR;  -- 'json-ld', 'htmldate'
