-- A snapshot sweep (delete of a calendar's rows below a generation) reads the calendar's rows through
-- the primary key's (connection_id, calendar_id) prefix. The generation index only cost every insert
-- an index entry, and on a table whose statistics lag its growth the planner took it for look-ups by
-- event id too, reading a whole calendar per key (issue 8).
drop index events_generation_idx;
