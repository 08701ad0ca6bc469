package io.calsync.localstack.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTests {

  @Test
  void equalSidesAgree() {
    Comparison c = Comparison.of("x", Map.of("a", "1", "b", "2"), Map.of("b", "2", "a", "1"));

    assertThat(c.agrees()).isTrue();
    assertThat(c.compared()).isEqualTo(2);
  }

  @Test
  void aMissingAnUnexpectedAndADifferentKeyAreEachAMismatch() {
    Comparison c =
        Comparison.of(
            "x", Map.of("a", "1", "b", "2", "c", "3"), Map.of("b", "2", "c", "4", "d", "5"));

    assertThat(c.agrees()).isFalse();
    assertThat(c.compared()).isEqualTo(4);
    assertThat(c.mismatches())
        .containsExactly("missing a: 1", "different c: expected 3, found 4", "unexpected d: 5");
  }

  @Test
  void aReportSumsItsComparisons() {
    Report report =
        new Report(
            java.util.List.of(
                Comparison.of("x", Map.of("a", "1"), Map.of("a", "1")),
                Comparison.of("y", Map.of("a", "1"), Map.of())),
            null);

    assertThat(report.compared()).isEqualTo(2);
    assertThat(report.mismatches()).isEqualTo(1);
    assertThat(report.agrees()).isFalse();
    assertThat(report.toString()).contains("2 compared, 1 mismatches, not converged");
  }
}
