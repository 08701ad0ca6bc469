-- Issue 9: the account's access role on the calendar, from calendar.upserted (owner, writer, reader,
-- freeBusyReader). Events of a freeBusyReader calendar come without title or details: the upcoming answer
-- shows them as "busy" (root README, decision "Free/busy-only calendars"). Null until the calendar is
-- announced again.
alter table calendars add column access_role text;
