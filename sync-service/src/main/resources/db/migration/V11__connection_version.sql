-- Issue 7: a run that met oauth-service's 409 marks the connection reauth_required only when the
-- connection was not written since the run started (a reconnect's connection.connected consumed
-- meanwhile must not be overwritten). Every write of a connection row bumps its version.
alter table connections add column version bigint not null default 0;
