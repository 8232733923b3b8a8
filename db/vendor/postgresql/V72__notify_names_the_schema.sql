-- The change notification names the schema as well as the table ("console.users"): several console databases can
-- live in schemas of one PostgreSQL database, and every LISTEN on the channel hears all of them. Each console acts
-- only on its own schema's notifications (PgChangeListener); before this, a write in one schema made every other
-- console run a needless version check.
CREATE OR REPLACE FUNCTION adminconsole_table_version_once() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx text := txid_current()::text;
BEGIN
    IF OLD.last_tx IS NOT DISTINCT FROM tx THEN
        NEW.version := OLD.version;
    ELSE
        NEW.version := OLD.version + 1;
        PERFORM pg_notify('adminconsole_table_versions', TG_TABLE_SCHEMA || '.' || NEW.table_name);
    END IF;
    NEW.last_tx := tx;
    RETURN NEW;
END
$$;
