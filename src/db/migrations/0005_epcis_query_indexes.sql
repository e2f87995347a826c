ALTER TABLE "epcis_events" ADD COLUMN "epcs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "epcis_events" ADD COLUMN "epc_classes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "epcis_events_epcs" ON "epcis_events" USING gin ("epcs");--> statement-breakpoint
CREATE INDEX "epcis_events_epc_classes" ON "epcis_events" USING gin ("epc_classes");--> statement-breakpoint
CREATE INDEX "epcis_events_record_time" ON "epcis_events" USING btree ("record_time","id");