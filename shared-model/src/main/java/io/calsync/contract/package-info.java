/**
 * The wire contract of the calendar platform: every HTTP body and Kafka message as a record, the
 * topic and header names, problem codes and the one JSON configuration they are all read and
 * written with ({@link io.calsync.contract.json.CalendarJson}).
 *
 * <p>Field names on the wire are snake_case; timestamps are RFC 3339 with an offset; a field the
 * contract shows as {@code null} is written as {@code null}, never dropped. Readers ignore unknown
 * fields and unknown message types, so the contract can grow without breaking them.
 */
package io.calsync.contract;
