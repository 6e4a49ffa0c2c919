// `npm run openapi:dump`: writes the contract files, apps/api/openapi.json (the OpenAPI document
// the API serves, for SDK generation and linting) and apps/api/schema.graphql (the GraphQL schema);
// with `--check`, fails instead when a committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findUp } from '../config/api-config';
import { buildSchemaFileText } from '../graphql/schema-file';
import { buildOfflineOpenApiDocument, openApiFileText } from './offline-document';

async function main(): Promise<void> {
  const apiDir = path.dirname(
    findUp(__dirname, 'apps/api/jest.config.js') ?? 'apps/api/jest.config.js',
  );
  const files: [string, string][] = [
    [path.join(apiDir, 'openapi.json'), openApiFileText(await buildOfflineOpenApiDocument())],
    [path.join(apiDir, 'schema.graphql'), await buildSchemaFileText()],
  ];
  for (const [target, text] of files) {
    if (!process.argv.includes('--check')) {
      writeFileSync(target, text);
      process.stdout.write(`wrote ${target}\n`);
    } else if (readFileSync(target, 'utf8') !== text) {
      process.stderr.write(`${target} is out of date: run npm run openapi:dump and commit it\n`);
      process.exitCode = 1;
    }
  }
}

void main();
