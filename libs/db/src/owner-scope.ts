// Who a query runs for. A tenant's API key sees every row of the tenant; a learner session sees only
// the rows it owns (`owner_ref` = its learnerRef). Repositories take the scope instead of a bare
// tenant id, so the owner filter is applied where the rows are read and cannot be forgotten above.

export interface OwnerScope {
  tenantId: string;
  /** Present for a learner session: only rows with this owner are visible, and new rows get it. */
  ownerRef?: string;
}

/** A bare tenant id (workers, tenant keys) is the unfiltered scope. */
export function scopeOf(scope: OwnerScope | string): OwnerScope {
  return typeof scope === 'string' ? { tenantId: scope } : scope;
}

/** Prisma `where` fragment for tables with `tenant_id` and `owner_ref`. */
export function ownedBy(scope: OwnerScope): { tenantId: string; ownerRef?: string } {
  return scope.ownerRef === undefined
    ? { tenantId: scope.tenantId }
    : { tenantId: scope.tenantId, ownerRef: scope.ownerRef };
}
