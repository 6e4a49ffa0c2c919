/**
 * The public REST API's shapes as the page reads them (docs/api.md, docs/exercises.md). The client
 * (./client.ts) gets them through `@netplay/sdk`; where the OpenAPI document is looser than the page
 * needs (traces and grades are the engine's and the grading library's own objects), the engine's
 * and the grading library's types name them. Shapes the page takes as the document states them
 * are the SDK's.
 */
import type { EngineIssue, ProbeTrace, DnsTrace } from '@netplay/engine';
import type { LearnerGradeView } from '@netplay/grading';
import type { Schemas } from '@netplay/sdk';

export type { CheckResult } from '@netplay/grading';

export type ClusterSettings = Record<string, unknown>;

export interface Sandbox {
  id: string;
  name: string;
  description: string | null;
  manifests: string;
  clusterSettings: ClusterSettings;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SandboxWrite {
  sandbox: Sandbox;
  warnings: EngineIssue[];
}

export interface SandboxRevisionSummary {
  version: number;
  clusterSettings: ClusterSettings;
  createdAt: string;
}

export interface SandboxRevision extends SandboxRevisionSummary {
  manifests: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RunStepResult {
  index: number;
  name: string;
  kind: string;
  result: ProbeTrace | DnsTrace | { kind: string };
}

export interface Run {
  id: string;
  status: RunStatus;
  sandboxId: string;
  sandboxVersion: number;
  error: string | null;
  result: { issues: EngineIssue[]; steps: RunStepResult[] } | null;
}

export interface ExerciseCheckSummary {
  id: string;
  title: string;
  points: number;
}

export interface Exercise {
  id: string;
  slug: string;
  title: string;
  instructions: string;
  yaml: string;
  validated: boolean;
  checks: ExerciseCheckSummary[];
}

/**
 * A graded submission as `GET /v1/submissions/:id` returns it by default (the page never asks for
 * `view=full`): the learner view, hidden checks as counts. The shape is the grading library's.
 */
export type GradeResult = LearnerGradeView;

export interface Submission {
  id: string;
  exerciseId: string;
  learnerRef: string;
  status: 'queued' | 'graded' | 'failed';
  score: number | null;
  maxScore: number | null;
  result: GradeResult | null;
  createdAt: string;
}

export interface LearnerScores {
  best: Submission | null;
  latest: Submission | null;
}

/** The session a training platform made for one learner (`GET /v1/learner-sessions/current`). */
export type LearnerSession = Pick<
  Schemas['LearnerSessionView'],
  'id' | 'learnerRef' | 'role' | 'exerciseId' | 'sandboxId' | 'expiresAt'
>;

/** A share link as made (`POST /v1/sandboxes/:id/revisions/:version/share-links`). */
export type ShareLink = Schemas['CreatedShareLinkView'];

/** What a share link's token reads (`GET /v1/shared-revision`). */
export type SharedRevision = Schemas['SharedRevisionView'];

/** Every learner's results of an exercise (`GET /v1/exercises/:id/results`, instructors). */
export type ExerciseResults = Schemas['ExerciseResults'];
export type LearnerResult = Schemas['LearnerResult'];
