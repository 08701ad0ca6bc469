-- Where a finite series ends (end of its last instance), computed when the master is written, so that
-- series that ended before a query's window are not expanded again and again. Null: endless or unknown.
alter table events add column series_end_at timestamptz;
alter table events add column series_end_date date;
