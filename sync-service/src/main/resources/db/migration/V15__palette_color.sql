-- The colour a calendar takes from the platform's palette when neither Google nor the user gave it
-- one (io.calsync.sync.model.CalendarPalette): chosen once, the one the user's calendars use least,
-- so that a user's colourless calendars differ. The calendar's colour is the user's, else Google's,
-- else this one.
alter table calendars add column palette_color text;

-- Calendars seen before: each user's colourless ones take the palette in turn, oldest first.
with palette (color, n) as (
  select * from unnest(array['#1a73e8', '#0b8043', '#d50000', '#8e24aa', '#b06000', '#3f51b5',
                             '#00796b', '#ad1457', '#616161', '#795548']) with ordinality
),
colourless as (
  select c.id,
         row_number() over (partition by k.user_id order by c.created_at, c.id) - 1 as i
  from calendars c join connections k on k.id = c.connection_id
  where c.color is null and c.user_color is null
)
update calendars c set palette_color = p.color
from colourless r join palette p on p.n = r.i % 10 + 1
where c.id = r.id;
