ALTER TABLE "epcis_events" ADD COLUMN "chain_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "epcis_events" ADD COLUMN "prev_chain_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "epcis_events" ADD COLUMN "chain_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Events captured before the chain existed get positions in record order (their hashes stay empty, and verify reports them).
UPDATE "epcis_events" e SET "chain_seq" = s.n
  FROM (SELECT "enterprise_id", "id", row_number() OVER (PARTITION BY "enterprise_id" ORDER BY "record_time", "id") AS n FROM "epcis_events") s
  WHERE e."enterprise_id" = s."enterprise_id" AND e."id" = s."id";--> statement-breakpoint
ALTER TABLE "epcis_events" ADD CONSTRAINT "epcis_events_chain" UNIQUE("enterprise_id","chain_seq");
