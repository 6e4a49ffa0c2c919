// @netplay/jobs: the handlers of queued jobs, shared by the worker process and the API's embedded mode.
export {
  handleScenarioRun,
  ENGINE_CRASH_ERROR_PREFIX,
  MISSING_REVISION_ERROR,
  type ScenarioRunDeps,
  type ScenarioRunOutcome,
  type StoredScenarioResult,
} from './handle-scenario-run';
export {
  runCompletedData,
  runCompletedDedupeKey,
  runCompletedPublisher,
  type RunCompletedData,
  type RunCompletedPublisher,
} from './run-completed-event';
export { RevisionClusterCache, DEFAULT_REVISION_CACHE_SIZE } from './revision-cluster-cache';
export {
  scenarioRunInput,
  scenarioSteps,
  revisionManifests,
  formatIssues,
  CLUSTER_SETTINGS_FILE_NAME,
  MANIFESTS_FILE_NAME,
  type ScenarioRunInput,
  type StoredRevisionInput,
  type StoredRunInput,
} from './scenario-run-input';
export {
  handleSubmissionGrade,
  gradedEventData,
  EXERCISE_UNREADABLE_ERROR,
  type SubmissionGradeDeps,
  type SubmissionGradeOutcome,
} from './handle-submission-grade';
export {
  passBackSubmissionScore,
  isRetryablePassbackFailure,
  RetryableLtiPassbackError,
  LTI_PLATFORM_GONE_ERROR,
  LTI_NOT_GRADED_ERROR,
  type LtiScorePassbackDeps,
  type LtiScorePassbackResult,
} from './lti-score-passback';
export {
  openGradingRuntime,
  type GradingRuntime,
  type GradingRuntimeOptions,
} from './grading-runtime';
export {
  GradingDispatcher,
  DEFAULT_SUBMISSION_RECONCILE_INTERVAL_MS,
  type GradingDispatcherOptions,
} from './grading-dispatcher';
export {
  readWebhookSettings,
  RETRY_DELAYS_ENV,
  DISABLE_AFTER_ENV,
  type WebhookSettings,
} from './webhook-settings';
