CREATE TABLE "identity_access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"reason_code" text NOT NULL,
	"reason_envelope_id" uuid,
	"state" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_access_requests_state" CHECK ("state" IN ('pending', 'approved', 'refused')),
	CONSTRAINT "identity_access_requests_two_people" CHECK ("identity_access_requests"."decided_by" IS NULL OR "identity_access_requests"."decided_by" <> "identity_access_requests"."requested_by")
);
--> statement-breakpoint
ALTER TABLE "case_bodies" ADD COLUMN "queue_due_on" date DEFAULT '9999-12-31' NOT NULL;--> statement-breakpoint
ALTER TABLE "identity_access_requests" ADD CONSTRAINT "identity_access_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_access_requests" ADD CONSTRAINT "identity_access_requests_requested_by_staff_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_access_requests" ADD CONSTRAINT "identity_access_requests_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_access_requests" ADD CONSTRAINT "identity_access_requests_reason_envelope_id_case_envelopes_id_fk" FOREIGN KEY ("reason_envelope_id") REFERENCES "public"."case_envelopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_access_requests" ADD CONSTRAINT "identity_access_requests_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_access_requests_case" ON "identity_access_requests" USING btree ("case_id","requested_by");--> statement-breakpoint
CREATE INDEX "identity_access_requests_pending" ON "identity_access_requests" USING btree ("body_id") WHERE "identity_access_requests"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "case_bodies_queue" ON "case_bodies" USING btree ("body_id","queue_due_on","case_id");