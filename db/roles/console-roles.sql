-- Admin Console: the console's three database roles and a first admin login on PostgreSQL.
--
-- The migrations create the roles themselves when the login that migrates may (CREATEROLE or superuser); run this
-- script as a superuser when it may not, and to create the first admin login (once per cluster: roles belong to the
-- whole cluster):
--
--   psql -h dbhost -U postgres -d admin -v admin=alice -f db/roles/console-roles.sql
--   psql -h dbhost -U postgres -d admin -c '\password alice'
--
-- Variables: admin (optional): a login to create (or update) as the console's admin: LOGIN, CREATEROLE (to manage
-- operators from the console), member of adminconsole_admin and, WITH ADMIN OPTION, of the three roles (so that it
-- may grant them; PostgreSQL 16 asks for that). The rights on the console's tables are granted per schema by the
-- migration V111 when the console's owner starts it. Running it again is harmless.

\set ON_ERROR_STOP on
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'adminconsole_viewer') THEN CREATE ROLE adminconsole_viewer NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'adminconsole_operator') THEN CREATE ROLE adminconsole_operator NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'adminconsole_admin') THEN CREATE ROLE adminconsole_admin NOLOGIN; END IF;
  IF NOT pg_has_role('adminconsole_operator', 'adminconsole_viewer', 'MEMBER') THEN GRANT adminconsole_viewer TO adminconsole_operator; END IF;
  IF NOT pg_has_role('adminconsole_admin', 'adminconsole_operator', 'MEMBER') THEN GRANT adminconsole_operator TO adminconsole_admin; END IF;
END $$;

\if :{?admin}
  SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'admin') AS create_admin \gset
  \if :create_admin
    CREATE ROLE :"admin" LOGIN;
  \endif
  ALTER ROLE :"admin" LOGIN CREATEROLE;
  GRANT adminconsole_viewer, adminconsole_operator, adminconsole_admin TO :"admin" WITH ADMIN OPTION;
\endif
