-- Traces are stored and served as the text the worker wrote: `json` keeps it as given, where `jsonb`
-- parsed it on the way in and re-serialised it on every read (docs/data.md).
-- AlterTable
ALTER TABLE "run_result" ALTER COLUMN "results" SET DATA TYPE JSON;
