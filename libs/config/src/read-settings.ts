// Reads a process's settings from an environment once: canonical names first, deprecated aliases
// second, each value validated by its schema. Problems and deprecations are returned as data; the
// process's entry point logs them and exits non-zero on a problem.
import type { z } from 'zod';
import { SETTINGS, type SettingKey, type Settings } from './settings';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface SettingProblem {
  /** The variable as it was set (an alias when the old name was used). */
  variable: string;
  message: string;
}

export interface DeprecatedName {
  used: string;
  replacement: string;
}

export type SettingValues<K extends SettingKey> = {
  [P in K]: z.output<Settings[P]['schema']>;
};

export interface ReadSettings<K extends SettingKey> {
  values: SettingValues<K>;
  problems: SettingProblem[];
  deprecated: DeprecatedName[];
}

export function readSettings<K extends SettingKey>(
  keys: readonly K[],
  env: Environment,
): ReadSettings<K> {
  const values: Partial<Record<SettingKey, unknown>> = {};
  const problems: SettingProblem[] = [];
  const deprecated: DeprecatedName[] = [];
  for (const key of keys) {
    const definition = SETTINGS[key];
    const found = lookup(definition.name, definition.aliases ?? [], env);
    if (found && found.variable !== definition.name)
      deprecated.push({ used: found.variable, replacement: definition.name });
    const result = (definition.schema as z.ZodType).safeParse(found?.raw);
    if (result.success) {
      values[key] = result.data;
      continue;
    }
    const variable = found?.variable ?? definition.name;
    const message = result.error.issues[0]?.message ?? 'is invalid';
    const secret = 'secret' in definition && definition.secret === true;
    problems.push({
      variable,
      message: found && !secret ? `${message}, got ${JSON.stringify(found.raw)}` : message,
    });
  }
  return { values: values as SettingValues<K>, problems, deprecated };
}

function lookup(
  name: string,
  aliases: readonly string[],
  env: Environment,
): { variable: string; raw: string } | undefined {
  for (const variable of [name, ...aliases]) {
    const raw = env[variable];
    // `FOO=` in a shell or a compose file means "not set", as it did before the schema.
    if (raw !== undefined && raw !== '') return { variable, raw };
  }
  return undefined;
}

/** One line naming every deprecated variable in use and its replacement, or undefined. */
export function deprecationWarning(deprecated: readonly DeprecatedName[]): string | undefined {
  if (deprecated.length === 0) return undefined;
  const pairs = deprecated.map((entry) => `${entry.used} → ${entry.replacement}`).join(', ');
  return `deprecated environment variable names (they still work; rename them): ${pairs}`;
}

/** `NAME: message` lines, one per problem. */
export function formatProblems(problems: readonly SettingProblem[]): string[] {
  return problems.map((problem) => `${problem.variable}: ${problem.message}`);
}
