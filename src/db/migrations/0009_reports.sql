CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"channel" text NOT NULL,
	"recipient_department_id" uuid,
	"recipient_enterprise_id" uuid,
	"recipient_division_code" varchar(6),
	"subject_zh" text NOT NULL,
	"subject_en" text NOT NULL,
	"payload" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp (3) with time zone,
	"read_at" timestamp (3) with time zone,
	CONSTRAINT "outbox_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "outbox_channel" CHECK ("outbox"."channel" in ('in_app','email'))
);
--> statement-breakpoint
CREATE TABLE "report_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"subject_key" text NOT NULL,
	"period" text NOT NULL,
	"division_code" varchar(6),
	"due_date" date NOT NULL,
	"raised_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	CONSTRAINT "report_alerts_once" UNIQUE("kind","level","subject_key","period"),
	CONSTRAINT "report_alerts_kind" CHECK ("report_alerts"."kind" in ('report_overdue'))
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"subject_key" text NOT NULL,
	"enterprise_id" uuid,
	"division_code" varchar(6),
	"recipient_division_code" varchar(6),
	"recipient_level" text,
	"period_kind" text NOT NULL,
	"period" text NOT NULL,
	"version" integer NOT NULL,
	"replaces_report_id" uuid,
	"correction_reason" text,
	"status" text NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"seal" jsonb NOT NULL,
	"signature" text NOT NULL,
	"key_id" text NOT NULL,
	"due_date" date NOT NULL,
	"late" boolean NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp (3) with time zone NOT NULL,
	"reviewed_by" text,
	"reviewed_at" timestamp (3) with time zone,
	"return_reason" text,
	CONSTRAINT "reports_version" UNIQUE("level","subject_key","period","version"),
	CONSTRAINT "reports_level" CHECK ("reports"."level" in ('enterprise','county','prefecture','province','national')),
	CONSTRAINT "reports_period_kind" CHECK ("reports"."period_kind" in ('month','year')),
	CONSTRAINT "reports_status" CHECK ("reports"."status" in ('submitted','accepted','returned','superseded')),
	CONSTRAINT "reports_return_reason" CHECK ("reports"."status" <> 'returned' or "reports"."return_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"algorithm" text NOT NULL,
	"public_key" jsonb NOT NULL,
	"private_key_pem" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "source" text DEFAULT 'posting' NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_enterprise" ON "outbox" USING btree ("recipient_enterprise_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_division" ON "outbox" USING btree ("recipient_division_code","created_at");--> statement-breakpoint
CREATE INDEX "reports_recipient" ON "reports" USING btree ("recipient_division_code","period","status");--> statement-breakpoint
CREATE INDEX "reports_period_level" ON "reports" USING btree ("period","level","status");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_source" CHECK ("ledger_entries"."source" in ('posting','flow'));--> statement-breakpoint
-- Consumption recorded through product flows before the source column existed: the audit log names it.
UPDATE "ledger_entries" SET "source" = 'flow' WHERE "kind" = 'consumption' AND "id"::text IN (
  SELECT "entity_id" FROM "audit_log" WHERE "entity" = 'ledger_entry' AND "action" IN ('post_flow_consumption','reverse_flow_consumption'));
--> statement-breakpoint
-- The reporting calendar (Art. 9, 12): months after the period's last month and the day (31 = the month's end);
-- a due date on a day off moves to the next working day of the holiday calendar.
INSERT INTO "quota_rules" ("id", "key", "value", "effective_from", "note") VALUES
  ('0198a000-0000-7000-8000-000000000021', 'report_due_enterprise_month', '{"monthsAfter":1,"day":10}', '2025-07-28', 'enterprise monthly implementation report by the 10th of the next month (Art. 9)'),
  ('0198a000-0000-7000-8000-000000000022', 'report_due_county_month', '{"monthsAfter":1,"day":15}', '2025-07-28', 'county compilation by the 15th'),
  ('0198a000-0000-7000-8000-000000000023', 'report_due_prefecture_month', '{"monthsAfter":1,"day":18}', '2025-07-28', 'prefecture compilation by the 18th (between county and province)'),
  ('0198a000-0000-7000-8000-000000000024', 'report_due_province_month', '{"monthsAfter":1,"day":20}', '2025-07-28', 'provincial compilation to MIIT and MNR by the 20th'),
  ('0198a000-0000-7000-8000-000000000025', 'report_due_national_month', '{"monthsAfter":1,"day":25}', '2025-07-28', 'national compilation by the ministries by the 25th'),
  ('0198a000-0000-7000-8000-000000000026', 'report_due_enterprise_year', '{"monthsAfter":1,"day":31}', '2025-07-28', 'enterprise annual report by the end of January'),
  ('0198a000-0000-7000-8000-000000000027', 'report_due_county_year', '{"monthsAfter":2,"day":15}', '2025-07-28', 'county annual compilation by 15 February'),
  ('0198a000-0000-7000-8000-000000000028', 'report_due_prefecture_year', '{"monthsAfter":2,"day":18}', '2025-07-28', 'prefecture annual compilation by 18 February'),
  ('0198a000-0000-7000-8000-000000000029', 'report_due_province_year', '{"monthsAfter":2,"day":20}', '2025-07-28', 'provincial annual compilation by 20 February'),
  ('0198a000-0000-7000-8000-00000000002a', 'report_due_national_year', '{"monthsAfter":2,"day":28}', '2025-07-28', 'national annual compilation by the end of February'),
  ('0198a000-0000-7000-8000-00000000002b', 'supervision_report_due_province_year', '{"monthsAfter":0,"day":31}', '2025-07-28', 'provincial annual supervision report by 31 December of the year (Art. 12)'),
  ('0198a000-0000-7000-8000-00000000002c', 'report_due_reminder_days', '3', '2025-07-28', 'reminders are queued this many days before a report is due');
