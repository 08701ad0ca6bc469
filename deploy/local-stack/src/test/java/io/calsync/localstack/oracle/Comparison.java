package io.calsync.localstack.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One comparison of the oracle: what should be ({@code expected}, keyed) against what is ({@code
 * actual}), both reduced to one comparable string per key. A key on one side only, or with a
 * different value, is a mismatch.
 */
public record Comparison(String name, int compared, List<String> mismatches) {

  private static final int SHOWN = 20;

  public static Comparison of(
      String name, Map<String, String> expected, Map<String, String> actual) {
    List<String> mismatches = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      String want = expected.get(key);
      String have = actual.get(key);
      if (want == null) {
        mismatches.add("unexpected " + key + ": " + have);
      } else if (have == null) {
        mismatches.add("missing " + key + ": " + want);
      } else if (!Objects.equals(want, have)) {
        mismatches.add("different " + key + ": expected " + want + ", found " + have);
      }
    }
    return new Comparison(name, keys.size(), List.copyOf(mismatches));
  }

  public boolean agrees() {
    return mismatches.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder(
            name + ": " + compared + " compared, " + mismatches.size() + " mismatches");
    mismatches.stream().limit(SHOWN).forEach(m -> text.append("\n    ").append(m));
    if (mismatches.size() > SHOWN) {
      text.append("\n    … and ").append(mismatches.size() - SHOWN).append(" more");
    }
    return text.toString();
  }
}
