CREATE TABLE "epcis_error_declarations" (
	"enterprise_id" uuid NOT NULL,
	"event_row_id" uuid NOT NULL,
	"declaration_time" timestamp (3) with time zone NOT NULL,
	"reason" text,
	"corrective_event_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"declaration" jsonb NOT NULL,
	"capture_job_id" uuid NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "epcis_error_declarations_enterprise_id_event_row_id_pk" PRIMARY KEY("enterprise_id","event_row_id")
);
--> statement-breakpoint
CREATE TABLE "trace_month_closings" (
	"enterprise_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"deadline" date NOT NULL,
	"closed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"closed_by" text NOT NULL,
	"late" boolean NOT NULL,
	CONSTRAINT "trace_month_closings_enterprise_id_year_month_pk" PRIMARY KEY("enterprise_id","year","month"),
	CONSTRAINT "trace_closings_month" CHECK ("trace_month_closings"."month" between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "trace_stocktakes" (
	"enterprise_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"grams" bigint NOT NULL,
	"declared_by" text NOT NULL,
	"declared_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trace_stocktakes_enterprise_id_product_id_year_month_pk" PRIMARY KEY("enterprise_id","product_id","year","month"),
	CONSTRAINT "trace_stocktakes_grams" CHECK ("trace_stocktakes"."grams" >= 0)
);
--> statement-breakpoint
CREATE TABLE "trace_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"year" integer,
	"month" integer,
	"event_id" text,
	"details" jsonb NOT NULL,
	"raised_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trace_alerts_kind" CHECK ("trace_alerts"."kind" in ('undesignated_activity','receipt_mismatch','mass_balance_difference'))
);
--> statement-breakpoint
CREATE TABLE "trace_locations" (
	"uri" text PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"site_code" text NOT NULL,
	"kind" text NOT NULL,
	"ore_kind" text,
	"name_zh" text NOT NULL,
	"name_en" text,
	"division_code" varchar(6) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trace_locations_site" UNIQUE("enterprise_id","site_code"),
	CONSTRAINT "trace_locations_kind" CHECK ("trace_locations"."kind" in ('mine','plant','warehouse','port')),
	CONSTRAINT "trace_locations_ore" CHECK (("trace_locations"."kind" = 'mine') = ("trace_locations"."ore_kind" is not null) and ("trace_locations"."ore_kind" is null or "trace_locations"."ore_kind" in ('rock_type','ion_adsorption')))
);
--> statement-breakpoint
CREATE TABLE "trace_lot_edges" (
	"parent_lot_id" uuid NOT NULL,
	"child_lot_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"event_row_id" uuid NOT NULL,
	"parent_grams" bigint NOT NULL,
	"parent_reo_grams" bigint NOT NULL,
	"child_grams" bigint NOT NULL,
	"child_reo_grams" bigint NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "trace_lot_edges_parent_lot_id_child_lot_id_event_row_id_pk" PRIMARY KEY("parent_lot_id","child_lot_id","event_row_id")
);
--> statement-breakpoint
CREATE TABLE "trace_lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"uri" text NOT NULL,
	"product_id" uuid NOT NULL,
	"producer_enterprise_id" uuid NOT NULL,
	"origin_kind" text NOT NULL,
	"origin_division_code" varchar(6),
	"origin_country" text,
	"reo_ppm" bigint NOT NULL,
	"assay" jsonb,
	"produced_grams" bigint NOT NULL,
	"produced_reo_grams" bigint NOT NULL,
	"produced_at" timestamp (3) with time zone NOT NULL,
	"event_enterprise_id" uuid NOT NULL,
	"event_row_id" uuid NOT NULL,
	"quota_entry_id" uuid,
	"within_quota" boolean,
	CONSTRAINT "trace_lots_uri_unique" UNIQUE("uri"),
	CONSTRAINT "trace_lots_origin" CHECK ("trace_lots"."origin_kind" in ('mined','imported','transformed'))
);
--> statement-breakpoint
CREATE TABLE "trace_movements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"grams" bigint NOT NULL,
	"reo_grams" bigint NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"event_time" timestamp (3) with time zone NOT NULL,
	"event_enterprise_id" uuid NOT NULL,
	"event_row_id" uuid NOT NULL,
	"counterparty_enterprise_id" uuid,
	"reverses_movement_id" uuid,
	CONSTRAINT "trace_movements_kind" CHECK ("trace_movements"."kind" in ('mined','imported','produced','received','used','shipped','exported'))
);
--> statement-breakpoint
CREATE TABLE "trace_shipments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"from_enterprise_id" uuid NOT NULL,
	"to_enterprise_id" uuid,
	"ship_event_row_id" uuid NOT NULL,
	"grams" bigint NOT NULL,
	"reo_grams" bigint NOT NULL,
	"shipped_at" timestamp (3) with time zone NOT NULL,
	"due_by" timestamp (3) with time zone,
	"invoice_no" text,
	"export_country" text,
	"customs_declaration_no" text,
	"status" text NOT NULL,
	"received_grams" bigint,
	"receipt_event_row_id" uuid,
	"received_at" timestamp (3) with time zone,
	CONSTRAINT "trace_shipments_status" CHECK ("trace_shipments"."status" in ('in_transit','received','exported','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "trace_stock" (
	"lot_id" uuid NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"grams" bigint NOT NULL,
	CONSTRAINT "trace_stock_lot_id_enterprise_id_pk" PRIMARY KEY("lot_id","enterprise_id"),
	CONSTRAINT "trace_stock_non_negative" CHECK ("trace_stock"."grams" >= 0)
);
--> statement-breakpoint
CREATE INDEX "trace_alerts_enterprise" ON "trace_alerts" USING btree ("enterprise_id","raised_at");--> statement-breakpoint
CREATE INDEX "trace_lot_edges_child" ON "trace_lot_edges" USING btree ("child_lot_id");--> statement-breakpoint
CREATE INDEX "trace_lots_producer" ON "trace_lots" USING btree ("producer_enterprise_id","product_id");--> statement-breakpoint
CREATE INDEX "trace_movements_balance" ON "trace_movements" USING btree ("enterprise_id","year","month","product_id");--> statement-breakpoint
CREATE INDEX "trace_movements_lot" ON "trace_movements" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "trace_movements_event" ON "trace_movements" USING btree ("event_enterprise_id","event_row_id");--> statement-breakpoint
CREATE INDEX "trace_shipments_open" ON "trace_shipments" USING btree ("to_enterprise_id","lot_id","status");--> statement-breakpoint
CREATE INDEX "trace_shipments_lot" ON "trace_shipments" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "trace_stock_holder" ON "trace_stock" USING btree ("enterprise_id");--> statement-breakpoint
-- Traceability rules as data (Order No. 71 Art. 10 and the draft traceability measures); officials add newer rows.
INSERT INTO "quota_rules" ("id", "key", "value", "effective_from", "note") VALUES
  ('0198a000-0000-7000-8000-000000000011', 'month_closing_day', '10', '2025-07-28', 'an enterprise closes month M by this day of M+1 (Art. 10)'),
  ('0198a000-0000-7000-8000-000000000012', 'receipt_due_days', '15', '2025-07-28', 'a shipment not received within this many days raises an alert'),
  ('0198a000-0000-7000-8000-000000000013', 'receipt_tolerance_percent', '0.5', '2025-07-28', 'a receipt differing from its shipment by more than this raises an alert'),
  ('0198a000-0000-7000-8000-000000000014', 'mass_balance_tolerance_percent', '1', '2025-07-28', 'a stocktake differing from the mass balance by more than this raises an alert');
