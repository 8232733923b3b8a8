-- Issue 15 item 5, PostgreSQL part: writes made outside the console (psql, scripts, other programs) on users,
-- departments and user_departments get audit rows too, with the database login (session_user) as operator and
-- the changed fields old -> new. The console marks each of its write transactions with the transaction-local
-- setting admin_console.audited = 'on' (set_config(..., true): it ends with the transaction, commit or rollback)
-- and writes those audit rows itself, so the trigger skips them: nothing is recorded twice.
-- SECURITY DEFINER: a login allowed to write users but not audit_log is still audited (session_user stays the
-- login). Tables are qualified with the trigger's schema, and the function runs with the console's schema as its
-- search_path (set below, the schema is only known at migration time): the table-version triggers its inserts into
-- audit_log fire use unqualified names, and a SECURITY DEFINER function must not take the caller's search_path.
CREATE OR REPLACE FUNCTION adminconsole_external_audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    entity text := TG_ARGV[0];
    columns text[];
    fields text[];
    o jsonb := CASE WHEN TG_OP = 'INSERT' THEN '{}'::jsonb ELSE to_jsonb(OLD) END;
    n jsonb := CASE WHEN TG_OP = 'DELETE' THEN '{}'::jsonb ELSE to_jsonb(NEW) END;
    aid uuid := gen_random_uuid();
    eid bigint;
    ov text;
    nv text;
    seq int := 0;
    i int;
BEGIN
    IF current_setting('admin_console.audited', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'users' THEN
        columns := ARRAY['email', 'username', 'role', 'active', 'quota', 'usage_amount', 'settings', 'last_login'];
        fields := ARRAY['email', 'username', 'role', 'active', 'quota', 'usage', 'settings', 'lastLogin'];
        eid := COALESCE(n->>'id', o->>'id')::bigint;
    ELSIF TG_TABLE_NAME = 'departments' THEN
        columns := ARRAY['name', 'description'];
        fields := columns;
        eid := COALESCE(n->>'id', o->>'id')::bigint;
    ELSE -- user_departments: a link, shown in the user's history as a department added or removed
        eid := COALESCE(n->>'user_id', o->>'user_id')::bigint;
        columns := ARRAY['department'];
        fields := columns;
        IF o ? 'department_id' THEN
            EXECUTE format('SELECT jsonb_build_object(''department'', name) FROM %I.departments WHERE id = $1',
                           TG_TABLE_SCHEMA) INTO o USING (o->>'department_id')::bigint;
            o := COALESCE(o, jsonb_build_object('department', OLD.department_id::text));
        END IF;
        IF n ? 'department_id' THEN
            EXECUTE format('SELECT jsonb_build_object(''department'', name) FROM %I.departments WHERE id = $1',
                           TG_TABLE_SCHEMA) INTO n USING (n->>'department_id')::bigint;
            n := COALESCE(n, jsonb_build_object('department', NEW.department_id::text));
        END IF;
    END IF;
    FOR i IN 1 .. array_length(columns, 1) LOOP
        ov := o->>columns[i];
        nv := n->>columns[i];
        IF ov IS DISTINCT FROM nv AND NOT (TG_OP <> 'UPDATE' AND COALESCE(ov, nv, '') = '') THEN
            seq := seq + 1;
            IF seq = 1 THEN
                EXECUTE format('INSERT INTO %I.audit_log (id, entity_type, entity_id, action, operation, operator, changed_at,'
                               || ' change_set, table_name, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ''external'')',
                               TG_TABLE_SCHEMA)
                    USING aid, entity, eid, TG_OP, 'external.' || lower(TG_OP), session_user::text,
                          (now() AT TIME ZONE 'UTC'), 'tx:' || txid_current()::text, TG_TABLE_NAME;
            END IF;
            EXECUTE format('INSERT INTO %I.audit_changes (audit_id, seq, field, old_value, new_value) VALUES ($1, $2, $3, $4, $5)',
                           TG_TABLE_SCHEMA)
                USING aid, seq, fields[i], left(ov, 10000), left(nv, 10000);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

DO $$ BEGIN
    EXECUTE format('ALTER FUNCTION adminconsole_external_audit() SET search_path = %I, pg_temp', current_schema());
END $$;
-- Only the triggers call it (EXECUTE is checked when a trigger is created, not when it fires): nobody may call a
-- SECURITY DEFINER function by hand, and the SQL console's read-only login refuses to start while it could
-- (PostgresReaderLogin, "can call SECURITY DEFINER functions").
REVOKE EXECUTE ON FUNCTION adminconsole_external_audit() FROM PUBLIC;

CREATE TRIGGER users_external_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION adminconsole_external_audit('User');
CREATE TRIGGER departments_external_audit AFTER INSERT OR UPDATE OR DELETE ON departments
    FOR EACH ROW EXECUTE FUNCTION adminconsole_external_audit('Department');
CREATE TRIGGER user_departments_external_audit AFTER INSERT OR UPDATE OR DELETE ON user_departments
    FOR EACH ROW EXECUTE FUNCTION adminconsole_external_audit('User');
