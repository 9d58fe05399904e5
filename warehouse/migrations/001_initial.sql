-- The first schema: runs, feeds, articles and the links between articles and feeds.

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,   -- uuid4 hex; every loaded row points here
    flow            VARCHAR NOT NULL,      -- 'ingest', 'backfill', ...
    started_at      TIMESTAMPTZ NOT NULL,
    ended_at        TIMESTAMPTZ,
    status          VARCHAR NOT NULL,      -- 'running', 'completed', 'failed', 'interrupted'
    parameters      JSON,
    counts          JSON,
    error_count     INTEGER DEFAULT 0,
    newsetl_version VARCHAR,
    pid             INTEGER
);

CREATE TABLE feeds (
    feed_id         VARCHAR PRIMARY KEY,   -- 16 hex of the URL as listed
    url             VARCHAR NOT NULL UNIQUE,
    name            VARCHAR,
    tags            VARCHAR[],
    title           VARCHAR,               -- as the feed document names itself
    site_url        VARCHAR,
    format          VARCHAR,               -- feedparser's version: rss20, atom10, ...
    first_run_id    VARCHAR,
    last_run_id     VARCHAR,
    last_fetched_at TIMESTAMPTZ,
    last_status     VARCHAR,               -- 'ok', 'error'
    last_error      VARCHAR,
    last_entries    INTEGER
);

CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY,   -- 16 hex of the canonical URL (or the file name)
    url             VARCHAR NOT NULL,      -- fetched URL, or the dated file's path
    canonical_url   VARCHAR,
    title           VARCHAR,
    authors         VARCHAR[],
    language        VARCHAR,
    published_at    TIMESTAMPTZ,
    published_date  DATE NOT NULL,
    date_source     VARCHAR NOT NULL,      -- 'feed', 'page', 'fetch', 'file'
    text            VARCHAR NOT NULL,      -- the dated-format content; offsets point into it
    content_hash    VARCHAR NOT NULL,
    word_count      INTEGER NOT NULL,
    source_kind     VARCHAR NOT NULL,      -- 'feed', 'file'
    extractor       VARCHAR NOT NULL,
    corpus_file     VARCHAR,               -- NNN_<id>.txt in the corpus folder, if written
    fetched_at      TIMESTAMPTZ,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,  -- when the text last changed
    first_run_id    VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL       -- the run that last wrote this row
);

CREATE TABLE article_feeds (
    article_id      VARCHAR NOT NULL,
    feed_id         VARCHAR NOT NULL,
    entry_guid      VARCHAR,
    entry_link      VARCHAR NOT NULL,
    entry_title     VARCHAR,
    entry_hash      VARCHAR,               -- what the feed said; a change triggers a re-fetch
    first_seen_at   TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ NOT NULL,
    run_id          VARCHAR NOT NULL,
    PRIMARY KEY (article_id, feed_id)
);

CREATE TABLE run_errors (
    run_id          VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,      -- 'feed', 'article', 'extract', 'file', ...
    input           VARCHAR NOT NULL,      -- the URL or file at fault
    error           VARCHAR NOT NULL,      -- the error's class name
    message         VARCHAR NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL
);
