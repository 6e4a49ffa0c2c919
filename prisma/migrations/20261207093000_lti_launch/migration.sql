-- LTI 1.3 launches: the platform's auth and JWKS endpoints, its deployment ids, the learner-identity
-- setting and key rotation on the registration; single-use nonces; validated launches.
ALTER TABLE "lti_platform"
  ADD COLUMN "auth_url" TEXT,
  ADD COLUMN "platform_jwks_url" TEXT,
  ADD COLUMN "deployment_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
  ADD COLUMN "store_learner_identity" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "registered_by" TEXT NOT NULL DEFAULT 'manual',
  ADD COLUMN "previous_key_id" TEXT,
  ADD COLUMN "previous_public_jwk" JSONB,
  ADD COLUMN "previous_key_expires_at" TIMESTAMPTZ(3);

UPDATE "lti_platform" SET "deployment_ids" = ARRAY["deployment_id"] WHERE "deployment_id" IS NOT NULL;

CREATE TABLE "lti_nonce" (
    "platform_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "lti_nonce_pkey" PRIMARY KEY ("platform_id","nonce")
);
CREATE INDEX "lti_nonce_expires_at_idx" ON "lti_nonce"("expires_at");

CREATE TABLE "lti_launch" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "platform_id" UUID NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "message_type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "instructor" BOOLEAN NOT NULL DEFAULT false,
    "context_id" TEXT,
    "resource_link_id" TEXT,
    "exercise_id" UUID,
    "line_item_url" TEXT,
    "line_items_url" TEXT,
    "ags_scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "memberships_url" TEXT,
    "deep_link_return_url" TEXT,
    "deep_link_data" TEXT,
    "learner_session_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "lti_launch_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "lti_launch_tenant_id_platform_id_subject_idx" ON "lti_launch"("tenant_id", "platform_id", "subject");
CREATE INDEX "lti_launch_learner_session_id_idx" ON "lti_launch"("learner_session_id");
CREATE INDEX "lti_launch_tenant_id_exercise_id_created_at_idx" ON "lti_launch"("tenant_id", "exercise_id", "created_at");
ALTER TABLE "lti_launch" ADD CONSTRAINT "lti_launch_platform_id_fkey" FOREIGN KEY ("platform_id") REFERENCES "lti_platform"("id") ON DELETE CASCADE ON UPDATE CASCADE;
