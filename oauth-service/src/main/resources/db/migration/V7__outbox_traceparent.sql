-- The W3C traceparent of the request that wrote the row, so that the relay publishes it in that trace and
-- its consumers continue it (root README, Tracing); null where no trace was current and on older rows.
alter table outbox add column traceparent text;
