-- Cross-process cache coherence, H2 part (issue 6). Same contract as the PostgreSQL migration:
-- every statement writing a watched table bumps its table_versions row in the writing transaction, and a
-- row trigger on table_versions allows one increment per transaction. Both are the Java trigger
-- org.adminconsole.cache.TableVersionTrigger, which must be on the class path of the process that hosts
-- the database (the console itself for embedded and AUTO_SERVER files; a separate H2 TCP server must be
-- started with the console's jar on its class path). H2 fires no trigger for TRUNCATE.
CREATE TRIGGER table_versions_once_per_tx BEFORE UPDATE ON table_versions
    FOR EACH ROW CALL "org.adminconsole.cache.TableVersionTrigger";

CREATE TRIGGER users_bump_version AFTER INSERT, UPDATE, DELETE ON users
    CALL "org.adminconsole.cache.TableVersionTrigger";
CREATE TRIGGER departments_bump_version AFTER INSERT, UPDATE, DELETE ON departments
    CALL "org.adminconsole.cache.TableVersionTrigger";
CREATE TRIGGER user_departments_bump_version AFTER INSERT, UPDATE, DELETE ON user_departments
    CALL "org.adminconsole.cache.TableVersionTrigger";
CREATE TRIGGER audit_log_bump_version AFTER INSERT, UPDATE, DELETE ON audit_log
    CALL "org.adminconsole.cache.TableVersionTrigger";
