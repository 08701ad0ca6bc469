-- Why a connection left 'active' (e.g. 'invalid_grant' for reauth_required), for operators; null while active
-- and on rows from before this migration.
alter table connections add column status_reason text;
