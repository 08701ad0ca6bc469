package io.calsync.contract.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.contract.testing.ContractAssertions;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The OpenAPI document says what the README's public HTTP contract says, path by path. */
class OpenApiDocumentTests {

  private static final JsonNode DOC = load();

  private static final Map<String, String> OPERATIONS =
      Map.ofEntries(
          Map.entry(ApiPaths.AUTHORIZE, "get"),
          Map.entry(ApiPaths.CALLBACK, "get"),
          Map.entry(ApiPaths.CONNECTIONS, "get"),
          Map.entry(ApiPaths.CONNECTION, "delete"),
          Map.entry(ApiPaths.CALENDARS, "get"),
          Map.entry(ApiPaths.CALENDAR, "patch"),
          Map.entry(ApiPaths.SYNC, "post"),
          Map.entry(ApiPaths.SYNC_STATUS, "get"),
          Map.entry(ApiPaths.GOOGLE_NOTIFICATIONS, "post"),
          Map.entry(ApiPaths.UPCOMING_EVENTS, "get"),
          Map.entry(ApiPaths.EVENT_STREAM, "get"),
          Map.entry(ApiPaths.INTERNAL_ACCESS_TOKEN, "post"),
          Map.entry(ApiPaths.INTERNAL_CONNECTION, "get"));

  @Test
  void isOpenApi31() {
    assertThat(DOC.get("openapi").asString()).startsWith("3.1.");
  }

  @Test
  void documentsExactlyThePathsOfApiPathsWithTheirMethods() {
    Set<String> constants =
        Arrays.stream(ApiPaths.class.getFields())
            .filter(f -> Modifier.isStatic(f.getModifiers()))
            .map(f -> value(f))
            .filter(v -> v.startsWith("/"))
            .collect(Collectors.toSet());

    assertThat(DOC.get("paths").propertyNames()).containsExactlyInAnyOrderElementsOf(constants);
    assertThat(OPERATIONS.keySet()).containsExactlyInAnyOrderElementsOf(constants);
    OPERATIONS.forEach(
        (path, method) ->
            assertThat(DOC.get("paths").get(path).has(method)).as(method + " " + path).isTrue());
  }

  @Test
  void publicPathsKeepTheirTrailingSlashAndInternalOnesAreMarked() {
    for (String path : DOC.get("paths").propertyNames()) {
      JsonNode operation = DOC.get("paths").get(path).get(OPERATIONS.get(path));
      if (path.startsWith("/internal/")) {
        assertThat(operation.path("x-internal").asBoolean()).as(path).isTrue();
        assertThat(operation.at("/security/0/serviceToken/0").asString())
            .isEqualTo(ApiPaths.TOKENS_SCOPE);
      } else {
        assertThat(path).startsWith("/api/calendar/").endsWith("/");
        assertThat(operation.has("x-internal")).as(path).isFalse();
      }
    }
  }

  @Test
  void everythingNeedsABearerJwtButTheCallbackAndTheNotifications() {
    assertThat(DOC.at("/components/securitySchemes/bearerAuth/type").asString()).isEqualTo("http");
    assertThat(DOC.at("/components/securitySchemes/bearerAuth/scheme").asString())
        .isEqualTo("bearer");
    assertThat(DOC.at("/components/securitySchemes/bearerAuth/bearerFormat").asString())
        .isEqualTo("JWT");
    assertThat(DOC.at("/security/0").has("bearerAuth")).isTrue();

    OPERATIONS.forEach(
        (path, method) -> {
          JsonNode security = DOC.get("paths").get(path).get(method).get("security");
          boolean open =
              path.equals(ApiPaths.CALLBACK) || path.equals(ApiPaths.GOOGLE_NOTIFICATIONS);
          if (open) {
            assertThat(security.isArray() && security.isEmpty()).as(path).isTrue();
          } else if (!path.startsWith("/internal/")) {
            assertThat(security).as(path).isNull();
          }
        });
  }

  @Test
  void upcomingEventsParametersAreConstrained() {
    Map<String, JsonNode> parameters = new java.util.HashMap<>();
    for (JsonNode parameter :
        DOC.at("/paths/" + escape(ApiPaths.UPCOMING_EVENTS) + "/get/parameters")) {
      parameters.put(parameter.get("name").asString(), parameter.get("schema"));
    }

    assertThat(parameters.keySet()).containsExactlyInAnyOrder("limit", "days", "tz");
    assertThat(parameters.get("limit").get("minimum").asInt()).isEqualTo(1);
    assertThat(parameters.get("limit").get("maximum").asInt()).isEqualTo(100);
    assertThat(parameters.get("limit").get("default").asInt()).isEqualTo(10);
    assertThat(parameters.get("days").get("minimum").asInt()).isEqualTo(1);
    assertThat(parameters.get("days").get("maximum").asInt()).isEqualTo(365);
    assertThat(parameters.get("days").get("default").asInt()).isEqualTo(7);
    assertThat(parameters.get("tz").get("default").asString()).isEqualTo("UTC");
  }

  @Test
  void everyErrorResponseIsAProblemWithCodeAndParameter() {
    List<String> errors = new ArrayList<>();
    OPERATIONS.forEach(
        (path, method) -> {
          JsonNode responses = DOC.get("paths").get(path).get(method).get("responses");
          for (String status : responses.propertyNames()) {
            JsonNode response = responses.get(status);
            if (response.has("$ref")) {
              response = DOC.at(response.get("$ref").asString().substring(1));
            }
            if (status.startsWith("4") || status.startsWith("5")) {
              JsonNode schema =
                  response.at("/content/" + escape(Problem.MEDIA_TYPE) + "/schema/$ref");
              if (!schema.asString("").equals("#/components/schemas/Problem")) {
                errors.add(method + " " + path + " " + status);
              }
            }
          }
        });

    assertThat(errors).isEmpty();
    assertThat(DOC.at("/components/schemas/Problem/properties").propertyNames())
        .contains("type", "title", "status", "detail", "code", "parameter");
  }

  @Test
  void problemCodesAreExactlyThoseOfProblemCodes() {
    Set<String> constants =
        Arrays.stream(ProblemCodes.class.getFields())
            .filter(f -> Modifier.isStatic(f.getModifiers()) && !f.getName().equals("TYPE_BASE"))
            .map(OpenApiDocumentTests::value)
            .collect(Collectors.toSet());
    List<String> documented = new ArrayList<>();
    DOC.at("/components/schemas/Problem/properties/code/enum")
        .forEach(code -> documented.add(code.asString()));

    assertThat(documented).containsExactlyInAnyOrderElementsOf(constants);
  }

  @Test
  void everyOperationOfAUserDocumentsTheRateLimitAndEveryBodyTheSizeCap() {
    OPERATIONS.forEach(
        (path, method) -> {
          JsonNode operation = DOC.get("paths").get(path).get(method);
          boolean open =
              path.equals(ApiPaths.CALLBACK) || path.equals(ApiPaths.GOOGLE_NOTIFICATIONS);
          if (!open && !path.startsWith("/internal/")) {
            assertThat(operation.at("/responses/429/$ref").asString(""))
                .as(method + " " + path)
                .isEqualTo("#/components/responses/TooManyRequests");
          }
          if (operation.has("requestBody")) {
            assertThat(operation.at("/responses/413/$ref").asString(""))
                .as(method + " " + path)
                .isEqualTo("#/components/responses/PayloadTooLarge");
          }
        });
    JsonNode retryAfter = DOC.at("/components/responses/TooManyRequests/headers/Retry-After");
    assertThat(retryAfter.path("required").asBoolean()).isTrue();
    assertThat(retryAfter.at("/schema/type").asString()).isEqualTo("integer");
    assertThat(retryAfter.at("/schema/minimum").asInt()).isEqualTo(1);
  }

  @Test
  void everyLocalReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(DOC, refs);

    assertThat(refs).isNotEmpty();
    assertThat(refs)
        .allSatisfy(ref -> assertThat(DOC.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
  }

  @Test
  void everyComponentSchemaLoadsInTheValidator() {
    for (String name : DOC.at("/components/schemas").propertyNames()) {
      try {
        ContractAssertions.assertMatchesOpenApiSchema(name, "{\"surely\": [\"not\", \"valid\"]}");
      } catch (AssertionError expected) {
        assertThat(expected).hasMessageContaining("Does not match the contract");
      }
    }
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      if (node.has("$ref")) {
        refs.add(node.get("$ref").asString());
      }
      node.forEach(child -> collectRefs(child, refs));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  private static String value(java.lang.reflect.Field field) {
    try {
      return String.valueOf(field.get(null));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode load() {
    try (InputStream in =
        OpenApiDocumentTests.class
            .getClassLoader()
            .getResourceAsStream(ContractAssertions.OPENAPI_RESOURCE)) {
      return YAMLMapper.builder().build().readTree(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
