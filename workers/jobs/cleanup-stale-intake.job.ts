// Deletes unfinished submissions and uploads 24 h after they started, with their blobs.
// Triggered by the outbox rows the intake writes per expiry hour (topic intake.cleanup-stale,
// available once that hour's submissions have expired); each run sweeps everything stale,
// so a lost or repeated trigger changes nothing.
import { Type } from 'typebox';
import { createBlobStore } from '../../server/blobs/blob-store.ts';
import { cleanupStaleIntake } from '../../server/services/intake-cleanup.service.ts';
import { defineJob } from '../job-definition.ts';

export default defineJob({
  name: 'cleanup-stale-intake',
  queue: '{intake}',
  topics: ['intake.cleanup-stale'],
  // The trigger names no case: the payload is empty on purpose.
  payload: Type.Object({}),
  concurrency: 1,
  async handler(ctx) {
    const result = await cleanupStaleIntake({ db: ctx.db, blobs: createBlobStore(ctx.config) });
    ctx.log.info(result, 'stale intake cleaned up');
    return result;
  },
});
