// @netplay/jobs: the handlers of queued jobs, shared by the worker process and the API's embedded mode.
export {
  handleScenarioRun,
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
  GradingDispatch,
  startGradingConsumers,
  webhookPublisher,
  type GradingSources,
  type GradingConsumerOptions,
  type GradingConsumers,
  type GradingDispatchOptions,
  type WebhookPublish,
} from './grading-work';
export { OpenedResources } from './opened-resources';
export { openSecretCipher } from './secret-cipher';
export {
  readWebhookSettings,
  webhookSettingsFrom,
  WEBHOOK_SETTING_KEYS,
  type WebhookSettings,
} from './webhook-settings';
export {
  EnginePool,
  EngineBudgetExceededError,
  BUDGET_EXCEEDED_PREFIX,
  DEFAULT_ENGINE_BUDGET_MS,
  DEFAULT_ENGINE_THREAD_HEAP_MB,
  defaultEngineThreads,
  threadFileIn,
  type EnginePoolOptions,
  type EngineRunOptions,
} from './engine-pool/engine-pool';
export {
  runEngineTask,
  LoadedClusters,
  DEFAULT_MAX_RESULT_BYTES,
  RESULT_TOO_LARGE_PREFIX,
  SMALL_CLUSTER_MAX_OBJECTS,
  type EngineTask,
  type EngineAnswer,
  type AnswerOf,
  type ValidateTask,
  type ValidateAnswer,
  type ViewTask,
  type ViewAnswer,
  type ScenarioTask,
  type ScenarioAnswer,
  type ExerciseTask,
  type ExerciseAnswer,
} from './engine-pool/engine-tasks';
export {
  ScenarioEngine,
  ENGINE_CRASH_ERROR_PREFIX,
  MISSING_REVISION_ERROR,
  QUICK_RUN_MAX_STEPS,
  INLINE_MAX_TEXT_CHARS,
  type EngineTaskRunner,
  type ScenarioEngineOptions,
  type SimulatedRun,
} from './engine-pool/scenario-engine';
export { RunAnnouncer, RUN_COMPLETED } from './run-announcer';
export {
  DEFAULT_RETENTION_BATCH_SIZE,
  pruneExpired,
  retentionCutoffs,
  retryWindowMs,
  type PruneReport,
  type RetentionPolicy,
} from './prune-expired';
