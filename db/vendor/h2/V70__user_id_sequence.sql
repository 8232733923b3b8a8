-- User ids come from a sequence in blocks of 50 (Hibernate's pooled-lo optimizer) instead of an IDENTITY column, so
-- that inserts batch (an IDENTITY id is only known after each single insert) and the demo generator can take ids up
-- front. The column's default draws from the same sequence, so writers outside the console never collide with a
-- block the console holds.
CREATE SEQUENCE users_seq START WITH 1 INCREMENT BY 50;
ALTER SEQUENCE users_seq RESTART WITH (SELECT COALESCE(MAX(id), 0) + 1 FROM users);
ALTER TABLE users ALTER COLUMN id DROP IDENTITY;
ALTER TABLE users ALTER COLUMN id SET DEFAULT NEXT VALUE FOR users_seq;
-- H2 moves a table's Java triggers to the copy an ALTER TABLE builds (see V63): re-create the users trigger.
DROP TRIGGER users_bump_version;
CREATE TRIGGER users_bump_version AFTER INSERT, UPDATE, DELETE ON users
    CALL "org.adminconsole.cache.TableVersionTrigger";
