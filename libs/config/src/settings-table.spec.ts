import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS } from './settings';
import { renderSettingsTable, TABLE_END, TABLE_START, withSettingsTable } from './settings-table';

const DOC = path.resolve(__dirname, '../../../docs/settings.md');

describe('the settings table in docs/settings.md', () => {
  it('is the table the schema generates (run npm run docs:settings after changing a setting)', () => {
    const committed = readFileSync(DOC, 'utf8');
    expect(committed).toEqual(withSettingsTable(committed));
  });

  it('has one row per setting, with its default as the code uses it', () => {
    const table = renderSettingsTable();
    expect(table.split('\n')).toHaveLength(Object.keys(SETTINGS).length + 2);
    expect(table).toContain(
      '| `NETPLAY_WORKER_CONCURRENCY` | `WORKER_CONCURRENCY` | `4` | worker |',
    );
  });

  it('refuses a document without the markers', () => {
    expect(() => withSettingsTable('# Settings\n')).toThrow(TABLE_START);
    expect(TABLE_END).toContain('end');
  });
});
