-- case_bodies.case_state mirrors cases.state, kept by the triggers that already copy the due
-- day (0004_case_queue_due): both are set when a case_bodies row is inserted and follow
-- every change of the case.
CREATE OR REPLACE FUNCTION case_bodies_copy_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT coalesce(c.next_due_on, DATE '9999-12-31'), c.state INTO NEW.queue_due_on, NEW.case_state FROM cases c WHERE c.id = NEW.case_id;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cases_sync_queue_due() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE case_bodies SET queue_due_on = coalesce(NEW.next_due_on, DATE '9999-12-31'), case_state = NEW.state WHERE case_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS cases_sync_queue_due ON cases;
--> statement-breakpoint
CREATE TRIGGER cases_sync_queue_due AFTER UPDATE OF next_due_on, state ON cases
  FOR EACH ROW WHEN (OLD.next_due_on IS DISTINCT FROM NEW.next_due_on OR OLD.state IS DISTINCT FROM NEW.state)
  EXECUTE FUNCTION cases_sync_queue_due();
--> statement-breakpoint
UPDATE case_bodies cb SET case_state = c.state FROM cases c WHERE c.id = cb.case_id AND cb.case_state IS DISTINCT FROM c.state;
