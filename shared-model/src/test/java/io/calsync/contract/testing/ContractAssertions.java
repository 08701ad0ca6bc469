package io.calsync.contract.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialects;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Contract checks for other modules' tests: validate a real HTTP body against the OpenAPI document
 * ({@value #OPENAPI_RESOURCE}) and a real Kafka value against its JSON Schema ({@code
 * schemas/kafka/<type>.schema.json}), both shipped in shared-model's main jar.
 *
 * <p>Use it from a test with {@code io.calsync:shared-model:test-jar} and {@code
 * com.networknt:json-schema-validator} as test dependencies, e.g.
 *
 * <pre>{@code
 * String body = webClient.get().uri(ApiPaths.UPCOMING_EVENTS)...returnResult(String.class)...;
 * ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 200, body);
 * ContractAssertions.assertMatchesKafkaSchema(record.headers()..ce_type.., record.value());
 * }</pre>
 *
 * <p>Formats are asserted ({@code uuid}, {@code date-time} with an offset, {@code date}, {@code
 * email}, {@code uri}); members the schemas do not know are allowed, as readers ignore them.
 * Failures are {@link AssertionError}s listing every violation with its JSON path. Thread-safe;
 * schemas are loaded once and cached.
 */
public final class ContractAssertions {

  /** Classpath location of the OpenAPI 3.1 document. */
  public static final String OPENAPI_RESOURCE = "openapi/calendar-platform.yaml";

  /**
   * Classpath folder of the Kafka JSON Schemas, one {@code <type>.schema.json} per message type.
   */
  public static final String KAFKA_SCHEMAS_RESOURCE = "schemas/kafka/";

  /** The {@code $id} prefix of the Kafka JSON Schemas. */
  public static final String KAFKA_SCHEMA_ID_PREFIX = "https://calsync.io/schemas/kafka/";

  private static final String JSON = "application/json";

  private static final SchemaRegistryConfig CONFIG =
      SchemaRegistryConfig.builder().formatAssertionsEnabled(true).locale(Locale.ROOT).build();

  private static final SchemaRegistry OPENAPI_SCHEMAS =
      SchemaRegistry.withDialect(
          Dialects.getOpenApi31(), builder -> builder.schemaRegistryConfig(CONFIG));

  private static final SchemaRegistry KAFKA_SCHEMAS =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder
                  .schemaRegistryConfig(CONFIG)
                  .schemaIdResolvers(
                      resolvers ->
                          resolvers.mapPrefix(
                              KAFKA_SCHEMA_ID_PREFIX, "classpath:" + KAFKA_SCHEMAS_RESOURCE)));

  private static final JsonMapper MAPPER = CalendarJson.mapper();

  private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

  private static volatile JsonNode openApi;

  private ContractAssertions() {}

  // ---------------------------------------------------------------------------------------------
  // OpenAPI

  /**
   * Asserts that {@code json} is a valid body of the {@code status} response of {@code method}
   * {@code pathTemplate} (as written in the document, e.g. {@code ApiPaths.CONNECTION} = {@code
   * /api/calendar/connections/{id}/}). The response must declare exactly one JSON content type
   * ({@code application/json} or {@code application/problem+json}); for a problem the body's {@code
   * status} must equal {@code status} too.
   */
  public static void assertMatchesOpenApi(
      String method, String pathTemplate, int status, String json) {
    fail(
        openApiViolations(method, pathTemplate, status, null, json),
        method + " " + pathTemplate + " " + status);
  }

  /**
   * As {@link #assertMatchesOpenApi(String, String, int, String)}, for the given response content
   * type.
   */
  public static void assertMatchesOpenApi(
      String method, String pathTemplate, int status, String contentType, String json) {
    fail(
        openApiViolations(method, pathTemplate, status, contentType, json),
        method + " " + pathTemplate + " " + status + " " + contentType);
  }

  /**
   * Asserts that {@code json} is a valid {@code application/json} request body of {@code method
   * pathTemplate}.
   */
  public static void assertMatchesOpenApiRequest(String method, String pathTemplate, String json) {
    fail(
        openApiRequestViolations(method, pathTemplate, json),
        method + " " + pathTemplate + " request body");
  }

  /**
   * The violations of {@code json} against the schema of a documented response (empty when it
   * matches). {@code contentType} may be {@code null} when the response has one JSON content type.
   * A response that the document does not declare is itself a violation.
   */
  public static List<String> openApiViolations(
      String method, String pathTemplate, int status, String contentType, String json) {
    Pointer operation = operation(method, pathTemplate);
    JsonNode responses = operation.node().path("responses");
    String code = Integer.toString(status);
    String key = responses.has(code) ? code : responses.has("default") ? "default" : null;
    if (key == null) {
      return List.of(
          method
              + " "
              + pathTemplate
              + " documents no "
              + status
              + " response (only "
              + responses.propertyNames()
              + ")");
    }
    Pointer response = resolve(operation.child("responses").child(key));
    JsonNode content = response.node().path("content");
    String type = contentType != null ? contentType : singleJsonContentType(content);
    if (type == null || !content.has(type)) {
      return List.of(
          method
              + " "
              + pathTemplate
              + " "
              + status
              + " has no body of type "
              + (type == null ? "JSON" : type)
              + " (declares "
              + content.propertyNames()
              + ")");
    }
    List<String> violations =
        new ArrayList<>(
            validate(
                OPENAPI_SCHEMAS,
                schemaLocation(response.child("content").child(type).child("schema")),
                json));
    if (type.equals(Problem.MEDIA_TYPE) && violations.isEmpty()) {
      JsonNode problemStatus = MAPPER.readTree(json).path("status");
      if (problemStatus.asInt() != status) {
        violations.add("$.status: " + problemStatus + " differs from the HTTP status " + status);
      }
    }
    return violations;
  }

  /**
   * The violations of {@code json} against the JSON request body of {@code method pathTemplate}.
   */
  public static List<String> openApiRequestViolations(
      String method, String pathTemplate, String json) {
    Pointer operation = operation(method, pathTemplate);
    if (!operation.node().has("requestBody")) {
      return List.of(method + " " + pathTemplate + " takes no request body");
    }
    Pointer body = resolve(operation.child("requestBody"));
    if (!body.node().path("content").has(JSON)) {
      return List.of(method + " " + pathTemplate + " takes no " + JSON + " body");
    }
    return validate(
        OPENAPI_SCHEMAS, schemaLocation(body.child("content").child(JSON).child("schema")), json);
  }

  /**
   * Asserts that {@code json} matches the schema {@code #/components/schemas/<name>} of the OpenAPI
   * document, e.g. {@code "UpcomingEvent"} or {@code "Problem"}.
   */
  public static void assertMatchesOpenApiSchema(String name, String json) {
    if (!openApi().path("components").path("schemas").has(name)) {
      throw new AssertionError("The OpenAPI document has no schema " + name);
    }
    fail(
        validate(
            OPENAPI_SCHEMAS,
            "classpath:" + OPENAPI_RESOURCE + "#/components/schemas/" + name,
            json),
        "schema " + name);
  }

  /**
   * Asserts that {@code json} is one of the platform's problems (the rule table of the root
   * README's decision 23): valid against the OpenAPI document's {@code Problem} schema, with {@code
   * status}, {@code code}, {@code type} = {@link ProblemCodes#type(String)} and {@code instance} =
   * {@code instance} (the path the client asked for), and {@code parameter} a member, null unless
   * {@code invalid_parameter}. For an operation, also call {@link #assertMatchesOpenApi(String,
   * String, int, String)} where the document declares the status.
   */
  public static void assertProblem(String json, int status, String code, String instance) {
    assertMatchesOpenApiSchema("Problem", json);
    JsonNode problem = MAPPER.readTree(json);
    List<String> violations = new ArrayList<>();
    expect(violations, problem, "status", Integer.toString(status));
    expect(violations, problem, "code", code);
    expect(violations, problem, "type", ProblemCodes.type(code));
    expect(violations, problem, "instance", instance);
    if (!problem.has("parameter") || !problem.has("detail")) {
      violations.add("$: every problem writes detail and parameter (null where they do not apply)");
    } else if (!code.equals(ProblemCodes.INVALID_PARAMETER) && !problem.get("parameter").isNull()) {
      violations.add(
          "$.parameter: only invalid_parameter names a parameter, not " + problem.get("parameter"));
    }
    fail(violations, "problem " + status + " " + code);
  }

  private static void expect(
      List<String> violations, JsonNode problem, String member, String expected) {
    String actual = problem.path(member).isValueNode() ? problem.get(member).asString() : null;
    if (!expected.equals(actual)) {
      violations.add("$." + member + ": expected " + expected + " but was " + problem.get(member));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Kafka

  /**
   * Asserts that {@code json} (a Kafka value) matches the JSON Schema of message type {@code type}
   * (e.g. {@code "event.upserted"}, the {@code ce_type} header) and that its {@code type} member is
   * {@code type}.
   */
  public static void assertMatchesKafkaSchema(String type, String json) {
    fail(kafkaSchemaViolations(type, json), "Kafka message " + type);
  }

  /**
   * Writes {@code message} with {@link CalendarJson#mapper()} and asserts it matches its type's
   * schema.
   */
  public static void assertMatchesKafkaSchema(ConnectionMessage message) {
    assertMatchesKafkaSchema(message.type(), MAPPER.writeValueAsString(message));
  }

  /**
   * Writes {@code message} with {@link CalendarJson#mapper()} and asserts it matches its type's
   * schema.
   */
  public static void assertMatchesKafkaSchema(EventChangeMessage message) {
    assertMatchesKafkaSchema(message.type(), MAPPER.writeValueAsString(message));
  }

  /** The violations of {@code json} against the schema of {@code type} (empty when it matches). */
  public static List<String> kafkaSchemaViolations(String type, String json) {
    if (type == null
        || !type.matches("[a-z_]+\\.[a-z_]+")
        || ContractAssertions.class
                .getClassLoader()
                .getResource(KAFKA_SCHEMAS_RESOURCE + type + ".schema.json")
            == null) {
      return List.of("No JSON Schema for Kafka message type " + type);
    }
    return validate(KAFKA_SCHEMAS, KAFKA_SCHEMA_ID_PREFIX + type + ".schema.json", json);
  }

  // ---------------------------------------------------------------------------------------------

  private static List<String> validate(SchemaRegistry registry, String location, String json) {
    Schema schema = CACHE.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
    JsonNode instance;
    try {
      instance = MAPPER.readTree(json);
    } catch (RuntimeException e) {
      return List.of("not JSON: " + e.getMessage());
    }
    return schema.validate(instance).stream().map(Error::toString).toList();
  }

  private static void fail(List<String> violations, String what) {
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "Does not match the contract (" + what + "):\n  " + String.join("\n  ", violations));
    }
  }

  private static Pointer operation(String method, String pathTemplate) {
    Pointer path = new Pointer("", openApi()).child("paths").child(pathTemplate);
    if (path.node().isMissingNode()) {
      throw new AssertionError("The OpenAPI document has no path " + pathTemplate);
    }
    Pointer operation = path.child(method.toLowerCase(Locale.ROOT));
    if (operation.node().isMissingNode()) {
      throw new AssertionError("The OpenAPI document has no " + method + " " + pathTemplate);
    }
    return operation;
  }

  /** Follows a local {@code $ref} (responses, request bodies), as OpenAPI allows. */
  private static Pointer resolve(Pointer pointer) {
    Pointer current = pointer;
    for (int i = 0; i < 10 && current.node().has("$ref"); i++) {
      String ref = current.node().get("$ref").asString();
      if (!ref.startsWith("#/")) {
        throw new AssertionError("Only local $refs are supported, not " + ref);
      }
      String target = ref.substring(1);
      current = new Pointer(target, openApi().at(target));
    }
    return current;
  }

  /**
   * A schema that is a bare local {@code $ref} is validated at its target; otherwise at its own
   * place.
   */
  private static String schemaLocation(Pointer schema) {
    JsonNode node = schema.node();
    String fragment =
        node.size() == 1 && node.has("$ref") && node.get("$ref").asString().startsWith("#/")
            ? node.get("$ref").asString().substring(1)
            : schema.pointer();
    return "classpath:" + OPENAPI_RESOURCE + "#" + fragment;
  }

  private static String singleJsonContentType(JsonNode content) {
    List<String> json =
        content.propertyNames().stream()
            .filter(t -> t.equals(JSON) || t.endsWith("+json"))
            .toList();
    return json.size() == 1 ? json.get(0) : null;
  }

  private static JsonNode openApi() {
    JsonNode document = openApi;
    if (document == null) {
      try (InputStream in =
          ContractAssertions.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              OPENAPI_RESOURCE + " is not on the classpath (add io.calsync:shared-model)");
        }
        document = YAMLMapper.builder().build().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      openApi = document;
    }
    return document;
  }

  /** A node of the OpenAPI document and its JSON pointer. */
  private record Pointer(String pointer, JsonNode node) {

    Pointer child(String name) {
      return new Pointer(
          pointer + "/" + name.replace("~", "~0").replace("/", "~1"), node.path(name));
    }
  }
}
