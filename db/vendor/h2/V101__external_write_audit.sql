-- Issue 15 item 5, H2 part: writes made outside the console (another program, a script, the H2 shell) on users,
-- departments and user_departments get audit rows too, written by the Java row trigger
-- org.adminconsole.persistence.audit.ExternalAuditTrigger with the database login as operator. The console's own
-- transactions are marked (session variable @ADMIN_CONSOLE_AUDITED, bound to the transaction by the trigger) and
-- skipped: the console writes their audit rows itself. Like the other Java triggers, the class must be on the class
-- path of the process hosting the database. H2 fires no trigger for TRUNCATE.
--
-- V100 altered audit_log: H2 keeps the old table copy's name in the Java trigger instance (see V63), so the
-- table-version trigger of audit_log is re-created.
DROP TRIGGER audit_log_bump_version;
CREATE TRIGGER audit_log_bump_version AFTER INSERT, UPDATE, DELETE ON audit_log
    CALL "org.adminconsole.cache.TableVersionTrigger";

CREATE TRIGGER users_external_audit AFTER INSERT, UPDATE, DELETE ON users
    FOR EACH ROW CALL "org.adminconsole.persistence.audit.ExternalAuditTrigger";
CREATE TRIGGER departments_external_audit AFTER INSERT, UPDATE, DELETE ON departments
    FOR EACH ROW CALL "org.adminconsole.persistence.audit.ExternalAuditTrigger";
CREATE TRIGGER user_departments_external_audit AFTER INSERT, UPDATE, DELETE ON user_departments
    FOR EACH ROW CALL "org.adminconsole.persistence.audit.ExternalAuditTrigger";
