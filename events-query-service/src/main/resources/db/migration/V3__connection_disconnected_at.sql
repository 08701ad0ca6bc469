-- When the connection was last disconnected (the occurred_at of its connection.disconnected), kept when
-- a later connection.connected lifts the status: calendar, event and snapshot messages that occurred
-- before it belong to the removed connection and are never written again (README, "How the read model
-- is kept").
alter table connections add column disconnected_at timestamptz;

update connections set disconnected_at = status_at where status = 'disconnected';
