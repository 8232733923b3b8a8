-- Issue 15 item 3, H2 part: column-level permissions. A viewer (role ADMINCONSOLE_VIEWER) sees users with their
-- email masked ("a***@example.com": the first character of the part before the last '@', '***', then '@' and the
-- domain; no '@': the first character and '***'; nothing before the '@': '***@domain'), through the views created
-- here. The same masking as PostgreSQL's adminconsole_mask_email (db/vendor/postgresql/V120).
--
-- H2 has no column privileges: the viewer gets no right on users at all (nor on user_search_grams, whose windows
-- spell the emails out, nor on audit_changes, whose old/new values hold emails) and reads users only through
-- users_masked and the audit values only through audit_changes_masked. H2 checks the right on the view, not on the
-- tables the view reads. The role is created here when the roles migrations (V110-V119) have not created it yet.
CREATE ROLE IF NOT EXISTS ADMINCONSOLE_VIEWER;

CREATE VIEW users_masked AS
SELECT id,
       CASE WHEN email IS NULL THEN NULL
            WHEN LOCATE('@', email) = 0 THEN CONCAT(LEFT(email, 1), '***')
            WHEN REGEXP_SUBSTR(email, '@[^@]*$') = email THEN CONCAT('***', email)
            ELSE CONCAT(LEFT(email, 1), '***', REGEXP_SUBSTR(email, '@[^@]*$')) END AS email,
       LOWER(CASE WHEN email IS NULL THEN NULL
            WHEN LOCATE('@', email) = 0 THEN CONCAT(LEFT(email, 1), '***')
            WHEN REGEXP_SUBSTR(email, '@[^@]*$') = email THEN CONCAT('***', email)
            ELSE CONCAT(LEFT(email, 1), '***', REGEXP_SUBSTR(email, '@[^@]*$')) END) AS email_key,
       username, username_key, role, active, quota, usage_amount, settings, created_at, updated_at, created_by,
       updated_by, last_login, last_login_key, department_key, version
  FROM users;

CREATE VIEW audit_changes_masked AS
SELECT audit_id, seq, field,
       CASE WHEN field <> 'email' OR old_value IS NULL THEN old_value
            WHEN LOCATE('@', old_value) = 0 THEN CONCAT(LEFT(old_value, 1), '***')
            WHEN REGEXP_SUBSTR(old_value, '@[^@]*$') = old_value THEN CONCAT('***', old_value)
            ELSE CONCAT(LEFT(old_value, 1), '***', REGEXP_SUBSTR(old_value, '@[^@]*$')) END AS old_value,
       CASE WHEN field <> 'email' OR new_value IS NULL THEN new_value
            WHEN LOCATE('@', new_value) = 0 THEN CONCAT(LEFT(new_value, 1), '***')
            WHEN REGEXP_SUBSTR(new_value, '@[^@]*$') = new_value THEN CONCAT('***', new_value)
            ELSE CONCAT(LEFT(new_value, 1), '***', REGEXP_SUBSTR(new_value, '@[^@]*$')) END AS new_value
  FROM audit_changes;

-- V111 (the roles) gave the viewer SELECT on the whole schema, users included, and H2 cannot take one table out of a
-- schema right: the schema right goes, and the viewer gets SELECT table by table, on every table but users,
-- user_search_grams and audit_changes. A table added later needs its own GRANT for the viewer (operators and admins
-- have theirs: V111). The console's schema on H2 is PUBLIC.
REVOKE SELECT ON SCHEMA PUBLIC FROM ADMINCONSOLE_VIEWER;
GRANT SELECT ON users_masked TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON audit_changes_masked TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON departments TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON user_departments TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON audit_log TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON table_versions TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON app_meta TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON "flyway_schema_history" TO ADMINCONSOLE_VIEWER;
GRANT SELECT ON console_logins TO ADMINCONSOLE_VIEWER;
