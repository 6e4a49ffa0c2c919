-- CreateEnum
CREATE TYPE "submission_mode" AS ENUM ('full', 'patch');

-- CreateEnum
CREATE TYPE "submission_status" AS ENUM ('queued', 'graded', 'failed');

-- CreateTable
CREATE TABLE "exercise" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "instructions" TEXT NOT NULL,
    "yaml" TEXT NOT NULL,
    "validated" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "exercise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "submission" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "learner_ref" TEXT NOT NULL,
    "manifests" TEXT NOT NULL,
    "mode" "submission_mode" NOT NULL,
    "status" "submission_status" NOT NULL DEFAULT 'queued',
    "score" DOUBLE PRECISION,
    "max_score" DOUBLE PRECISION,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_endpoint" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[],
    "secret_ciphertext" TEXT NOT NULL,
    "previous_secret_ciphertext" TEXT,
    "previous_expires_at" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),
    "disabled_reason" TEXT,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_event" (
    "id" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "dedupe_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status_code" INTEGER,
    "latency_ms" INTEGER NOT NULL,
    "error_class" TEXT,
    "response_excerpt" TEXT,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_event" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "exercise_tenant_id_created_at_id_idx" ON "exercise"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "exercise_tenant_id_slug_key" ON "exercise"("tenant_id", "slug");

-- CreateIndex
CREATE INDEX "submission_exercise_id_learner_ref_created_at_idx" ON "submission"("exercise_id", "learner_ref", "created_at");

-- CreateIndex
CREATE INDEX "submission_exercise_id_learner_ref_score_idx" ON "submission"("exercise_id", "learner_ref", "score");

-- CreateIndex
CREATE INDEX "submission_tenant_id_created_at_id_idx" ON "submission"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "webhook_endpoint_tenant_id_created_at_id_idx" ON "webhook_endpoint"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "webhook_event_tenant_id_created_at_id_idx" ON "webhook_event"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_event_tenant_id_dedupe_key_key" ON "webhook_event"("tenant_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_id_at_idx" ON "webhook_delivery"("endpoint_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_event_id_endpoint_id_attempt_key" ON "webhook_delivery"("event_id", "endpoint_id", "attempt");

-- CreateIndex
CREATE INDEX "tenant_event_tenant_id_created_at_id_idx" ON "tenant_event"("tenant_id", "created_at", "id");

-- AddForeignKey
ALTER TABLE "exercise" ADD CONSTRAINT "exercise_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "submission" ADD CONSTRAINT "submission_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercise"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_event" ADD CONSTRAINT "webhook_event_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "webhook_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_event" ADD CONSTRAINT "tenant_event_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

