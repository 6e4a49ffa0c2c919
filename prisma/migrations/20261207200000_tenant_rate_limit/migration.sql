-- A tenant's own work budget (cost points a minute and the burst), set by the operator for a
-- tenant that needs more (or less) than the deployment's NETPLAY_RATE_LIMIT_PER_MINUTE. NULL: the
-- deployment's default. Additive: every existing tenant keeps the default.
-- AlterTable
ALTER TABLE "tenant" ADD COLUMN "rate_limit_per_minute" INTEGER,
ADD COLUMN "rate_limit_burst" INTEGER;
ALTER TABLE "tenant" ADD CONSTRAINT "tenant_rate_limit_positive"
  CHECK (("rate_limit_per_minute" IS NULL OR "rate_limit_per_minute" > 0)
     AND ("rate_limit_burst" IS NULL OR "rate_limit_burst" > 0));
