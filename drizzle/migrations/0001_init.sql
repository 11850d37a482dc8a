CREATE TABLE "bodies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"jurisdiction_code" text NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"lead_staff_id" uuid,
	"key_rotation_needed_at" timestamp with time zone,
	"deadline_overrides" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bodies_code_unique" UNIQUE("code"),
	CONSTRAINT "bodies_kind" CHECK ("kind" IN ('front_intake', 'inspection_committee', 'organization_board', 'internal_affairs', 'inspectorate', 'administration')),
	CONSTRAINT "bodies_level" CHECK ("level" IN ('city', 'district', 'ward'))
);
--> statement-breakpoint
CREATE TABLE "body_key_grants" (
	"body_id" uuid NOT NULL,
	"key_version" integer NOT NULL,
	"staff_id" uuid NOT NULL,
	"sealed_private_key" "bytea" NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "body_key_grants_body_id_key_version_staff_id_pk" PRIMARY KEY("body_id","key_version","staff_id")
);
--> statement-breakpoint
CREATE TABLE "body_keys" (
	"body_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"public_key" "bytea" NOT NULL,
	"signature" "bytea",
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	CONSTRAINT "body_keys_body_id_version_pk" PRIMARY KEY("body_id","version"),
	CONSTRAINT "body_keys_version_positive" CHECK ("body_keys"."version" > 0),
	CONSTRAINT "body_keys_pending_not_retired" CHECK ("body_keys"."signature" IS NOT NULL OR "body_keys"."retired_at" IS NULL)
);
--> statement-breakpoint
CREATE TABLE "deployment" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"mode" text NOT NULL,
	"root_sign_public_key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployment_single_row" CHECK ("deployment"."id" = 1),
	CONSTRAINT "deployment_mode" CHECK ("mode" IN ('demo', 'production'))
);
--> statement-breakpoint
CREATE TABLE "jurisdictions" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text,
	CONSTRAINT "jurisdictions_level" CHECK ("level" IN ('city', 'district', 'ward')),
	CONSTRAINT "jurisdictions_city_has_no_parent" CHECK (("jurisdictions"."level" = 'city') = ("jurisdictions"."parent_code" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"body_id" uuid NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"email" text,
	"passphrase_hash" text NOT NULL,
	"totp_secret_enc" "bytea",
	"totp_enabled_at" timestamp with time zone,
	"totp_last_step" integer,
	"box_public_key" "bytea",
	"sign_public_key" "bytea",
	"key_bundle_passphrase" "bytea",
	"key_bundle_recovery" "bytea",
	"cadre_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"must_change_passphrase" boolean DEFAULT false NOT NULL,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_role" CHECK ("role" IN ('front_member', 'front_reviewer', 'inspection_investigator', 'inspection_lead', 'personnel_officer', 'administrator', 'auditor')),
	CONSTRAINT "staff_keys_all_or_none" CHECK (("staff"."box_public_key" IS NULL) = ("staff"."key_bundle_passphrase" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"id_hash" "bytea" PRIMARY KEY NOT NULL,
	"staff_id" uuid NOT NULL,
	"csrf_token_hash" "bytea" NOT NULL,
	"second_factor_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"webauthn_challenge" text,
	"webauthn_challenge_expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webauthn_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"credential_id" text NOT NULL,
	"public_key" "bytea" NOT NULL,
	"counter" integer DEFAULT 0 NOT NULL,
	"transports" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "webauthn_credentials_credential_id_unique" UNIQUE("credential_id")
);
--> statement-breakpoint
CREATE TABLE "cadres" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"full_name" text NOT NULL,
	"name_search" text NOT NULL,
	"position" text NOT NULL,
	"unit_name" text NOT NULL,
	"jurisdiction_code" text NOT NULL,
	"level" text NOT NULL,
	"managing_level" text NOT NULL,
	"managing_jurisdiction_code" text NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"protected_reporter" boolean DEFAULT false NOT NULL,
	"cleared_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cadres_level" CHECK ("level" IN ('city', 'district', 'ward')),
	CONSTRAINT "cadres_managing_level" CHECK ("managing_level" IN ('city', 'district', 'ward'))
);
--> statement-breakpoint
CREATE TABLE "holds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"state" text DEFAULT 'proposed' NOT NULL,
	"placing_body_id" uuid NOT NULL,
	"legal_basis" text,
	"scope" text,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"review_on" date,
	"renewals" integer DEFAULT 0 NOT NULL,
	"proceed_anyway_ref" text,
	"proceed_anyway_body_id" uuid,
	"lifted_at" timestamp with time zone,
	"lift_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "holds_state" CHECK ("state" IN ('proposed', 'confirmed', 'refused', 'lifted', 'lapsed')),
	CONSTRAINT "holds_confirmed_has_basis" CHECK ("holds"."state" <> 'confirmed' OR ("holds"."legal_basis" IS NOT NULL AND "holds"."review_on" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "personnel_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cadre_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"proposing_body_id" uuid NOT NULL,
	"position_title" text NOT NULL,
	"proposed_on" date NOT NULL,
	"notice_until" date,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"decision_ref" text,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"held_from_state" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "personnel_actions_kind" CHECK ("kind" IN ('planning', 'appointment', 'reappointment', 'promotion', 'rotation', 'transfer', 'nomination', 'commendation', 'demotion', 'discipline', 'removal_from_planning')),
	CONSTRAINT "personnel_actions_state" CHECK ("state" IN ('draft', 'public_notice', 'pending_decision', 'held', 'approved', 'executed', 'withdrawn')),
	CONSTRAINT "personnel_actions_notice_has_date" CHECK ("personnel_actions"."state" <> 'public_notice' OR "personnel_actions"."notice_until" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"state" text DEFAULT 'uploading' NOT NULL,
	"blob_key" text NOT NULL,
	"declared_bytes" bigint NOT NULL,
	"received_bytes" bigint DEFAULT 0 NOT NULL,
	"chunks_received" integer DEFAULT 0 NOT NULL,
	"uploaded_by" text NOT NULL,
	"server_sealed" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone,
	"created_on" date NOT NULL,
	"upload_token_hash" "bytea",
	"manifest_envelope_id" uuid,
	CONSTRAINT "attachments_blob_key_unique" UNIQUE("blob_key"),
	CONSTRAINT "attachments_state" CHECK ("state" IN ('uploading', 'complete', 'aborted')),
	CONSTRAINT "attachments_uploaded_by" CHECK ("uploaded_by" IN ('system', 'reporter', 'staff')),
	CONSTRAINT "attachments_bytes" CHECK ("attachments"."received_bytes" >= 0 AND "attachments"."received_bytes" <= "attachments"."declared_bytes")
);
--> statement-breakpoint
CREATE TABLE "case_assignees" (
	"case_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"assigned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_assignees_case_id_staff_id_pk" PRIMARY KEY("case_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "case_bodies" (
	"case_id" uuid NOT NULL,
	"body_id" uuid NOT NULL,
	"role" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_bodies_case_id_body_id_pk" PRIMARY KEY("case_id","body_id"),
	CONSTRAINT "case_bodies_role" CHECK ("role" IN ('intake', 'inspection', 'added', 'forwarded'))
);
--> statement-breakpoint
CREATE TABLE "case_envelopes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"part" text NOT NULL,
	"format_version" smallint NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"server_sealed" boolean DEFAULT false NOT NULL,
	"author_staff_id" uuid,
	"signature" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_envelopes_part" CHECK ("part" IN ('report', 'identity', 'manifest', 'note', 'conclusion', 'message'))
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"actor_kind" text NOT NULL,
	"actor_staff_id" uuid,
	"reason_code" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"dedupe_key" text,
	"occurred_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_events_actor_kind" CHECK ("actor_kind" IN ('system', 'reporter', 'staff'))
);
--> statement-breakpoint
CREATE TABLE "case_key_wraps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"key_kind" text NOT NULL,
	"recipient_kind" text NOT NULL,
	"body_id" uuid,
	"body_key_version" integer,
	"sealed_key" "bytea" NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_key_wraps_key_kind" CHECK ("key_kind" IN ('case', 'identity')),
	CONSTRAINT "case_key_wraps_recipient_kind" CHECK ("recipient_kind" IN ('body', 'reporter')),
	CONSTRAINT "case_key_wraps_body_fields" CHECK (("case_key_wraps"."recipient_kind" = 'body') = ("case_key_wraps"."body_id" IS NOT NULL AND "case_key_wraps"."body_key_version" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "case_labels" (
	"case_id" uuid NOT NULL,
	"label" text NOT NULL,
	CONSTRAINT "case_labels_case_id_label_pk" PRIMARY KEY("case_id","label")
);
--> statement-breakpoint
CREATE TABLE "case_links" (
	"case_id" uuid NOT NULL,
	"linked_case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "case_links_case_id_linked_case_id_pk" PRIMARY KEY("case_id","linked_case_id"),
	CONSTRAINT "case_links_kind" CHECK ("kind" IN ('related', 'duplicate')),
	CONSTRAINT "case_links_not_self" CHECK ("case_links"."case_id" <> "case_links"."linked_case_id")
);
--> statement-breakpoint
CREATE TABLE "case_recusals" (
	"case_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_recusals_case_id_staff_id_pk" PRIMARY KEY("case_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"public_ref" text NOT NULL,
	"state" text DEFAULT 'received' NOT NULL,
	"classification" text,
	"category" text NOT NULL,
	"jurisdiction_code" text NOT NULL,
	"cadre_id" uuid,
	"notice_action_id" uuid,
	"channel" text NOT NULL,
	"language" text DEFAULT 'vi' NOT NULL,
	"is_anonymous" boolean DEFAULT true NOT NULL,
	"server_sealed" boolean DEFAULT false NOT NULL,
	"lookup_token_hash" "bytea" NOT NULL,
	"reporter_public_key" "bytea" NOT NULL,
	"complexity" text DEFAULT 'normal' NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"overdue" boolean DEFAULT false NOT NULL,
	"congress_window" boolean DEFAULT false NOT NULL,
	"routing_flagged" boolean DEFAULT false NOT NULL,
	"signs_of_violation" boolean DEFAULT false NOT NULL,
	"merged_into_id" uuid,
	"outcome" text,
	"received_on" date NOT NULL,
	"next_due_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pending_until" timestamp with time zone,
	"resume_state" text,
	"has_signed_petition" boolean DEFAULT false NOT NULL,
	"is_corroborated" boolean DEFAULT false NOT NULL,
	"resolution_extensions" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "cases_public_ref_unique" UNIQUE("public_ref"),
	CONSTRAINT "cases_lookup_token_hash_unique" UNIQUE("lookup_token_hash"),
	CONSTRAINT "cases_state" CHECK ("state" IN ('received', 'triage', 'needs_info', 'returned', 'filed', 'transferred', 'referred', 'accepted', 'not_accepted', 'verifying', 'paused', 'terminated', 'concluded', 'closed', 'withdrawn')),
	CONSTRAINT "cases_resume_state" CHECK ("cases"."resume_state" IS NULL OR "resume_state" IN ('received', 'triage', 'needs_info', 'returned', 'filed', 'transferred', 'referred', 'accepted', 'not_accepted', 'verifying', 'paused', 'terminated', 'concluded', 'closed', 'withdrawn')),
	CONSTRAINT "cases_classification" CHECK ("cases"."classification" IS NULL OR "classification" IN ('feedback', 'petition', 'complaint', 'denunciation', 'denunciation_information')),
	CONSTRAINT "cases_category" CHECK ("category" IN ('land_resources', 'budget_assets', 'investment_construction', 'judiciary', 'organization_personnel', 'position_buying', 'asset_declaration', 'ethics_conduct', 'other')),
	CONSTRAINT "cases_channel" CHECK ("channel" IN ('web', 'web_nojs', 'in_person', 'front_member')),
	CONSTRAINT "cases_language" CHECK ("language" IN ('vi', 'en')),
	CONSTRAINT "cases_complexity" CHECK ("complexity" IN ('normal', 'complex', 'especially_complex')),
	CONSTRAINT "cases_outcome" CHECK ("cases"."outcome" IS NULL OR "outcome" IN ('substantiated', 'partly_substantiated', 'not_substantiated')),
	CONSTRAINT "cases_anonymous_not_denunciation" CHECK (NOT ("cases"."is_anonymous" AND "cases"."classification" = 'denunciation')),
	CONSTRAINT "cases_not_merged_into_self" CHECK ("cases"."merged_into_id" IS NULL OR "cases"."merged_into_id" <> "cases"."id")
);
--> statement-breakpoint
CREATE TABLE "deadlines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid,
	"hold_id" uuid,
	"body_id" uuid,
	"kind" text NOT NULL,
	"unit" text NOT NULL,
	"amount" integer NOT NULL,
	"started_on" date NOT NULL,
	"due_on" date NOT NULL,
	"paused_since" date,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"extensions" smallint DEFAULT 0 NOT NULL,
	"extension_log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"reminded_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "deadlines_kind" CHECK ("kind" IN ('triage', 'transfer', 'resolution', 'reporter_reply', 'hold_review')),
	CONSTRAINT "deadlines_unit" CHECK ("unit" IN ('working', 'calendar')),
	CONSTRAINT "deadlines_state" CHECK ("state" IN ('open', 'met', 'missed', 'cancelled')),
	CONSTRAINT "deadlines_amount" CHECK ("deadlines"."amount" > 0),
	CONSTRAINT "deadlines_subject" CHECK (("deadlines"."case_id" IS NOT NULL) <> ("deadlines"."hold_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"author_staff_id" uuid,
	"format_version" smallint NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"is_question" boolean DEFAULT false NOT NULL,
	"sent_on" date NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "messages_direction" CHECK ("direction" IN ('to_reporter', 'from_reporter', 'internal_note')),
	CONSTRAINT "messages_staff_author" CHECK ("messages"."direction" = 'from_reporter' OR "messages"."author_staff_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "audit_head" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"last_id" bigint DEFAULT 0 NOT NULL,
	"last_hash" "bytea" NOT NULL,
	CONSTRAINT "audit_head_single_row" CHECK ("audit_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"resource_kind" text,
	"resource_id" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" "bytea" NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "audit_log_hash_unique" UNIQUE("hash"),
	CONSTRAINT "audit_log_actor_kind" CHECK ("actor_kind" IN ('system', 'reporter', 'staff'))
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"day" date PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"is_working_day" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "holidays_kind" CHECK ("kind" IN ('solar', 'lunar', 'compensatory', 'makeup'))
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"job_key" text PRIMARY KEY NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"result" jsonb
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"body_id" uuid,
	"kind" text NOT NULL,
	"case_ref" text,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"emailed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"available_at" timestamp with time zone DEFAULT (date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh') NOT NULL,
	"created_at" timestamp with time zone DEFAULT (date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh') NOT NULL,
	"dispatched_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"match_category" text,
	"match_level" text,
	"match_jurisdiction_code" text,
	"target_body_kind" text NOT NULL,
	"target_level" text DEFAULT 'same' NOT NULL,
	"reason_vi" text NOT NULL,
	"reason_en" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_rules_code_unique" UNIQUE("code"),
	CONSTRAINT "routing_rules_category" CHECK ("routing_rules"."match_category" IS NULL OR "match_category" IN ('land_resources', 'budget_assets', 'investment_construction', 'judiciary', 'organization_personnel', 'position_buying', 'asset_declaration', 'ethics_conduct', 'other')),
	CONSTRAINT "routing_rules_level" CHECK ("routing_rules"."match_level" IS NULL OR "match_level" IN ('city', 'district', 'ward')),
	CONSTRAINT "routing_rules_target_kind" CHECK ("target_body_kind" IN ('front_intake', 'inspection_committee', 'organization_board', 'internal_affairs', 'inspectorate', 'administration')),
	CONSTRAINT "routing_rules_target_level" CHECK ("routing_rules"."target_level" IN ('same', 'parent') OR "target_level" IN ('city', 'district', 'ward'))
);
--> statement-breakpoint
ALTER TABLE "bodies" ADD CONSTRAINT "bodies_jurisdiction_code_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction_code") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_key_grants" ADD CONSTRAINT "body_key_grants_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_key_grants" ADD CONSTRAINT "body_key_grants_granted_by_staff_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_key_grants" ADD CONSTRAINT "body_key_grants_body_id_key_version_body_keys_body_id_version_fk" FOREIGN KEY ("body_id","key_version") REFERENCES "public"."body_keys"("body_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_keys" ADD CONSTRAINT "body_keys_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jurisdictions" ADD CONSTRAINT "jurisdictions_parent_code_jurisdictions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webauthn_credentials" ADD CONSTRAINT "webauthn_credentials_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_jurisdiction_code_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction_code") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cadres" ADD CONSTRAINT "cadres_managing_jurisdiction_code_jurisdictions_code_fk" FOREIGN KEY ("managing_jurisdiction_code") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_action_id_personnel_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."personnel_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_placing_body_id_bodies_id_fk" FOREIGN KEY ("placing_body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_proceed_anyway_body_id_bodies_id_fk" FOREIGN KEY ("proceed_anyway_body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD CONSTRAINT "personnel_actions_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD CONSTRAINT "personnel_actions_proposing_body_id_bodies_id_fk" FOREIGN KEY ("proposing_body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_actions" ADD CONSTRAINT "personnel_actions_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_manifest_envelope_id_case_envelopes_id_fk" FOREIGN KEY ("manifest_envelope_id") REFERENCES "public"."case_envelopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assignees" ADD CONSTRAINT "case_assignees_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assignees" ADD CONSTRAINT "case_assignees_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_assignees" ADD CONSTRAINT "case_assignees_assigned_by_staff_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_bodies" ADD CONSTRAINT "case_bodies_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_bodies" ADD CONSTRAINT "case_bodies_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_envelopes" ADD CONSTRAINT "case_envelopes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_envelopes" ADD CONSTRAINT "case_envelopes_author_staff_id_staff_id_fk" FOREIGN KEY ("author_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_staff_id_staff_id_fk" FOREIGN KEY ("actor_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_key_wraps" ADD CONSTRAINT "case_key_wraps_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_key_wraps" ADD CONSTRAINT "case_key_wraps_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_key_wraps" ADD CONSTRAINT "case_key_wraps_granted_by_staff_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_labels" ADD CONSTRAINT "case_labels_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_links" ADD CONSTRAINT "case_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_links" ADD CONSTRAINT "case_links_linked_case_id_cases_id_fk" FOREIGN KEY ("linked_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_recusals" ADD CONSTRAINT "case_recusals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_recusals" ADD CONSTRAINT "case_recusals_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_jurisdiction_code_jurisdictions_code_fk" FOREIGN KEY ("jurisdiction_code") REFERENCES "public"."jurisdictions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_cadre_id_cadres_id_fk" FOREIGN KEY ("cadre_id") REFERENCES "public"."cadres"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_notice_action_id_personnel_actions_id_fk" FOREIGN KEY ("notice_action_id") REFERENCES "public"."personnel_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_merged_into_id_cases_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_staff_id_staff_id_fk" FOREIGN KEY ("author_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_body_id_bodies_id_fk" FOREIGN KEY ("body_id") REFERENCES "public"."bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bodies_jurisdiction_kind" ON "bodies" USING btree ("jurisdiction_code","kind");--> statement-breakpoint
CREATE INDEX "body_key_grants_staff" ON "body_key_grants" USING btree ("staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "body_keys_one_current" ON "body_keys" USING btree ("body_id") WHERE "body_keys"."retired_at" IS NULL AND "body_keys"."signature" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "body_keys_one_pending" ON "body_keys" USING btree ("body_id") WHERE "body_keys"."signature" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_username_lower" ON "staff" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "staff_body_role" ON "staff" USING btree ("body_id","role");--> statement-breakpoint
CREATE INDEX "staff_sessions_staff" ON "staff_sessions" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "webauthn_staff" ON "webauthn_credentials" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "cadres_name_search_trgm" ON "cadres" USING gin ("name_search" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cadres_jurisdiction" ON "cadres" USING btree ("jurisdiction_code");--> statement-breakpoint
CREATE UNIQUE INDEX "holds_action_case" ON "holds" USING btree ("action_id","case_id");--> statement-breakpoint
CREATE INDEX "holds_active_action" ON "holds" USING btree ("action_id") WHERE "holds"."state" IN ('proposed', 'confirmed');--> statement-breakpoint
CREATE INDEX "holds_review" ON "holds" USING btree ("review_on") WHERE "holds"."state" = 'confirmed';--> statement-breakpoint
CREATE INDEX "personnel_actions_cadre_state" ON "personnel_actions" USING btree ("cadre_id","state");--> statement-breakpoint
CREATE INDEX "personnel_actions_open_notices" ON "personnel_actions" USING btree ("notice_until") WHERE "personnel_actions"."state" = 'public_notice';--> statement-breakpoint
CREATE INDEX "attachments_case" ON "attachments" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "attachments_stale" ON "attachments" USING btree ("expires_at") WHERE "attachments"."state" = 'uploading';--> statement-breakpoint
CREATE INDEX "case_assignees_staff" ON "case_assignees" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "case_bodies_body" ON "case_bodies" USING btree ("body_id","case_id");--> statement-breakpoint
CREATE INDEX "case_envelopes_case" ON "case_envelopes" USING btree ("case_id","part");--> statement-breakpoint
CREATE UNIQUE INDEX "case_envelopes_one_report" ON "case_envelopes" USING btree ("case_id","part") WHERE "case_envelopes"."part" IN ('report', 'identity');--> statement-breakpoint
CREATE INDEX "case_events_case" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_dedupe" ON "case_events" USING btree ("case_id","dedupe_key") WHERE "case_events"."dedupe_key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "case_key_wraps_unique" ON "case_key_wraps" USING btree ("case_id","key_kind","recipient_kind",coalesce("body_id", '00000000-0000-0000-0000-000000000000'::uuid),coalesce("body_key_version", 0));--> statement-breakpoint
CREATE INDEX "case_labels_label" ON "case_labels" USING btree ("label");--> statement-breakpoint
CREATE INDEX "cases_queue" ON "cases" USING btree ("state","next_due_on","id");--> statement-breakpoint
CREATE INDEX "cases_cadre" ON "cases" USING btree ("cadre_id") WHERE "cases"."cadre_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_notice" ON "cases" USING btree ("notice_action_id") WHERE "cases"."notice_action_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_pending" ON "cases" USING btree ("pending_until") WHERE "cases"."pending_until" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "deadlines_one_open_per_kind" ON "deadlines" USING btree (coalesce("case_id", "hold_id"),"kind") WHERE "deadlines"."state" = 'open';--> statement-breakpoint
CREATE INDEX "deadlines_due" ON "deadlines" USING btree ("due_on") WHERE "deadlines"."state" = 'open';--> statement-breakpoint
CREATE INDEX "deadlines_case" ON "deadlines" USING btree ("case_id") WHERE "deadlines"."case_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "messages_case" ON "messages" USING btree ("case_id","seq");--> statement-breakpoint
CREATE INDEX "audit_log_resource" ON "audit_log" USING btree ("resource_kind","resource_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe" ON "notifications" USING btree ("staff_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_unread" ON "notifications" USING btree ("staff_id","created_at") WHERE "notifications"."read_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("id") WHERE "outbox"."dispatched_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_unfinished" ON "outbox" USING btree ("id") WHERE "outbox"."completed_at" IS NULL;