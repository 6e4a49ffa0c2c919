-- Learner sessions (short-lived tokens a tenant hands a learner, stored hashed) and the owner of
-- sandboxes and submissions a learner session made (NULL: made with a tenant API key). Additive.
-- CreateEnum
CREATE TYPE "learner_role" AS ENUM ('learner', 'instructor');

-- AlterTable
ALTER TABLE "sandbox" ADD COLUMN     "owner_ref" TEXT;

-- AlterTable
ALTER TABLE "submission" ADD COLUMN     "owner_ref" TEXT;

-- CreateTable
CREATE TABLE "learner_session" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "learner_ref" TEXT NOT NULL,
    "role" "learner_role" NOT NULL DEFAULT 'learner',
    "exercise_id" UUID,
    "sandbox_id" UUID,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "learner_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "learner_session_token_hash_key" ON "learner_session"("token_hash");

-- CreateIndex
CREATE INDEX "learner_session_tenant_id_created_at_id_idx" ON "learner_session"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "sandbox_tenant_id_owner_ref_created_at_id_idx" ON "sandbox"("tenant_id", "owner_ref", "created_at", "id");

-- CreateIndex
CREATE INDEX "submission_tenant_id_owner_ref_created_at_id_idx" ON "submission"("tenant_id", "owner_ref", "created_at", "id");

-- AddForeignKey
ALTER TABLE "learner_session" ADD CONSTRAINT "learner_session_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

