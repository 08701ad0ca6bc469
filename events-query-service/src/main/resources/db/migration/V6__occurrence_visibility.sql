-- Whether the occurrence's calendar is shown and its connection active, kept on the row (Occurrences
-- sets it on insert and again when a connection or calendar row changes), so the upcoming query is a
-- single range of a partial index: no per-request filter whose selectivity the planner has to guess
-- (it guessed the hidden-set filters of V5 so selective that it read and sorted the whole window).
alter table occurrences add column visible boolean not null default true;

update occurrences o
   set visible = false
 where exists (select 1 from connections k where k.id = o.connection_id and k.status <> 'active')
    or exists (select 1 from calendars c
                where c.connection_id = o.connection_id and c.calendar_id = o.calendar_id
                  and (not c.selected or c.removed));

drop index occurrences_upcoming_idx;
create index occurrences_upcoming_idx on occurrences (user_id, all_day, start_key, id, end_key) where visible;

-- V5's index served only the hidden-set filters.
drop index connections_user_idx;
