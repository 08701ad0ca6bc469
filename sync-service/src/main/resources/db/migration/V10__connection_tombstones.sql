-- Connections whose connection.disconnected was handled (issue 7, read-your-writes). A connection
-- learned from oauth-service's internal API (GET /internal/v1/connections/{id}) is written only when
-- its updated_at is later than the tombstone's disconnected_at, so an answer read before the
-- disconnect never brings the connection back. Both times come from oauth-service's clock.
create table connection_tombstones (
    connection_id   uuid        primary key,
    disconnected_at timestamptz not null
);
