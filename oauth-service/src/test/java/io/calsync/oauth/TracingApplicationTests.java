package io.calsync.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.calsync.oauth.support.OAuthServiceTest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Trace and span ids on the log lines written in a trace: in Boot's console pattern, and in the
 * JSON lines of its structured logging ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE}, root README,
 * Tracing), encoded here by the encoder that setting installs, without switching this JVM's logging
 * to JSON under the other tests.
 */
@OAuthServiceTest
@ExtendWith(OutputCaptureExtension.class)
class TracingApplicationTests {

  private static final Logger log = LoggerFactory.getLogger(TracingApplicationTests.class);

  @Autowired ObservationRegistry observations;
  @Autowired Tracer tracer;
  @Autowired ApplicationContext context;

  @Test
  void shouldBuildNoSpanExporterWithoutAnOtlpEndpoint() {
    assertThat(context.getBeanNamesForType(OtlpHttpSpanExporter.class)).isEmpty();
    assertThat(context.getBeanNamesForType(OtlpGrpcSpanExporter.class)).isEmpty();
  }

  @Test
  void shouldPrintTheTraceAndSpanIdsOnALineWrittenInATrace(CapturedOutput output) {
    TraceContext trace =
        Observation.createNotStarted("test.work", observations)
            .observe(
                () -> {
                  log.info("Working in a trace");
                  return tracer.currentSpan().context();
                });

    assertThat(output.getOut().lines())
        .filteredOn(line -> line.contains("Working in a trace"))
        .singleElement()
        .asString()
        .contains("[" + trace.traceId() + "-" + trace.spanId() + "]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ecs", "logstash"})
  void shouldWriteTheTraceAndSpanIdsIntoAStructuredLine(String format) {
    StructuredLogEncoder encoder = new StructuredLogEncoder();
    encoder.setFormat(format);
    encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    encoder.start();
    Observation observation = Observation.start("test.work", observations);
    TraceContext trace;
    LoggingEvent event;
    try (Observation.Scope scope = observation.openScope()) {
      trace = tracer.currentSpan().context();
      event =
          new LoggingEvent(
              Logger.class.getName(),
              (ch.qos.logback.classic.Logger) log,
              Level.INFO,
              "Working in a trace",
              null,
              null);
      event.prepareForDeferredProcessing(); // takes the MDC of this moment
    } finally {
      observation.stop();
    }

    JsonNode line =
        JsonMapper.builder()
            .build()
            .readTree(new String(encoder.encode(event), StandardCharsets.UTF_8));
    assertThat(line.path("message").asString()).isEqualTo("Working in a trace");
    assertThat(line.path("traceId").asString()).isEqualTo(trace.traceId());
    assertThat(line.path("spanId").asString()).isEqualTo(trace.spanId());
  }
}
