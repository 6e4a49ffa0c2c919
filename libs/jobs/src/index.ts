// @netplay/jobs: the handlers of queued jobs, shared by the worker process and the API's embedded mode.
export {
  handleScenarioRun,
  ENGINE_CRASH_ERROR_PREFIX,
  MISSING_REVISION_ERROR,
  type ScenarioRunDeps,
  type ScenarioRunOutcome,
  type StoredScenarioResult,
} from './handle-scenario-run';
export { scenarioRunInput, formatIssues, CLUSTER_SETTINGS_FILE_NAME, MANIFESTS_FILE_NAME, type ScenarioRunInput, type StoredRunInput } from './scenario-run-input';
