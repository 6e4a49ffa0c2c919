import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIO } from './cli-io';
import type { ManifestFile } from './engine';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * FILE arguments as `kubectl apply -f` takes them: a file, a directory (its *.yaml, *.yml and
 * *.json files, sorted by name, not recursive) or `-` for standard input.
 */
export function readManifestFiles(
  paths: string[],
  io: CliIO,
): { files: ManifestFile[]; errors: string[] } {
  const files: ManifestFile[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push({ name: '<stdin>', content: io.readStdin() });
      continue;
    }
    const full = resolve(io.cwd, path);
    try {
      if (statSync(full).isDirectory()) {
        const entries = readdirSync(full)
          .filter((f) => MANIFEST_EXTENSIONS.some((ext) => f.endsWith(ext)))
          .sort();
        if (entries.length === 0)
          errors.push(`${path}: no .yaml, .yml or .json files in this directory`);
        for (const entry of entries)
          files.push({ name: join(path, entry), content: readFileSync(join(full, entry), 'utf8') });
      } else {
        files.push({ name: path, content: readFileSync(full, 'utf8') });
      }
    } catch (error) {
      errors.push(`${path}: cannot read (${describeFsError(error)})`);
    }
  }
  return { files, errors };
}

/** Reads one file, for the scenario file and its `path:` entries. */
export function readTextFile(path: string, io: CliIO): { content: string } | { error: string } {
  try {
    return { content: path === '-' ? io.readStdin() : readFileSync(resolve(io.cwd, path), 'utf8') };
  } catch (error) {
    return { error: `${path}: cannot read (${describeFsError(error)})` };
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? String(error);
}
