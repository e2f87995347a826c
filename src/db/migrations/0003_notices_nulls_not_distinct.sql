ALTER TABLE "quota_notices" DROP CONSTRAINT "quota_notices_once";--> statement-breakpoint
-- Earlier databases could hold duplicate department notices (NULL enterprise_id never collided); keep the first.
DELETE FROM "quota_notices" a USING "quota_notices" b
  WHERE a.batch_id = b.batch_id AND a.department_id IS NOT DISTINCT FROM b.department_id
    AND a.enterprise_id IS NOT DISTINCT FROM b.enterprise_id AND a.id > b.id;--> statement-breakpoint
ALTER TABLE "quota_notices" ADD CONSTRAINT "quota_notices_once" UNIQUE NULLS NOT DISTINCT("batch_id","department_id","enterprise_id");
