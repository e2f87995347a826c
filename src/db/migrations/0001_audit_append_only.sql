-- The audit log is append-only (Order No. 71 Art. 11, 15): refuse any UPDATE or DELETE,
-- so changing history needs a superuser who drops the trigger, which the hash chain then exposes.
CREATE OR REPLACE FUNCTION ytterby_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION ytterby_refuse_change();
