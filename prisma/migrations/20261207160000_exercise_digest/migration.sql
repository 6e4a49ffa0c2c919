-- What every view of a published exercise needs (its points, the checks a learner may see, the
-- YAML a learner may read), computed once when it is published, so no read parses its YAML.
-- Additive: rows published before this stay NULL and get their digest on first read.
-- AlterTable
ALTER TABLE "exercise" ADD COLUMN "points" INTEGER,
ADD COLUMN "visible_checks" JSONB,
ADD COLUMN "learner_yaml" TEXT;
