package io.calsync.contract.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.testing.GoldenSamples;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemJsonTests {

  private static final JsonMapper MAPPER = CalendarJson.mapper();

  @ParameterizedTest
  @ValueSource(strings = {"problem", "problem-reauth-required"})
  void goldenProblemsCarryTheirCodeAsType(String name) {
    Problem problem = MAPPER.readValue(GoldenSamples.http(name), Problem.class);

    assertThat(problem.type()).isEqualTo(ProblemCodes.type(problem.code()));
    assertThat(codes()).contains(problem.code());
  }

  @Test
  void invalidParameterNamesTheParameter() {
    Problem problem = MAPPER.readValue(GoldenSamples.http("problem"), Problem.class);

    assertThat(problem.code()).isEqualTo(ProblemCodes.INVALID_PARAMETER);
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.parameter()).isEqualTo("limit");
  }

  @Test
  void absentMembersAreWrittenAsNull() {
    var problem =
        new Problem(
            ProblemCodes.type(ProblemCodes.NOT_FOUND),
            "Not found",
            404,
            "No such connection",
            null,
            ProblemCodes.NOT_FOUND,
            null);

    JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(problem));

    assertThat(json.get("type").asString()).isEqualTo("https://calsync.io/problems/not_found");
    assertThat(json.get("parameter").isNull()).isTrue();
    assertThat(json.get("instance").isNull()).isTrue();
    assertThat(json.get("status").asInt()).isEqualTo(404);
  }

  static String[] codes() {
    return Arrays.stream(ProblemCodes.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .filter(f -> !f.getName().equals("TYPE_BASE"))
        .map(ProblemJsonTests::value)
        .toArray(String[]::new);
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
