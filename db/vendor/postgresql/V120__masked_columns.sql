-- Issue 15 item 3, PostgreSQL part: column-level permissions. A viewer (role adminconsole_viewer) may read every
-- column of users but email and email_key (column privileges, enforced by the server), and sees emails masked
-- through the view users_masked ("a***@example.com", adminconsole_mask_email below; the same masking as H2's V120).
-- Audit values are read through audit_changes_masked (the old/new values of an email change are masked); the viewer
-- has no right on audit_changes itself. The views run with their owner's rights (not security_invoker).
--
-- Roles are cluster-wide and every console schema (and test class) migrates in the same cluster: the role is created
-- only when missing, and a concurrent creation by another migration is not an error. The roles migrations
-- (V110-V119) may have created it already.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'adminconsole_viewer') THEN
        CREATE ROLE adminconsole_viewer NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- created meanwhile by another schema's migration
END
$$;

-- The first character of the part before the last '@', '***', then '@' and the domain; no '@': the first character
-- and '***'; nothing before the '@': '***@domain'. NULL stays NULL.
CREATE OR REPLACE FUNCTION adminconsole_mask_email(e text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN e IS NULL THEN NULL
                WHEN strpos(e, '@') = 0 THEN left(e, 1) || '***'
                WHEN substring(e from '@[^@]*$') = e THEN '***' || e
                ELSE left(e, 1) || '***' || substring(e from '@[^@]*$') END
$$;

CREATE VIEW users_masked AS
SELECT id, adminconsole_mask_email(email)::varchar(254) AS email, lower(adminconsole_mask_email(email))::varchar(254) AS email_key,
       username, username_key, role, active, quota, usage_amount, settings, created_at, updated_at, created_by,
       updated_by, last_login, last_login_key, department_key, version
  FROM users;

CREATE VIEW audit_changes_masked AS
SELECT audit_id, seq, field,
       CASE WHEN field = 'email' THEN adminconsole_mask_email(old_value) ELSE old_value END::varchar(10000) AS old_value,
       CASE WHEN field = 'email' THEN adminconsole_mask_email(new_value) ELSE new_value END::varchar(10000) AS new_value
  FROM audit_changes;

DO $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO adminconsole_viewer', current_schema());
END
$$;
-- V111 (the roles) granted the viewer SELECT on every table of the schema: that right on users and audit_changes goes
-- (revoking the table right revokes the same right on each column too), and the viewer gets the columns it may see.
-- Operators and admins keep their own rights on both tables (V111).
REVOKE SELECT ON users, audit_changes FROM adminconsole_viewer;
GRANT SELECT (id, username, username_key, role, active, quota, usage_amount, settings, created_at, updated_at, created_by,
              updated_by, last_login, last_login_key, department_key, version) ON users TO adminconsole_viewer;
GRANT SELECT ON users_masked, audit_changes_masked, departments, user_departments, audit_log, table_versions, app_meta,
                flyway_schema_history TO adminconsole_viewer;
-- Hibernate's schema validation at start looks the mapped sequence up in information_schema, which lists only the
-- sequences a login has a right on: SELECT (read its last value; nextval needs USAGE or UPDATE) lets a viewer start.
GRANT SELECT ON SEQUENCE users_seq TO adminconsole_viewer;
