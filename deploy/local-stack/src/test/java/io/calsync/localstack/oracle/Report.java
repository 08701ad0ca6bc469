package io.calsync.localstack.oracle;

import java.time.Duration;
import java.util.List;

/** What one oracle check found, and how long the platform took to agree (null if it never did). */
public record Report(List<Comparison> comparisons, Duration converged) {

  public int compared() {
    return comparisons.stream().mapToInt(Comparison::compared).sum();
  }

  public int mismatches() {
    return comparisons.stream().mapToInt(c -> c.mismatches().size()).sum();
  }

  public boolean agrees() {
    return comparisons.stream().allMatch(Comparison::agrees);
  }

  Report convergedAfter(Duration duration) {
    return new Report(comparisons, duration);
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder("oracle: " + compared() + " compared, " + mismatches() + " mismatches, ");
    text.append(
        converged == null
            ? "not converged"
            : "converged in " + converged.toMillis() / 1000.0 + " s");
    comparisons.forEach(c -> text.append("\n  ").append(c));
    return text.toString();
  }
}
