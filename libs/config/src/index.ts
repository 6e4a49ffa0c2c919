export {
  type ProcessName,
  type Setting,
  base64Key,
  flag,
  integer,
  integerList,
  list,
  oneOf,
  setting,
  text,
  url,
} from './setting';
export {
  LOG_FORMATS,
  LOG_LEVELS,
  SETTINGS,
  type LogFormat,
  type LogLevel,
  type SettingKey,
  type Settings,
} from './settings';
export {
  type DeprecatedName,
  type Environment,
  type ReadSettings,
  type SettingProblem,
  type SettingValues,
  deprecationWarning,
  formatProblems,
  readSettings,
} from './read-settings';
export { TABLE_END, TABLE_START, renderSettingsTable, withSettingsTable } from './settings-table';
