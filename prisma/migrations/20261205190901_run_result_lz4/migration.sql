-- Traces are written once and read whole: compress them with lz4, several times cheaper than the
-- default pglz in both directions at a similar size. Servers built without lz4 (the embedded
-- PGlite database) keep pglz; every packaged PostgreSQL 14+ has it (docs/data.md).
DO $$
BEGIN
  ALTER TABLE "run_result" ALTER COLUMN "results" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: run_result keeps the default compression';
END $$;
