-- AlterTable
ALTER TABLE "submission" ADD COLUMN     "lti_error" TEXT,
ADD COLUMN     "lti_line_item_url" TEXT,
ADD COLUMN     "lti_platform_id" UUID,
ADD COLUMN     "lti_status" TEXT,
ADD COLUMN     "lti_user_id" TEXT;

-- CreateTable
CREATE TABLE "lti_platform" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "token_url" TEXT NOT NULL,
    "deployment_id" TEXT,
    "key_id" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_ciphertext" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_platform_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lti_platform_tenant_id_created_at_id_idx" ON "lti_platform"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "lti_platform_tenant_id_issuer_client_id_key" ON "lti_platform"("tenant_id", "issuer", "client_id");

-- AddForeignKey
ALTER TABLE "submission" ADD CONSTRAINT "submission_lti_platform_id_fkey" FOREIGN KEY ("lti_platform_id") REFERENCES "lti_platform"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lti_platform" ADD CONSTRAINT "lti_platform_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

