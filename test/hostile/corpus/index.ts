// The whole hostile corpus, family by family (docs/reliability.md, "Hostile inputs").
import { EXPANSION_CASES } from './expansion';
import { GRAPHQL_CASES } from './graphql';
import type { HostileCase } from './hostile-case';
import { HTTP_CASES } from './http';
import { YAML_CASES } from './yaml';

export * from './hostile-case';

export const HOSTILE_FAMILIES: Record<HostileCase['family'], HostileCase[]> = {
  yaml: YAML_CASES,
  expansion: EXPANSION_CASES,
  graphql: GRAPHQL_CASES,
  http: HTTP_CASES,
};
