-- Cross-process cache coherence, PostgreSQL part (issue 6).
-- 1. Every statement that writes a watched table (from the console or from any other client: psql, scripts,
--    other applications) bumps that table's row in table_versions, in the writing transaction.
-- 2. A row trigger on table_versions lets each transaction increment a row at most once (the console's own
--    bump and the statement triggers' bump of one transaction count once) and sends NOTIFY, which PostgreSQL
--    delivers only when the transaction commits (never for a rollback).

CREATE OR REPLACE FUNCTION adminconsole_bump_table_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE table_versions SET version = version + 1, changed_at = CURRENT_TIMESTAMP
     WHERE table_name = TG_TABLE_NAME AND last_tx IS DISTINCT FROM txid_current()::text;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION adminconsole_table_version_once() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx text := txid_current()::text;
BEGIN
    IF OLD.last_tx IS NOT DISTINCT FROM tx THEN
        NEW.version := OLD.version;
    ELSE
        NEW.version := OLD.version + 1;
        PERFORM pg_notify('adminconsole_table_versions', NEW.table_name);
    END IF;
    NEW.last_tx := tx;
    RETURN NEW;
END
$$;

CREATE TRIGGER table_versions_once_per_tx BEFORE UPDATE ON table_versions
    FOR EACH ROW EXECUTE FUNCTION adminconsole_table_version_once();

CREATE TRIGGER users_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION adminconsole_bump_table_version();
CREATE TRIGGER departments_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments
    FOR EACH STATEMENT EXECUTE FUNCTION adminconsole_bump_table_version();
CREATE TRIGGER user_departments_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_departments
    FOR EACH STATEMENT EXECUTE FUNCTION adminconsole_bump_table_version();
CREATE TRIGGER audit_log_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION adminconsole_bump_table_version();
