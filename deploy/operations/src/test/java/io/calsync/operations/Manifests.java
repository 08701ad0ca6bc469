package io.calsync.operations;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads what operators deploy: rendered kustomize overlays, YAML files, and what each module reads.
 */
final class Manifests {

  /** The repository's root, seen from this module's directory. */
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

  static final List<String> SERVICES =
      List.of("gateway", "oauth-service", "sync-service", "events-query-service");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

  private Manifests() {}

  /**
   * {@code kubectl kustomize <dir>} as YAML documents. Where kubectl is missing the calling test is
   * skipped, saying so; CI installs it ({@code .ci/run}).
   */
  static List<Map<String, Object>> render(String directory) {
    assumeTrue(
        toolPresent("kubectl", "version", "--client"),
        "kubectl is not installed: the Kubernetes manifests were not rendered (CI installs"
            + " Debian's kubernetes-client)");
    try {
      Process process =
          new ProcessBuilder("kubectl", "kustomize", ROOT.resolve(directory).toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + directory + " failed:\n" + output);
      }
      return documents(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String yaml) {
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document != null) {
        documents.add((Map<String, Object>) document);
      }
    }
    return documents;
  }

  /**
   * Environment variables main code reads directly: {@code System.getenv("NAME")}, {@code
   * getenv().getOrDefault("NAME", …)}, or {@code env.get("NAME")} / {@code env.getOrDefault("NAME",
   * …)} of an environment map handed in (the emulator's and the development issuer's entry points).
   */
  private static final Pattern GETENV =
      Pattern.compile(
          "(?:getenv\\((?:\\)\\s*\\.getOrDefault\\()?|\\benv\\.(?:get|getOrDefault)\\()\\s*\"([A-Z][A-Z0-9_]*)\"");

  /**
   * The environment variables a module reads: the {@code ${NAME…}} placeholders of its {@code
   * application*} configuration files and the names its main code passes to {@code getenv}.
   */
  static Set<String> variablesReadBy(String module) {
    Set<String> names = new TreeSet<>();
    Path main = ROOT.resolve(module).resolve("src/main");
    try {
      Path resources = main.resolve("resources");
      if (Files.isDirectory(resources)) {
        try (var files = Files.list(resources)) {
          for (Path file :
              files.filter(f -> f.getFileName().toString().startsWith("application")).toList()) {
            addMatches(PLACEHOLDER, Files.readString(file), names);
          }
        }
      }
      Path java = main.resolve("java");
      if (Files.isDirectory(java)) {
        try (var files = Files.walk(java)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
            addMatches(GETENV, Files.readString(file), names);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  private static void addMatches(Pattern pattern, String text, Set<String> names) {
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
  }

  /**
   * Whether a module (a service, or {@code deploy/google-emulator}…) reads the variable: one of its
   * placeholders or {@code getenv} names, a Spring property by relaxed binding ({@code SPRING_…}),
   * or the JVM's own {@code JAVA_TOOL_OPTIONS}.
   */
  static boolean reads(String module, String variable) {
    return variable.startsWith("SPRING_")
        || variable.equals("JAVA_TOOL_OPTIONS")
        || variablesReadBy(module).contains(variable);
  }

  /** Whether the command runs here (and exits within 30 s). */
  static boolean toolPresent(String... command) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The value at a path of nested maps, or null. */
  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  /** The map at a path, or null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mapAt(Object node, String... path) {
    return (Map<String, Object>) at(node, path);
  }

  /** The list of maps at a path, or an empty list. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> listAt(Object node, String... path) {
    Object list = at(node, path);
    return list == null ? List.of() : (List<Map<String, Object>>) list;
  }
}
