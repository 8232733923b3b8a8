-- User ids come from a sequence in blocks of 50 (Hibernate's pooled-lo optimizer) instead of an IDENTITY column, so
-- that inserts batch (an IDENTITY id is only known after each single insert) and the demo generator can take ids up
-- front. The column's default draws from the same sequence, so writers outside the console never collide with a
-- block the console holds.
CREATE SEQUENCE users_seq INCREMENT BY 50;
SELECT setval('users_seq', COALESCE((SELECT MAX(id) FROM users), 0) + 1, false);
ALTER TABLE users ALTER COLUMN id DROP IDENTITY;
ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('users_seq');
ALTER SEQUENCE users_seq OWNED BY users.id;
