package io.calsync.operations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Vault policy of {@code deploy/vault/policies}, read as its paths and their capabilities, and
 * what makes it other than least privilege: a path it grants that the service does not use, a path
 * the service uses that it does not grant, another capability than the service needs.
 */
final class VaultPolicy {

  private static final Pattern PATH =
      Pattern.compile(
          "path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[([^\\]]*)\\]\\s*}",
          Pattern.DOTALL);

  private final Map<String, Set<String>> grants;

  private VaultPolicy(Map<String, Set<String>> grants) {
    this.grants = grants;
  }

  /** Parses the policy's {@code path "…" { capabilities = [...] }} blocks (comments ignored). */
  static VaultPolicy parse(String hcl) {
    String text = hcl.replaceAll("(?m)#.*$", "");
    Map<String, Set<String>> grants = new TreeMap<>();
    Matcher path = PATH.matcher(text);
    while (path.find()) {
      Set<String> capabilities = new TreeSet<>();
      Arrays.stream(path.group(2).split(","))
          .map(c -> c.trim().replace("\"", ""))
          .filter(c -> !c.isEmpty())
          .forEach(capabilities::add);
      grants.merge(
          path.group(1),
          capabilities,
          (a, b) -> {
            Set<String> both = new TreeSet<>(a);
            both.addAll(b);
            return both;
          });
    }
    return new VaultPolicy(grants);
  }

  Map<String, Set<String>> grants() {
    return grants;
  }

  /**
   * Where this policy differs from exactly {@code needed} (path to capabilities); paths with
   * wildcards ({@code *}, {@code +}) are named as such.
   */
  List<String> differencesFrom(Map<String, Set<String>> needed) {
    List<String> problems = new ArrayList<>();
    grants.forEach(
        (path, capabilities) -> {
          if (path.contains("*") || path.contains("+")) {
            problems.add(path + ": a wildcard");
          } else if (!needed.containsKey(path)) {
            problems.add(path + ": not used");
          } else if (!capabilities.equals(needed.get(path))) {
            problems.add(path + ": " + capabilities + " instead of " + needed.get(path));
          }
        });
    new TreeMap<>(needed)
        .forEach(
            (path, capabilities) -> {
              if (!grants.containsKey(path)) {
                problems.add(path + ": not granted");
              }
            });
    return problems;
  }
}
