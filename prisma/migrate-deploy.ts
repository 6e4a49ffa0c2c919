// `npm run db:migrate`: applies prisma/migrations to NETPLAY_DATABASE_URL (real Postgres) or,
// without it, to the embedded PGlite database in NETPLAY_DATA_DIR (default .data/pglite). See docs/data.md.
import { deprecationWarning, formatProblems, readSettings } from '../libs/config/src';
import { applyMigrationsTo } from '../libs/db/src/migrate-target';

async function main(): Promise<number> {
  const { values, problems, deprecated } = readSettings(['databaseUrl', 'dataDir'], process.env);
  for (const line of formatProblems(problems)) console.error(`error            ${line}`);
  if (problems.length > 0) return 2;
  const deprecation = deprecationWarning(deprecated);
  if (deprecation) console.warn(deprecation);
  const report = await applyMigrationsTo({
    databaseUrl: values.databaseUrl,
    dataDir: values.dataDir,
  });
  for (const name of report.alreadyApplied) console.log(`already applied  ${name}`);
  for (const name of report.applied) console.log(`applied          ${name}`);
  for (const problem of report.problems) console.error(`error            ${problem.message}`);
  if (report.problems.length > 0) return 1;
  console.log(
    report.applied.length === 0
      ? 'Database is up to date.'
      : `Applied ${report.applied.length} migration(s).`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
