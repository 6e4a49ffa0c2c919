-- The origins allowed to frame the playground's embedded pages (/embed/<tenant>/...): the page's
-- Content-Security-Policy frame-ancestors. Empty: only the service's own origin may frame it.
ALTER TABLE "tenant" ADD COLUMN "embed_origins" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
