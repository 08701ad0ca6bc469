-- A colour the user chose for a calendar (#rrggbb). It wins over Google's colour, which a later
-- calendar-list sync keeps updating in "color" without touching the user's choice.
alter table calendars add column user_color text;
