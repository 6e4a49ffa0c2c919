// First start of the embedded mode: a development tenant, an API key and the seeds' website
// sandbox, so `npm start` is immediately usable. Only the key's hash is in the database; the
// plaintext is kept next to the embedded database (a local development convenience, never in
// production mode) so later starts can print it again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findUp, type ApiConfig } from '../config/api-config';
import { publishBuiltinExercises } from '../exercises/builtin-exercises-seed';
import type { Infrastructure } from '../infra/infrastructure';

export const DEVELOPMENT_TENANT_NAME = 'development';
export const EXAMPLE_SANDBOX_NAME = 'website';
const KEY_FILE = 'development-api-key';

export interface DevelopmentData {
  apiKey: string;
  created: boolean;
}

export async function prepareDevelopmentData(
  infra: Infrastructure,
  config: Pick<ApiConfig, 'dataDir'> & { port?: number },
  print: (line: string) => void,
): Promise<DevelopmentData> {
  const keyFile = path.join(path.dirname(config.dataDir), KEY_FILE);
  const saved = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  if (saved && (await infra.apiKeys.authenticate(saved))) {
    printKey(print, saved, keyFile, config.port ?? 3000);
    return { apiKey: saved, created: false };
  }
  const tenant = await infra.tenants.create(DEVELOPMENT_TENANT_NAME);
  const { plaintext } = await infra.apiKeys.create(tenant.id, 'development');
  writeFileSync(keyFile, `${plaintext}\n`, { mode: 0o600 });
  const example = findUp(__dirname, 'examples/manifests/website.yaml');
  if (example) {
    const { sandbox } = await infra.sandboxes.create(tenant.id, {
      name: EXAMPLE_SANDBOX_NAME,
      description:
        "The seeds' website example: a 3-replica httpd Deployment behind a ClusterIP Service, and a busybox client",
      manifests: readFileSync(example, 'utf8'),
      clusterSettings: {},
    });
    print(`created the example sandbox "${EXAMPLE_SANDBOX_NAME}" (${sandbox.id})`);
  }
  const exercises = await publishBuiltinExercises(infra.database.prisma, tenant.id);
  if (exercises.length > 0) print(`published the shipped exercises: ${exercises.join(', ')}`);
  print(`created the development tenant ${tenant.id}`);
  printKey(print, plaintext, keyFile, config.port ?? 3000);
  return { apiKey: plaintext, created: true };
}

function printKey(print: (line: string) => void, key: string, keyFile: string, port: number): void {
  print(`development API key (also in ${keyFile}): ${key}`);
  print(`try: curl -H 'Authorization: Bearer ${key}' http://localhost:${port}/v1/sandboxes`);
}
