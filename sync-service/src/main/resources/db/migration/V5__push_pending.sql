-- A push ("exists") owes an incremental sync of its calendar only (ARCHITECTURE §8 rule 6): the
-- calendar is marked, and a run owed only because of pushes syncs only the marked calendars.
alter table calendar_sync_state add column push_pending boolean not null default false;
-- A connection-wide trigger (connected, manual, backstop) is owed: the run refreshes the calendar
-- list and syncs every selected calendar.
alter table connection_sync_state add column wide_pending boolean not null default false;
update connection_sync_state set wide_pending = pending;
