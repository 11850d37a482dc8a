-- Several entries of one transaction take the audit head once: locked, the entries hashed,
-- linked and inserted in array order, and the head moved once to the last of them. Each entry
-- is hashed and linked exactly as audit_append (0007) does it, with the same body function;
-- what goes is a lock and an update of the head per entry (each update a new version of the
-- head row that every later reader of the head walks past until it is pruned).
CREATE OR REPLACE FUNCTION audit_append_many(p_entries jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  head audit_head%ROWTYPE;
  e jsonb;
  new_id bigint;
  prev_hash bytea;
  new_hash bytea;
  v_at timestamptz;
  v_detail jsonb;
BEGIN
  IF p_entries IS NULL OR jsonb_array_length(p_entries) = 0 THEN
    RETURN NULL;
  END IF;
  SELECT * INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit_head row missing: migrations not applied';
  END IF;
  new_id := head.last_id;
  prev_hash := head.last_hash;
  FOR e IN SELECT value FROM jsonb_array_elements(p_entries) WITH ORDINALITY AS t(value, n) ORDER BY n LOOP
    new_id := new_id + 1;
    v_at := (e->>'at')::timestamptz;
    v_detail := coalesce(e->'detail', '{}'::jsonb);
    new_hash := sha256(prev_hash || convert_to(
      audit_body_v2(new_id, v_at, e->>'actorKind', (e->>'actorId')::uuid, e->>'action', e->>'resourceKind', e->>'resourceId', v_detail), 'UTF8'));
    INSERT INTO audit_log (id, at, actor_kind, actor_id, action, resource_kind, resource_id, detail, prev_hash, hash, hash_version)
      VALUES (new_id, v_at, e->>'actorKind', (e->>'actorId')::uuid, e->>'action', e->>'resourceKind', e->>'resourceId', v_detail,
              prev_hash, new_hash, 2);
    prev_hash := new_hash;
  END LOOP;
  UPDATE audit_head SET last_id = new_id, last_hash = prev_hash WHERE id = 1;
  RETURN new_id;
END;
$$;
