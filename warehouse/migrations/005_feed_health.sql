-- Feed health: validators for conditional GET, failures in a row, the next poll, and a log
-- of every fetch of every feed.

ALTER TABLE feeds ADD COLUMN etag VARCHAR;
ALTER TABLE feeds ADD COLUMN last_modified VARCHAR;
ALTER TABLE feeds ADD COLUMN body_hash VARCHAR;          -- SHA-256 of the last body read
ALTER TABLE feeds ADD COLUMN last_saved_by VARCHAR;      -- 'etag', 'last_modified', 'body_hash'
ALTER TABLE feeds ADD COLUMN consecutive_failures INTEGER DEFAULT 0;
ALTER TABLE feeds ADD COLUMN next_poll_at TIMESTAMPTZ;   -- not before: Cache-Control, Retry-After

CREATE TABLE feed_fetches (
    feed_id      VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    status       VARCHAR NOT NULL,   -- ok, not_modified, http_4xx, http_5xx, timeout, dns, tls,
                                     -- connect, too_large, parse_error, redirect_loop, ...
    http_status  INTEGER,
    saved_by     VARCHAR,            -- what made a fetch unnecessary, for not_modified
    entries      INTEGER,
    error        VARCHAR
);
