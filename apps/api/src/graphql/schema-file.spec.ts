import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchemaFileText } from './schema-file';

describe('apps/api/schema.graphql', () => {
  it('is the schema the resolvers build (a drifted file fails: npm run openapi:dump)', async () => {
    const committed = readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8');
    const built = await buildSchemaFileText();
    expect(committed).toBe(built);
    // Traces and steps are typed, not the JSON scalar.
    expect(built).toMatch(/^ {2}steps: \[Step!\]!$/m);
    expect(built).toMatch(/^ {2}result: StepResult!$/m);
    expect(built).toContain(
      'union StepResult = DnsTrace | MutationStepResult | ProbeTrace | ViewStepResult',
    );
    expect(built).toMatch(/^ {2}node\(id: ID!\): Node$/m);
  }, 60_000);
});
