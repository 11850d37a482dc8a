// The job definitions this deployment runs, and the start-up check of their routing.
import type { JobDefinition } from './job-definition.ts';
import type { ReconcileStep } from './reconciler.ts';
import cleanupStaleIntakeJob from './jobs/cleanup-stale-intake.job.ts';
import caseTransitionedJob from './jobs/case-transitioned.job.ts';
import deadlineEscalationJob from './jobs/deadline-escalation.job.ts';
import deadlineReminderJob from './jobs/deadline-reminder.job.ts';
import holdReviewJob from './jobs/hold-review.job.ts';
import reporterActivityJob from './jobs/reporter-activity.job.ts';
import routeCaseJob from './jobs/route-case.job.ts';
import sendEmailJob from './jobs/send-email.job.ts';
import { deadlineJobsStep } from './reconcile-steps.ts';

/**
 * Every job the worker process runs. Outbox rows whose topic no job consumes stay pending
 * and are counted by the reconciler.
 */
export const jobs: JobDefinition[] = [
  cleanupStaleIntakeJob,
  routeCaseJob,
  caseTransitionedJob,
  reporterActivityJob,
  deadlineReminderJob,
  deadlineEscalationJob,
  sendEmailJob,
  holdReviewJob,
];

/** Extra reconciler checks: the delayed deadline jobs, re-derived from the deadlines table. */
export const reconcileSteps: readonly ReconcileStep[] = [deadlineJobsStep];

export type JobRoutes = {
  byQueue: ReadonlyMap<string, JobDefinition>;
  byTopic: ReadonlyMap<string, JobDefinition>;
  topics: readonly string[];
};

export class JobRegistryError extends Error {
  constructor(problems: string[]) {
    super(`Job registry is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'JobRegistryError';
  }
}

// A leading hash tag keeps every key of a queue in one Redis Cluster slot, which BullMQ's
// Lua scripts need; per-queue tags let different queues live on different nodes.
const QUEUE_NAME = /^\{[a-z][a-z0-9-]*\}(\.[a-z][a-z0-9-]*)*$/;
const TOPIC = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
const JOB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks that every queue has exactly one handler and every topic maps to exactly one
 * queue, and returns the routing tables. Throws naming every problem found.
 */
export function checkJobRegistry(definitions: readonly JobDefinition[]): JobRoutes {
  const problems: string[] = [];
  const byQueue = new Map<string, JobDefinition>();
  const byTopic = new Map<string, JobDefinition>();
  const names = new Set<string>();
  for (const def of definitions) {
    if (!JOB_NAME.test(def.name)) problems.push(`job name "${def.name}" must be kebab-case`);
    if (names.has(def.name)) problems.push(`job name "${def.name}" is defined twice`);
    names.add(def.name);
    if (!QUEUE_NAME.test(def.queue)) {
      problems.push(`job "${def.name}": queue "${def.queue}" must start with a hash tag like "{workflow}" and contain no ":"`);
    }
    const owner = byQueue.get(def.queue);
    if (owner) {
      problems.push(`queue "${def.queue}" has two handlers ("${owner.name}" and "${def.name}"); each queue needs exactly one`);
    } else {
      byQueue.set(def.queue, def);
    }
    if (typeof def.handler !== 'function') problems.push(`job "${def.name}" has no handler`);
    if (def.topics.length === 0) problems.push(`job "${def.name}" consumes no topic`);
    for (const topic of def.topics) {
      if (!TOPIC.test(topic)) problems.push(`job "${def.name}": topic "${topic}" must be dot-separated lower-case words`);
      const other = byTopic.get(topic);
      if (other && other !== def) {
        problems.push(`topic "${topic}" maps to two queues ("${other.queue}" by "${other.name}" and "${def.queue}" by "${def.name}")`);
      } else if (other === def) {
        problems.push(`job "${def.name}" lists topic "${topic}" twice`);
      } else {
        byTopic.set(topic, def);
      }
    }
  }
  if (problems.length > 0) throw new JobRegistryError(problems);
  return { byQueue, byTopic, topics: [...byTopic.keys()] };
}
