-- Sitemap dates get a date source of their own, and archive locations become relative to the
-- archive root for WARC backfills as they are for ingests. The value checks of every table
-- (newsetl.values) are added after the migrations, by warehouse/checks.py.

-- backfill-web stored the dates of sitemap entries as 'feed': a 'feed' date of an article no
-- feed ever carried, first stored by a backfill that read sitemaps, came from a sitemap
UPDATE articles SET date_source = 'sitemap'
WHERE date_source = 'feed'
  AND article_id NOT IN (SELECT article_id FROM article_feeds)
  AND first_run_id IN (
      SELECT run_id FROM runs
      WHERE flow = 'backfill'
        AND coalesce(json_array_length(parameters -> '$.sitemaps'), 0) > 0);

-- WARC backfills stored absolute paths. The archive root is a setting, unknown here: the
-- absolute paths are listed, and the first run that knows the root makes them relative
-- (warehouse.load.relocate_archive_files)
CREATE TABLE archive_files_to_relocate AS
SELECT DISTINCT warc_file AS absolute_path FROM articles
WHERE regexp_matches(warc_file, '^(/|[A-Za-z]:[\\/])');
