-- Two cuts in statements per workflow step.
--
-- 1. The relay is woken only by rows it could relay soon. A row written completed (a job's
--    own follow-up, handled in the same transaction) is never relayed, and a row due later
--    than the longest poll interval (OUTBOX_POLL_MS is at most 10 minutes) is found by the
--    relay's poll; waking the relay for either costs it an empty pass.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM inserted WHERE completed_at IS NULL AND available_at <= now() + interval '10 minutes') THEN
    PERFORM pg_notify('outbox', '');
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
--> statement-breakpoint
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
--> statement-breakpoint
-- 2. Several audit entries of one transaction in one statement, appended in array order by
--    audit_append (0007), so each is hashed and linked exactly as if appended one by one.
CREATE OR REPLACE FUNCTION audit_append_many(p_entries jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
  last_id bigint;
BEGIN
  FOR e IN SELECT value FROM jsonb_array_elements(p_entries) WITH ORDINALITY AS t(value, n) ORDER BY n LOOP
    last_id := audit_append((e->>'at')::timestamptz, e->>'actorKind', (e->>'actorId')::uuid, e->>'action',
      e->>'resourceKind', e->>'resourceId', coalesce(e->'detail', '{}'::jsonb));
  END LOOP;
  RETURN last_id;
END;
$$;
