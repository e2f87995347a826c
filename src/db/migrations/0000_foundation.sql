CREATE TABLE "departments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"division_code" varchar(6),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code"),
	CONSTRAINT "departments_level" CHECK ("departments"."level" in ('national','province','prefecture','county')),
	CONSTRAINT "departments_division_by_level" CHECK (("departments"."level" = 'national') = ("departments"."division_code" is null))
);
--> statement-breakpoint
CREATE TABLE "designations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"activity" text NOT NULL,
	"ore_kind" text,
	"designated_by" text NOT NULL,
	"document_no" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"revoked_by" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "designations_activity" CHECK ("designations"."activity" in ('mining','smelting_separation')),
	CONSTRAINT "designations_ore_kind" CHECK (("designations"."activity" = 'mining' and "designations"."ore_kind" in ('rock_type','ion_adsorption')) or ("designations"."activity" = 'smelting_separation' and "designations"."ore_kind" is null)),
	CONSTRAINT "designations_date_range" CHECK ("designations"."valid_to" >= "designations"."valid_from"),
	CONSTRAINT "designations_revocation_reason" CHECK ("designations"."revoked_at" is null or "designations"."revocation_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "divisions" (
	"code" varchar(6) PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"level" text NOT NULL,
	"parent_code" varchar(6),
	"province_code" varchar(6) NOT NULL,
	"prefecture_code" varchar(6),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "divisions_level" CHECK ("divisions"."level" in ('province','prefecture','county')),
	CONSTRAINT "divisions_code_digits" CHECK ("divisions"."code" ~ '^[0-9]{6}$')
);
--> statement-breakpoint
CREATE TABLE "enterprise_licences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issued_by" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "licences_date_range" CHECK ("enterprise_licences"."valid_to" >= "enterprise_licences"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"id" uuid PRIMARY KEY NOT NULL,
	"credit_code" varchar(18) NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text,
	"group_id" uuid,
	"domicile_division_code" varchar(6) NOT NULL,
	"activities" text[] NOT NULL,
	"capacity_reo_grams" bigint,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprises_credit_code_unique" UNIQUE("credit_code"),
	CONSTRAINT "enterprises_capacity_non_negative" CHECK ("enterprises"."capacity_reo_grams" is null or "enterprises"."capacity_reo_grams" >= 0)
);
--> statement-breakpoint
CREATE TABLE "export_control_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"announcement" text NOT NULL,
	"authority" text NOT NULL,
	"announced_on" date NOT NULL,
	"elements" text[] NOT NULL,
	"scope" text NOT NULL,
	"effective_from" date,
	"suspended_from" date,
	"suspended_to" date,
	"status_note" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_control_rules_announcement_unique" UNIQUE("announcement")
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"date" date PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"is_off_day" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"category" text NOT NULL,
	"hs_code" varchar(10),
	"reo_ppm" integer NOT NULL,
	"element_split_ppm" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_code_unique" UNIQUE("code"),
	CONSTRAINT "products_reo_range" CHECK ("products"."reo_ppm" between 0 and 1000000),
	CONSTRAINT "products_hs_digits" CHECK ("products"."hs_code" is null or "products"."hs_code" ~ '^[0-9]{10}$')
);
--> statement-breakpoint
CREATE TABLE "rare_earth_elements" (
	"symbol" varchar(2) PRIMARY KEY NOT NULL,
	"name_en" text NOT NULL,
	"name_zh" text NOT NULL,
	"oxide" text NOT NULL,
	"metal_to_oxide" numeric(6, 4) NOT NULL,
	"oxide_to_metal" numeric(6, 4) NOT NULL,
	"element_group" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rare_earth_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"merged_into_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rare_earth_groups_code_unique" UNIQUE("code"),
	CONSTRAINT "groups_status" CHECK ("rare_earth_groups"."status" in ('active','merged'))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"ip" text,
	"succeeded" boolean NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"department_id" uuid,
	"enterprise_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_one_organisation" CHECK (("users"."department_id" is null) <> ("users"."enterprise_id" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp (3) with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_username" text,
	"ip" text,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_division_code_divisions_code_fk" FOREIGN KEY ("division_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "designations" ADD CONSTRAINT "designations_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_parent_code_divisions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_licences" ADD CONSTRAINT "enterprise_licences_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_group_id_rare_earth_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."rare_earth_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_domicile_division_code_divisions_code_fk" FOREIGN KEY ("domicile_division_code") REFERENCES "public"."divisions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "departments_division" ON "departments" USING btree ("division_code");--> statement-breakpoint
CREATE INDEX "designations_enterprise" ON "designations" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "divisions_parent" ON "divisions" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "divisions_province" ON "divisions" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "divisions_prefecture" ON "divisions" USING btree ("prefecture_code");--> statement-breakpoint
CREATE INDEX "licences_enterprise" ON "enterprise_licences" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "enterprises_domicile" ON "enterprises" USING btree ("domicile_division_code");--> statement-breakpoint
CREATE INDEX "enterprises_group" ON "enterprises" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "login_attempts_username_at" ON "login_attempts" USING btree ("username","at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "users_department" ON "users" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "users_enterprise" ON "users" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "audit_entity" ON "audit_log" USING btree ("entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_actor_at" ON "audit_log" USING btree ("actor_username","at");--> statement-breakpoint
CREATE INDEX "audit_at" ON "audit_log" USING btree ("at");