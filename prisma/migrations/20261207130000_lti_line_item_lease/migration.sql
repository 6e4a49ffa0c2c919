-- The line item of a resource link launched with only the AGS container (`lineitems`): one row per
-- (tenant, platform, container, resource link), claimed with INSERT … ON CONFLICT DO NOTHING by the
-- launch that asks the platform, so concurrent first launches create one line item, not one each.
-- Additive.
-- CreateTable
CREATE TABLE "lti_line_item_lease" (
    "link_key" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "platform_id" UUID NOT NULL,
    "line_items_url" TEXT NOT NULL,
    "resource_link_id" TEXT NOT NULL,
    "holder" UUID NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "line_item_url" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lti_line_item_lease_pkey" PRIMARY KEY ("link_key")
);

-- CreateIndex
CREATE INDEX "lti_line_item_lease_updated_at_idx" ON "lti_line_item_lease"("updated_at");

-- AddForeignKey
ALTER TABLE "lti_line_item_lease" ADD CONSTRAINT "lti_line_item_lease_platform_id_fkey" FOREIGN KEY ("platform_id") REFERENCES "lti_platform"("id") ON DELETE CASCADE ON UPDATE CASCADE;
