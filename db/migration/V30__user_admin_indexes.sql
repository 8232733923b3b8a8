-- User administration (issue 3): keyset pagination sorts on (column, id); one index per sortable column
-- so a page is an index range scan, not a sort of the table. Portable between H2 2.x and PostgreSQL.
-- email_key and username already have unique indexes (unique values make id a harmless tie-breaker).
CREATE INDEX ix_users_quota ON users (quota, id);
CREATE INDEX ix_users_usage ON users (usage_amount, id);
CREATE INDEX ix_users_last_login ON users (last_login, id);
CREATE INDEX ix_users_email_key_id ON users (email_key, id);
CREATE INDEX ix_users_username_id ON users (username, id);
