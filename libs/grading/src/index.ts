/**
 * Exercise grading, pure and deterministic like the engine: exercises and submissions in, grades
 * and validation issues out. The hosted worker loads the rows, calls gradeSubmission, stores the result.
 */
export * from './exercise-types';
export { readExercise } from './read-exercise';
export { composeManifests, type ComposedManifests } from './compose-manifests';
export { gradeSubmission, buildSubmissionCluster, type ClusterBuild } from './grade-submission';
export { learnerView } from './learner-view';
export { exerciseDigest, type ExerciseDigest } from './exercise-digest';
export { validateExercise } from './validate-exercise';
export { loadBuiltinExercises, type ExerciseFile } from './builtin-exercises';
