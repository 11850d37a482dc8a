-- One statement appends to the audit chain: the head is locked, the entry hashed and
-- inserted and the head moved inside the database, so a transaction holds the head lock
-- only from this statement to its commit, with no network round trip in between.
--
-- The hashed body (version 2) is the text of a JSON array made by Postgres itself; jsonb's
-- text form is deterministic (keys sorted, fixed spacing), and the time is in microseconds.
-- The verifier asks the same function for the body of each stored row and recomputes
-- sha256(prev_hash || body) in Node: a changed column changes the body.
CREATE OR REPLACE FUNCTION audit_body_v2(
  p_id bigint, p_at timestamptz, p_actor_kind text, p_actor_id uuid, p_action text,
  p_resource_kind text, p_resource_id text, p_detail jsonb
) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_array(
    2, p_id, (extract(epoch FROM p_at) * 1000000)::bigint, p_actor_kind, p_actor_id::text, p_action,
    p_resource_kind, p_resource_id, coalesce(p_detail, '{}'::jsonb)
  )::text
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_append(
  p_at timestamptz, p_actor_kind text, p_actor_id uuid, p_action text,
  p_resource_kind text, p_resource_id text, p_detail jsonb
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  head audit_head%ROWTYPE;
  new_id bigint;
  new_hash bytea;
BEGIN
  SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit_head row missing: migrations not applied';
  END IF;
  new_id := head.last_id + 1;
  new_hash := sha256(head.last_hash || convert_to(
    audit_body_v2(new_id, p_at, p_actor_kind, p_actor_id, p_action, p_resource_kind, p_resource_id, p_detail), 'UTF8'));
  INSERT INTO audit_log (id, at, actor_kind, actor_id, action, resource_kind, resource_id, detail, prev_hash, hash, hash_version)
    VALUES (new_id, p_at, p_actor_kind, p_actor_id, p_action, p_resource_kind, p_resource_id, coalesce(p_detail, '{}'::jsonb),
            head.last_hash, new_hash, 2);
  UPDATE audit_head SET last_id = new_id, last_hash = new_hash WHERE id = 1;
  RETURN new_id;
END;
$$;
