// SQL that statements of more than one repository embed: the fan-out of a webhook event, learnt in
// the same round trip as the change that causes it (a run's completion) or on its own.

/**
 * A SQL expression: the array of ids of the enabled endpoints of tenant `tenantSql` subscribed to
 * event type `typeSql`, oldest first.
 */
export function subscriberIdsSql(tenantSql: string, typeSql: string): string {
  return `ARRAY(SELECT e.id FROM webhook_endpoint e WHERE e.tenant_id = ${tenantSql} AND e.disabled_at IS NULL AND ${typeSql}::text = ANY(e.event_types) ORDER BY e.created_at, e.id)`;
}
