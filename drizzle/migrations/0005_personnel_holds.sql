CREATE TABLE "personnel_action_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"action_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"actor_kind" text NOT NULL,
	"actor_staff_id" uuid,
	"hold_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "personnel_action_events_actor_kind" CHECK ("actor_kind" IN ('system', 'staff'))
);
--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "protected_by_body_id" uuid;--> statement-breakpoint
ALTER TABLE "cadres" ADD COLUMN "protected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "decision_reason" text;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "proceed_anyway_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "proceed_anyway_by" uuid;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD COLUMN "review_outcome" text;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD COLUMN "review_ref" text;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD COLUMN "reviewed_by" uuid;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "personnel_action_events" ADD CONSTRAINT "personnel_action_events_action_id_personnel_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."personnel_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_action_events" ADD CONSTRAINT "personnel_action_events_actor_staff_id_staff_id_fk" FOREIGN KEY ("actor_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_action_events" ADD CONSTRAINT "personnel_action_events_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "personnel_action_events_action" ON "personnel_action_events" USING btree ("action_id","id");--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_protected_by_body_id_bodies_id_fk" FOREIGN KEY ("protected_by_body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_proceed_anyway_by_staff_id_fk" FOREIGN KEY ("proceed_anyway_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD CONSTRAINT "personnel_actions_reviewed_by_staff_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD CONSTRAINT "personnel_actions_review_outcome" CHECK ("personnel_actions"."review_outcome" IS NULL OR "personnel_actions"."review_outcome" IN ('no_objection', 'objection'));