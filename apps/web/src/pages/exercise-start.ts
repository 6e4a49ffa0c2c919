import { parse } from 'yaml';

export interface ExerciseStart {
  startingManifests: string;
  cluster: Record<string, unknown>;
}

/** The starting manifests and cluster settings from the exercise's YAML (docs/exercises.md). */
export function exerciseStart(yamlText: string): ExerciseStart {
  const document = parse(yamlText) as { spec?: { startingManifests?: unknown; cluster?: unknown } };
  const spec = document?.spec ?? {};
  return {
    startingManifests: typeof spec.startingManifests === 'string' ? spec.startingManifests : '',
    cluster:
      spec.cluster && typeof spec.cluster === 'object'
        ? (spec.cluster as Record<string, unknown>)
        : {},
  };
}
