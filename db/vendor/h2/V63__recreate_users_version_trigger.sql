-- H2 carries a table's triggers over to the copy it builds for ALTER TABLE ... ADD COLUMN (V62), and the Java
-- trigger instance keeps the name of that temporary copy for as long as the database stays open: writes to
-- users stopped bumping their table_versions row until the next restart. Re-creating the trigger after the
-- ALTER gives it the real table again. (PostgreSQL triggers are unaffected; that vendor folder has no V63.)
-- Any later migration that alters a watched table on H2 must do the same.
DROP TRIGGER users_bump_version;
CREATE TRIGGER users_bump_version AFTER INSERT, UPDATE, DELETE ON users
    CALL "org.adminconsole.cache.TableVersionTrigger";
