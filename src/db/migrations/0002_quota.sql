CREATE TABLE "allocation_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"ordinal" integer NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"prepared_by" uuid,
	"prepared_by_username" text,
	"prepared_at" timestamp with time zone,
	"issued_by" uuid,
	"issued_by_username" text,
	"issued_at" timestamp with time zone,
	"document_no" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allocation_batches_ordinal" UNIQUE("year","ordinal"),
	CONSTRAINT "allocation_batches_status" CHECK ("allocation_batches"."status" in ('draft','prepared','issued'))
);
--> statement-breakpoint
CREATE TABLE "allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"indicator" text NOT NULL,
	"plan_line_id" uuid NOT NULL,
	"enterprise_id" uuid,
	"group_id" uuid,
	"parent_allocation_id" uuid,
	"amount_reo_grams" bigint NOT NULL,
	"reduction_reo_grams" bigint DEFAULT 0 NOT NULL,
	"reduction_basis" text,
	"reduction_override_reason" text,
	"basis" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"sub_allocation_due" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allocations_recipient" CHECK (("allocations"."enterprise_id" is null) <> ("allocations"."group_id" is null)),
	CONSTRAINT "allocations_amount" CHECK ("allocations"."amount_reo_grams" > 0),
	CONSTRAINT "allocations_reduction" CHECK ("allocations"."reduction_reo_grams" >= 0 and "allocations"."reduction_reo_grams" <= "allocations"."amount_reo_grams"),
	CONSTRAINT "allocations_status" CHECK ("allocations"."status" in ('draft','issued','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "annual_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"basis_text" text DEFAULT '' NOT NULL,
	"basis_figures" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"historical" boolean DEFAULT false NOT NULL,
	"note" text,
	"submitted_at" timestamp with time zone,
	"approval_document_no" text,
	"approved_on" date,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "annual_plans_year_unique" UNIQUE("year"),
	CONSTRAINT "annual_plans_status" CHECK ("annual_plans"."status" in ('draft','agreed','submitted','approved','closed'))
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"indicator" text NOT NULL,
	"kind" text NOT NULL,
	"amount_reo_grams" bigint NOT NULL,
	"period_month" integer,
	"allocation_id" uuid,
	"corrects_entry_id" uuid,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_kind" CHECK ("ledger_entries"."kind" in ('allocation','consumption','adjustment','reduction')),
	CONSTRAINT "ledger_month" CHECK ("ledger_entries"."period_month" is null or "ledger_entries"."period_month" between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "penalties" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"decided_on" date NOT NULL,
	"authority" text NOT NULL,
	"legal_basis" text NOT NULL,
	"document_no" text NOT NULL,
	"over_produced_reo_grams" bigint,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "penalties_document_no_unique" UNIQUE("document_no")
);
--> statement-breakpoint
CREATE TABLE "plan_adjustments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_line_id" uuid NOT NULL,
	"delta_reo_grams" bigint NOT NULL,
	"reason" text NOT NULL,
	"document_no" text NOT NULL,
	"username" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_lines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"indicator" text NOT NULL,
	"amount_reo_grams" bigint NOT NULL,
	CONSTRAINT "plan_lines_indicator" UNIQUE("plan_id","indicator"),
	CONSTRAINT "plan_lines_amount" CHECK ("plan_lines"."amount_reo_grams" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plan_signoffs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"department_code" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"user_id" uuid,
	"username" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_signoffs_once_per_round" UNIQUE("plan_id","round","department_code"),
	CONSTRAINT "plan_signoffs_decision" CHECK ("plan_signoffs"."decision" in ('agree','return'))
);
--> statement-breakpoint
CREATE TABLE "quota_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"indicator" text NOT NULL,
	"kind" text NOT NULL,
	"threshold_percent" integer NOT NULL,
	"consumed_reo_grams" bigint NOT NULL,
	"allocated_reo_grams" bigint NOT NULL,
	"ledger_entry_id" uuid,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_alerts_once" UNIQUE("enterprise_id","year","indicator","kind","threshold_percent"),
	CONSTRAINT "quota_alerts_kind" CHECK ("quota_alerts"."kind" in ('threshold','over_quota'))
);
--> statement-breakpoint
CREATE TABLE "quota_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"department_id" uuid,
	"enterprise_id" uuid,
	"forwarded_from_id" uuid,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"forwarded_at" timestamp with time zone,
	CONSTRAINT "quota_notices_once" UNIQUE("batch_id","department_id","enterprise_id"),
	CONSTRAINT "quota_notices_recipient" CHECK (("quota_notices"."department_id" is null) <> ("quota_notices"."enterprise_id" is null))
);
--> statement-breakpoint
CREATE TABLE "quota_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"effective_from" date NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quota_rules_key_from" UNIQUE("key","effective_from")
);
--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_batch_id_allocation_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."allocation_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_plan_line_id_plan_lines_id_fk" FOREIGN KEY ("plan_line_id") REFERENCES "public"."plan_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_group_id_rare_earth_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."rare_earth_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "penalties" ADD CONSTRAINT "penalties_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_adjustments" ADD CONSTRAINT "plan_adjustments_plan_line_id_plan_lines_id_fk" FOREIGN KEY ("plan_line_id") REFERENCES "public"."plan_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_lines" ADD CONSTRAINT "plan_lines_plan_id_annual_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."annual_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_signoffs" ADD CONSTRAINT "plan_signoffs_plan_id_annual_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."annual_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_alerts" ADD CONSTRAINT "quota_alerts_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_notices" ADD CONSTRAINT "quota_notices_batch_id_allocation_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."allocation_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allocations_line" ON "allocations" USING btree ("plan_line_id");--> statement-breakpoint
CREATE INDEX "allocations_enterprise" ON "allocations" USING btree ("enterprise_id","year");--> statement-breakpoint
CREATE INDEX "allocations_parent" ON "allocations" USING btree ("parent_allocation_id");--> statement-breakpoint
CREATE INDEX "allocations_batch" ON "allocations" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "ledger_enterprise_year" ON "ledger_entries" USING btree ("enterprise_id","year","indicator");--> statement-breakpoint
CREATE INDEX "quota_notices_department" ON "quota_notices" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "quota_notices_enterprise" ON "quota_notices" USING btree ("enterprise_id");--> statement-breakpoint
-- Default rules as data, effective from Order No. 71's promulgation; officials add newer rows.
INSERT INTO "quota_rules" ("id", "key", "value", "effective_from", "note") VALUES
  ('0198a000-0000-7000-8000-000000000001', 'alert_thresholds_percent', '[80, 95, 100]', '2025-07-28', 'utilisation alerts; above 100% is over quota'),
  ('0198a000-0000-7000-8000-000000000002', 'min_separation_capacity_tonnes', '"1000"', '2025-07-28', 'no separation indicator below this capacity (t REO/yr)'),
  ('0198a000-0000-7000-8000-000000000003', 'group_sub_allocation_working_days', '5', '2025-07-28', 'groups file their split within this many working days of issue'),
  ('0198a000-0000-7000-8000-000000000004', 'article14_reduction_rule', '{"kind": "percent", "percent": 10}', '2025-07-28', 'Art. 14 reduction of next year''s allocation after a penalty');
