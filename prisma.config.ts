// Prisma CLI configuration. `engine: "js"` makes `prisma migrate dev` use the WASM schema engine that
// ships inside the CLI, driven through a driver adapter, so no engine binary is downloaded (the
// binary host is unreachable from CI). New migrations are generated against a throwaway in-memory
// PGlite database: `migrate dev` replays the committed migrations into it and diffs the schema.
// Real Postgres and the embedded database are migrated by libs/db/src/migrate.ts (docs/data.md).
import { PGlite } from '@electric-sql/pglite';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { pgliteDevAdapter } from './prisma/pglite-dev-adapter';

// The schema's `url = env("DATABASE_URL")` must resolve for the CLI to read the schema at all, but every
// connection the CLI makes goes through the adapter below, so a placeholder is enough when none is set.
process.env.DATABASE_URL ??= 'postgresql://127.0.0.1/unused-by-the-prisma-cli';

// In memory, and one per CLI process: the CLI exits without closing PGlite, which leaves an on-disk
// PGlite folder unusable for the next command.
let devDatabase: PGlite | undefined;

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => pgliteDevAdapter((devDatabase ??= new PGlite())),
});
