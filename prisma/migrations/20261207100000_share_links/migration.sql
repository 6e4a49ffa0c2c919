-- Read-only share links: a token (stored hashed) that reads one sandbox revision until it expires
-- or is revoked. Additive.
-- CreateTable
CREATE TABLE "share_link" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "sandbox_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "share_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "share_link_token_hash_key" ON "share_link"("token_hash");

-- CreateIndex
CREATE INDEX "share_link_sandbox_id_idx" ON "share_link"("sandbox_id");

-- CreateIndex
CREATE INDEX "share_link_tenant_id_created_at_id_idx" ON "share_link"("tenant_id", "created_at", "id");

-- AddForeignKey
ALTER TABLE "share_link" ADD CONSTRAINT "share_link_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "share_link" ADD CONSTRAINT "share_link_sandbox_id_fkey" FOREIGN KEY ("sandbox_id") REFERENCES "sandbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;

