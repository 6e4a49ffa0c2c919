// The driver adapter `prisma migrate dev` uses (see prisma.config.ts): pglite-prisma-adapter 0.6 with
// two fixes the Prisma 6.19 WASM schema engine needs.
// - The engine replays committed migrations into the shadow database with one `executeRaw` call per
//   migration script and no parameters. PGlite's `query()` always prepares the statement and refuses
//   several commands ("cannot insert multiple commands into a prepared statement"), so parameterless
//   executeRaw runs through `exec()` (simple-query protocol), as node-postgres does for a query
//   without values.
// - `executeScript` of the adapter does not await PGlite, so a failing script went unnoticed.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { defineConfig } from 'prisma/config';

type PgliteAdapterFactory = InstanceType<typeof PrismaPGlite>;
type PgliteAdapter = Awaited<ReturnType<PgliteAdapterFactory['connect']>>;
type ConfigInput = Parameters<typeof defineConfig>[0];
type MigrationAdapterFactory = Awaited<
  ReturnType<NonNullable<Extract<ConfigInput, { engine: 'js' }>['adapter']>>
>;

function withScriptSupport(adapter: PgliteAdapter, db: PGlite): PgliteAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    const results = await db.exec(query.sql);
    return results.reduce((sum, result) => sum + (result.affectedRows ?? 0), 0);
  };
  adapter.executeScript = async (script) => {
    await db.exec(script);
  };
  return adapter;
}

/**
 * The cast bridges declared types only: the adapter is typed against driver-adapter-utils 6.10,
 * whose query argTypes were strings (6.19 passes objects), and it never reads argTypes.
 */
export function pgliteDevAdapter(db: PGlite): MigrationAdapterFactory {
  const factory = new PrismaPGlite(db);
  factory.connect = async () => withScriptSupport(await new PrismaPGlite(db).connect(), db);
  factory.connectToShadowDb = async () => {
    const shadow = new PGlite();
    return withScriptSupport(await new PrismaPGlite(shadow).connect(), shadow);
  };
  return factory as unknown as MigrationAdapterFactory;
}
