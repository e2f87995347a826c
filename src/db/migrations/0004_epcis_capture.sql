CREATE TABLE "epcis_capture_jobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"success" boolean DEFAULT true NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	"stored_count" integer DEFAULT 0 NOT NULL,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"document_sha256" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "epcis_events" (
	"enterprise_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"capture_job_id" uuid NOT NULL,
	"event_id" text,
	"event_hash" text NOT NULL,
	"event_type" text NOT NULL,
	"event_time" timestamp (3) with time zone NOT NULL,
	"event_time_zone_offset" text NOT NULL,
	"record_time" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"action" text,
	"biz_step" text,
	"disposition" text,
	"read_point" text,
	"biz_location" text,
	"event" jsonb NOT NULL,
	CONSTRAINT "epcis_events_enterprise_id_id_pk" PRIMARY KEY("enterprise_id","id"),
	CONSTRAINT "epcis_events_hash" UNIQUE("enterprise_id","event_hash"),
	CONSTRAINT "epcis_events_type" CHECK ("epcis_events"."event_type" in ('ObjectEvent','AggregationEvent','TransactionEvent','TransformationEvent','AssociationEvent'))
);
--> statement-breakpoint
CREATE INDEX "capture_jobs_enterprise" ON "epcis_capture_jobs" USING btree ("enterprise_id","submitted_at");--> statement-breakpoint
CREATE INDEX "epcis_events_event_id" ON "epcis_events" USING btree ("enterprise_id","event_id");--> statement-breakpoint
CREATE INDEX "epcis_events_time" ON "epcis_events" USING btree ("enterprise_id","event_time");--> statement-breakpoint
-- eventIDs are unique per recording enterprise when present (partial: not every event carries one).
CREATE UNIQUE INDEX "epcis_events_event_id_unique" ON "epcis_events" ("enterprise_id", "event_id") WHERE "event_id" IS NOT NULL;
