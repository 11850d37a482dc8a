DROP INDEX "outbox_pending";--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("available_at","id") WHERE "outbox"."dispatched_at" IS NULL;