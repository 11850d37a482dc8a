-- case_bodies.queue_due_on mirrors cases.next_due_on (NULL as 9999-12-31) so a body's queue
-- is one index walk on case_bodies_queue. Kept by triggers: every writer of next_due_on
-- (the deadline service, the intake) stays unaware of the copy.
CREATE OR REPLACE FUNCTION case_bodies_copy_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT coalesce(c.next_due_on, DATE '9999-12-31') INTO NEW.queue_due_on FROM cases c WHERE c.id = NEW.case_id;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER case_bodies_copy_due BEFORE INSERT ON case_bodies
  FOR EACH ROW EXECUTE FUNCTION case_bodies_copy_due();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cases_sync_queue_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_bodies SET queue_due_on = coalesce(NEW.next_due_on, DATE '9999-12-31') WHERE case_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_sync_queue_due AFTER UPDATE OF next_due_on ON cases
  FOR EACH ROW WHEN (OLD.next_due_on IS DISTINCT FROM NEW.next_due_on) EXECUTE FUNCTION cases_sync_queue_due();
--> statement-breakpoint
UPDATE case_bodies cb SET queue_due_on = coalesce(c.next_due_on, DATE '9999-12-31') FROM cases c WHERE c.id = cb.case_id;
