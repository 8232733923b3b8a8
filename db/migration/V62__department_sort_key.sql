-- Sort key of the Users view's Departments column (the first department name, '' for none), so that
-- sorting by departments is an index range scan like every other column instead of a correlated
-- subquery over all users. Kept by the console: entity saves (User.syncDepartmentKey), bulk moves and
-- data generation. A write made outside the console only affects the sort order until the next save.
ALTER TABLE users ADD COLUMN department_key VARCHAR(100) DEFAULT '' NOT NULL;

UPDATE users SET department_key = COALESCE((SELECT MIN(d.name)
    FROM user_departments ud JOIN departments d ON d.id = ud.department_id WHERE ud.user_id = users.id), '');

CREATE INDEX ix_users_department_key ON users (department_key, id);
