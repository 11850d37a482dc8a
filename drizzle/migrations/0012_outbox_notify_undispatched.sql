-- The relay is woken only by rows it has to relay. A row its writer put in Redis itself
-- after commit (the web intake's case.received) is written dispatched: waking the relay
-- for it costs an empty pass. Rows written completed or due later stay as in 0010.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM inserted
    WHERE completed_at IS NULL AND dispatched_at IS NULL AND available_at <= now() + interval '10 minutes'
  ) THEN
    PERFORM pg_notify('outbox', '');
  END IF;
  RETURN NULL;
END;
$$;
