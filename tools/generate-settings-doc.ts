// `npm run docs:settings`: rewrites the settings table in docs/settings.md from libs/config.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSettingsTable } from '../libs/config/src';

const file = path.resolve(__dirname, '../docs/settings.md');
const before = readFileSync(file, 'utf8');
const after = withSettingsTable(before);
if (after === before) console.log('docs/settings.md is up to date');
else {
  writeFileSync(file, after);
  console.log('docs/settings.md: settings table rewritten');
}
