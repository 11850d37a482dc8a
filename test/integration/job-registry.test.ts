// The start-up check of the job registry and the job-id mapping. Pure, but kept beside
// the runtime tests that rely on them.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { defineJob, jobIdFor, type JobDefinition } from '../../workers/job-definition.ts';
import { checkJobRegistry, JobRegistryError, jobs } from '../../workers/registry.ts';

function job(name: string, queue: string, topics: string[]): JobDefinition {
  return defineJob({ name, queue, topics, payload: Type.Object({}), handler: async () => undefined });
}

describe('job registry', () => {
  it('accepts the registered jobs of this deployment', () => {
    expect(() => checkJobRegistry(jobs)).not.toThrow();
  });

  it('routes each topic to the queue of the job that consumes it', () => {
    const routes = checkJobRegistry([job('route-case', '{workflow}', ['case.submitted', 'case.transitioned']), job('notify', '{notify}', ['notify.staff'])]);
    expect(routes.byTopic.get('case.transitioned')?.queue).toBe('{workflow}');
    expect(routes.byTopic.get('notify.staff')?.queue).toBe('{notify}');
    expect(routes.topics).toEqual(['case.submitted', 'case.transitioned', 'notify.staff']);
  });

  it('refuses a queue with two handlers', () => {
    expect(() => checkJobRegistry([job('a', '{workflow}', ['a.x']), job('b', '{workflow}', ['b.x'])]))
      .toThrow(/queue "\{workflow\}" has two handlers \("a" and "b"\)/);
  });

  it('refuses a topic mapped to two queues', () => {
    expect(() => checkJobRegistry([job('a', '{a}', ['case.submitted']), job('b', '{b}', ['case.submitted'])]))
      .toThrow(/topic "case\.submitted" maps to two queues/);
  });

  it('refuses queue names without a hash tag or with ":"', () => {
    expect(() => checkJobRegistry([job('a', 'workflow', ['a.x'])])).toThrow(JobRegistryError);
    expect(() => checkJobRegistry([job('a', '{wf}:x', ['a.x'])])).toThrow(/must start with a hash tag/);
    expect(() => checkJobRegistry([job('a', '{minhbach}.workflow', ['a.x'])])).not.toThrow();
  });

  it('names every problem at once', () => {
    try {
      checkJobRegistry([job('a', '{q}', ['t.x']), job('a', '{q}', ['t.x'])]);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/job name "a" is defined twice/);
      expect((err as Error).message).toMatch(/queue "\{q\}" has two handlers/);
      expect((err as Error).message).toMatch(/topic "t\.x" maps to two queues/);
    }
  });
});

describe('job ids from dedupe keys', () => {
  it('escapes ":" and "%" and never yields an integer, without two keys sharing an id', () => {
    expect(jobIdFor('case/1/triage')).toBe('case/1/triage');
    expect(jobIdFor('case:1:triage')).toBe('case%3A1%3Atriage');
    expect(jobIdFor('100%')).toBe('100%25');
    expect(jobIdFor('123')).toBe('%123');
    const keys = ['a:b', 'a%3Ab', 'a%b', '12', '%12', '-5', 'a.b'];
    const ids = keys.map(jobIdFor);
    expect(new Set(ids).size).toBe(keys.length);
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(`${parseInt(id, 10)}`).not.toBe(id);
    }
  });
});
