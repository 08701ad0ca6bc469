package io.calsync.query.readmodel.persistence;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many rows as one statement parameter: a JSON array of objects, which the SQL turns into rows with
 * {@code jsonb_to_recordset(cast(:rows as jsonb)) as r(column type, ...)}, typed by the column list
 * (a JSON array becomes a {@code text[]}, an ISO time a {@code timestamptz}). One parameter per
 * statement, whatever the number of rows and of null values.
 */
final class JsonRows {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonRows() {}

  static <T> String of(List<T> rows, BiConsumer<T, Row> columns) {
    List<Map<String, Object>> objects = new ArrayList<>(rows.size());
    for (T row : rows) {
      Row object = new Row();
      columns.accept(row, object);
      objects.add(object.values);
    }
    return JSON.writeValueAsString(objects);
  }

  /** One object of the array; times as ISO strings, which PostgreSQL reads to the microsecond. */
  static final class Row {

    private final Map<String, Object> values = new LinkedHashMap<>();

    Row put(String column, Object value) {
      values.put(column, value == null ? null : value.toString());
      return this;
    }

    Row put(String column, boolean value) {
      values.put(column, value);
      return this;
    }

    Row put(String column, Number value) {
      values.put(column, value);
      return this;
    }

    Row put(String column, OffsetDateTime value) {
      values.put(
          column, value == null ? null : value.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      return this;
    }

    Row put(String column, LocalDate value) {
      values.put(column, value == null ? null : value.toString());
      return this;
    }

    Row put(String column, List<String> value) {
      values.put(column, value == null ? null : List.copyOf(value));
      return this;
    }
  }
}
