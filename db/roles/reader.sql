-- Admin Console: the read-only login of the SQL console and Explain on PostgreSQL.
--
-- Run once per database, as a superuser (the large-object and TEMP revocations need one), after the console
-- has created its tables:
--
--   psql -h dbhost -U postgres -d admin -v owner=console -v schema=public -f db/roles/reader.sql
--   psql -h dbhost -U postgres -d admin -c '\password admin_console_reader'
--
-- then set sql.user = admin_console_reader and sql.password in console.properties (or ${env:...}/${file:...}).
-- Variables (all optional): reader (admin_console_reader), owner (the role that owns the console's tables;
-- default: the role running this script), schema (public), statement_timeout (30s),
-- idle_in_transaction_session_timeout (5min), lock_timeout (2s). Running it again is harmless; run it again
-- for every further schema the console should read (-v schema=...).
--
-- The console checks these rights every time it opens a reader connection and refuses to run anything when
-- the login can do more than read (see README, "Security").

\set ON_ERROR_STOP on
\if :{?reader}
\else
  \set reader admin_console_reader
\endif
\if :{?schema}
\else
  \set schema public
\endif
\if :{?owner}
\else
  SELECT current_user AS owner \gset
\endif
\if :{?statement_timeout}
\else
  \set statement_timeout 30s
\endif
\if :{?idle_in_transaction_session_timeout}
\else
  \set idle_in_transaction_session_timeout 5min
\endif
\if :{?lock_timeout}
\else
  \set lock_timeout 2s
\endif
SELECT current_database() AS dbname \gset

-- 1. The login: no superuser, no CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS (the defaults), no inherited rights.
SELECT format('CREATE ROLE %I LOGIN NOINHERIT CONNECTION LIMIT 20', :'reader')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'reader') \gexec

-- 2. The database: connect, but no CREATE and no temporary tables. PUBLIC has TEMP by default: take it away from
--    PUBLIC and give it back to the owner (grant it to any other role that needs temporary tables).
REVOKE CREATE, TEMPORARY ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"dbname" TO :"reader";
GRANT TEMPORARY ON DATABASE :"dbname" TO :"owner";

-- 3. Read the console's schema: every table and view now, and every one the owner creates later.
GRANT USAGE ON SCHEMA :"schema" TO :"reader";
GRANT SELECT ON ALL TABLES IN SCHEMA :"schema" TO :"reader";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA :"schema" GRANT SELECT ON TABLES TO :"reader";

-- 4. Large objects can be created even in a read-only transaction: nobody but superusers (and roles granted
--    them explicitly) may create or write them.
REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea), lo_put(oid, bigint, bytea),
    lo_import(text), lo_import(text, oid), lo_export(oid, text) FROM PUBLIC;

-- 5. Session defaults of the login: read-only transactions and deadlines. The console refuses the statements that
--    change them (SET, RESET, set_config) and checks them at every connection.
ALTER ROLE :"reader" SET default_transaction_read_only = on;
ALTER ROLE :"reader" SET statement_timeout = :'statement_timeout';
ALTER ROLE :"reader" SET idle_in_transaction_session_timeout = :'idle_in_transaction_session_timeout';
ALTER ROLE :"reader" SET lock_timeout = :'lock_timeout';
