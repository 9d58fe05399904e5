-- Where each article's page lies in the raw archive, and which extractors a run used.

ALTER TABLE articles ADD COLUMN warc_file VARCHAR;     -- file name in the archive folder
ALTER TABLE articles ADD COLUMN warc_offset BIGINT;    -- byte offset of the response record
ALTER TABLE articles ADD COLUMN warc_length BIGINT;
ALTER TABLE runs ADD COLUMN extractors JSON;           -- {"article": "...", "quotes": "..."}
