CREATE TABLE "exchange_declarations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"current" boolean NOT NULL,
	"delivery_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"content_hash" text NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"declaration_no" text NOT NULL,
	"direction" text NOT NULL,
	"declarant_credit_code" varchar(18) NOT NULL,
	"declarant_name" text NOT NULL,
	"declarant_enterprise_id" uuid,
	"party_credit_code" varchar(18) NOT NULL,
	"party_name" text NOT NULL,
	"party_enterprise_id" uuid,
	"hs_code" varchar(10) NOT NULL,
	"goods_description" text NOT NULL,
	"product_code" text,
	"quantity" text NOT NULL,
	"unit" text NOT NULL,
	"quantity_grams" bigint NOT NULL,
	"reo_grams" bigint,
	"country" varchar(2) NOT NULL,
	"port" text NOT NULL,
	"declared_on" date NOT NULL,
	"licence_no" text,
	CONSTRAINT "exchange_declarations_revision" UNIQUE("declaration_no","revision"),
	CONSTRAINT "exchange_declarations_direction" CHECK ("exchange_declarations"."direction" in ('import','export')),
	CONSTRAINT "exchange_declarations_quantity" CHECK ("exchange_declarations"."quantity_grams" > 0)
);
--> statement-breakpoint
CREATE TABLE "exchange_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"department_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"file_name" text,
	"status" text NOT NULL,
	"record_count" integer NOT NULL,
	"refused" integer NOT NULL,
	"problem_count" integer NOT NULL,
	"created" integer NOT NULL,
	"unchanged" integer NOT NULL,
	"revised" integer NOT NULL,
	"delivered_by" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_deliveries_kind" CHECK ("exchange_deliveries"."kind" in ('licences','declarations','invoices')),
	CONSTRAINT "exchange_deliveries_channel" CHECK ("exchange_deliveries"."channel" in ('api','file')),
	CONSTRAINT "exchange_deliveries_status" CHECK ("exchange_deliveries"."status" in ('stored','refused'))
);
--> statement-breakpoint
CREATE TABLE "exchange_invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"current" boolean NOT NULL,
	"delivery_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"content_hash" text NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"invoice_code" text NOT NULL,
	"invoice_number" text NOT NULL,
	"seller_credit_code" varchar(18) NOT NULL,
	"seller_name" text NOT NULL,
	"seller_enterprise_id" uuid,
	"buyer_credit_code" varchar(18) NOT NULL,
	"buyer_name" text NOT NULL,
	"buyer_enterprise_id" uuid,
	"goods_name" text NOT NULL,
	"product_code" text NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity_basis" text NOT NULL,
	"quantity_grams" bigint NOT NULL,
	"reo_grams" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"issued_on" date NOT NULL,
	CONSTRAINT "exchange_invoices_revision" UNIQUE("invoice_code","invoice_number","revision"),
	CONSTRAINT "exchange_invoices_basis" CHECK ("exchange_invoices"."quantity_basis" in ('product','reo')),
	CONSTRAINT "exchange_invoices_quantity" CHECK ("exchange_invoices"."quantity_grams" > 0 and "exchange_invoices"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "exchange_licence_items" (
	"licence_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"element" varchar(2) NOT NULL,
	"product_code" text NOT NULL,
	"product_id" uuid,
	"quantity_grams" bigint NOT NULL,
	"reo_grams" bigint,
	CONSTRAINT "exchange_licence_items_line" UNIQUE("licence_id","line_no"),
	CONSTRAINT "exchange_licence_items_quantity" CHECK ("exchange_licence_items"."quantity_grams" > 0)
);
--> statement-breakpoint
CREATE TABLE "exchange_licences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"current" boolean NOT NULL,
	"delivery_id" uuid NOT NULL,
	"department_code" text NOT NULL,
	"content_hash" text NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"licence_no" text NOT NULL,
	"exporter_credit_code" varchar(18) NOT NULL,
	"exporter_name" text NOT NULL,
	"exporter_enterprise_id" uuid,
	"end_user_name" text NOT NULL,
	"end_user_country" varchar(2) NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	CONSTRAINT "exchange_licences_revision" UNIQUE("licence_no","revision"),
	CONSTRAINT "exchange_licences_validity" CHECK ("exchange_licences"."valid_to" >= "exchange_licences"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "exchange_declarations" ADD CONSTRAINT "exchange_declarations_delivery_id_exchange_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."exchange_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_invoices" ADD CONSTRAINT "exchange_invoices_delivery_id_exchange_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."exchange_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_licence_items" ADD CONSTRAINT "exchange_licence_items_licence_id_exchange_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."exchange_licences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchange_licences" ADD CONSTRAINT "exchange_licences_delivery_id_exchange_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."exchange_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_declarations_current" ON "exchange_declarations" USING btree ("declaration_no") WHERE "exchange_declarations"."current";--> statement-breakpoint
CREATE INDEX "exchange_declarations_licence" ON "exchange_declarations" USING btree ("licence_no");--> statement-breakpoint
CREATE INDEX "exchange_declarations_party" ON "exchange_declarations" USING btree ("party_enterprise_id");--> statement-breakpoint
CREATE INDEX "exchange_deliveries_department" ON "exchange_deliveries" USING btree ("department_code","at");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_invoices_current" ON "exchange_invoices" USING btree ("invoice_code","invoice_number") WHERE "exchange_invoices"."current";--> statement-breakpoint
CREATE INDEX "exchange_invoices_seller" ON "exchange_invoices" USING btree ("seller_enterprise_id");--> statement-breakpoint
CREATE INDEX "exchange_invoices_buyer" ON "exchange_invoices" USING btree ("buyer_enterprise_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_licences_current" ON "exchange_licences" USING btree ("licence_no") WHERE "exchange_licences"."current";--> statement-breakpoint
CREATE INDEX "exchange_licences_exporter" ON "exchange_licences" USING btree ("exporter_enterprise_id");