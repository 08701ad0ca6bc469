package io.calsync.operations;

import static io.calsync.operations.Manifests.ROOT;
import static io.calsync.operations.Manifests.at;
import static io.calsync.operations.Manifests.mapAt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules docker-compose.yml keeps, each a list of what breaks it (empty when kept), so a test
 * can show both that the file keeps them and that a file breaking them is caught.
 */
final class ComposeFile {

  /** Jib's target image in a module's pom (root pom, profile {@code images}). */
  private static final Pattern JIB_IMAGE =
      Pattern.compile(
          "jib-maven-plugin</artifactId>.*?<to>\\s*<image>([^<]+)</image>", Pattern.DOTALL);

  private static final Pattern PROJECT_VERSION =
      Pattern.compile("<artifactId>calendar-platform</artifactId>\\s*<version>([^<]+)</version>");

  /** A tag that names an exact release ({@code 17.6}, {@code v3.5.0}, {@code 4.1.0}). */
  private static final Pattern EXACT_VERSION =
      Pattern.compile("v?\\d+\\.\\d+(\\.\\d+)*([-_+][A-Za-z0-9._]+)?");

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /**
   * An environment variable that carries a secret by its name: a secret, a password, a token, an
   * encryption key.
   */
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(SECRET|PASSWORD).*|.*_TOKEN|.*ENCRYPTION_KEY.*");

  /**
   * The one secret a Vault-enabled service is given by its environment: its login to Vault, which
   * cannot come from Vault (in Kubernetes it is the pod's service account instead, deploy/k8s).
   */
  static final Set<String> VAULT_LOGIN = Set.of("VAULT_TOKEN");

  /** {@code vault kv put secret/<path> key="$VARIABLE" …}, continuation lines joined. */
  private static final Pattern KV_PUT = Pattern.compile("vault kv put secret/([\\w.-]+)([^\\n]*)");

  private static final Pattern KV_PAIR =
      Pattern.compile("([\\w.-]+)=\"?\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?\"?");

  private static final Set<String> ORDERED_CONDITIONS =
      Set.of("service_healthy", "service_completed_successfully");

  private final Map<String, Object> document;

  ComposeFile(Map<String, Object> document) {
    this.document = document;
  }

  static ComposeFile read() {
    try {
      return new ComposeFile(
          Manifests.documents(Files.readString(ROOT.resolve("docker-compose.yml"))).get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ComposeFile parse(String yaml) {
    return new ComposeFile(Manifests.documents(yaml).get(0));
  }

  Map<String, Object> services() {
    Map<String, Object> services = mapAt(document, "services");
    return services == null ? Map.of() : services;
  }

  /**
   * The images the build makes: each module's Jib {@code to.image}, with the project's version, by
   * the module's directory (relative to the root).
   */
  static Map<String, String> imagesBuiltByModules() {
    Map<String, String> images = new TreeMap<>();
    try (Stream<Path> poms = Files.walk(ROOT, 3)) {
      String version = firstGroup(PROJECT_VERSION, Files.readString(ROOT.resolve("pom.xml")));
      for (Path pom :
          poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
              .filter(p -> !p.toString().contains("/target/"))
              .toList()) {
        Matcher matcher = JIB_IMAGE.matcher(Files.readString(pom));
        while (matcher.find()) {
          String image = matcher.group(1).trim().replace("${project.version}", version);
          images.put(image, ROOT.relativize(pom.getParent()).toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return images;
  }

  /** Settings given to a service whose image a module builds that the module never reads. */
  List<String> settingsNotRead(Map<String, String> imagesBuilt) {
    List<String> problems = new ArrayList<>();
    services()
        .forEach(
            (name, service) -> {
              String module = imagesBuilt.get((String) at(service, "image"));
              if (module == null) {
                return;
              }
              for (String variable : environment(service)) {
                if (!Manifests.reads(module, variable)) {
                  problems.add(name + ": " + variable + " is not read by " + module);
                }
              }
            });
    return problems;
  }

  /** Images neither built by a module nor pinned by digest or exact version. */
  List<String> unpinnedImages(Map<String, String> imagesBuilt) {
    List<String> problems = new ArrayList<>();
    services()
        .forEach(
            (name, service) -> {
              String image = (String) at(service, "image");
              if (image == null) {
                problems.add(name + ": no image");
              } else if (imagesBuilt.containsKey(image)) {
                return;
              } else if (image.startsWith("calsync/")) {
                problems.add(name + ": " + image + " is no module's image " + imagesBuilt.keySet());
              } else if (!pinned(image)) {
                problems.add(name + ": " + image + " is pinned neither by digest nor by version");
              }
            });
    return problems;
  }

  private static boolean pinned(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return DIGEST.matcher(image.substring(at + 1)).matches();
    }
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/')
        && EXACT_VERSION.matcher(image.substring(colon + 1)).matches();
  }

  /**
   * Services without a health check. A one-shot job ({@code restart: "no"} that others wait for
   * with {@code service_completed_successfully}) is exempt: it ends instead of becoming healthy.
   */
  List<String> withoutHealthCheck() {
    List<String> problems = new ArrayList<>();
    services()
        .forEach(
            (name, service) -> {
              boolean checked =
                  at(service, "healthcheck", "test") != null
                      && !Boolean.TRUE.equals(at(service, "healthcheck", "disable"));
              if (!checked && !oneShotJob(name, service)) {
                problems.add(name + ": no healthcheck");
              }
            });
    return problems;
  }

  private boolean oneShotJob(String name, Object service) {
    return "no".equals(String.valueOf(at(service, "restart")))
        && services().values().stream()
            .anyMatch(
                other ->
                    "service_completed_successfully"
                        .equals(at(other, "depends_on", name, "condition")));
  }

  /**
   * Dependencies that do not wait for health or completion: the short form (a list), a condition
   * other than {@code service_healthy} / {@code service_completed_successfully}, or a service that
   * does not exist.
   */
  List<String> unorderedDependencies() {
    List<String> problems = new ArrayList<>();
    services()
        .forEach(
            (name, service) -> {
              Object dependsOn = at(service, "depends_on");
              if (dependsOn == null) {
                return;
              }
              if (!(dependsOn instanceof Map<?, ?> dependencies)) {
                problems.add(name + ": depends_on without conditions");
                return;
              }
              dependencies.forEach(
                  (dependency, spec) -> {
                    Object condition = at(spec, "condition");
                    if (!services().containsKey(dependency)) {
                      problems.add(name + ": depends on unknown " + dependency);
                    } else if (!ORDERED_CONDITIONS.contains(condition)) {
                      problems.add(name + ": " + dependency + " with condition " + condition);
                    }
                  });
            });
    return problems;
  }

  /** Bind mounts from this repository ({@code ./…}) whose file or directory does not exist. */
  List<String> missingMounts() {
    List<String> problems = new ArrayList<>();
    services()
        .forEach(
            (name, service) -> {
              for (String source : bindSources(service)) {
                if (source.startsWith("./") && !Files.exists(ROOT.resolve(source).normalize())) {
                  problems.add(name + ": " + source + " does not exist");
                }
              }
            });
    return problems;
  }

  /** The host path of each bind mount: short syntax {@code src:dst[:mode]} or long syntax. */
  static List<String> bindSources(Object service) {
    List<String> sources = new ArrayList<>();
    Object volumes = at(service, "volumes");
    if (volumes instanceof List<?> list) {
      for (Object volume : list) {
        if (volume instanceof String entry) {
          sources.add(entry.split(":", 2)[0]);
        } else if ("bind".equals(at(volume, "type"))) {
          sources.add(String.valueOf(at(volume, "source")));
        }
      }
    }
    return sources;
  }

  /** The names of a service's environment variables, from the map or the list form. */
  static List<String> environment(Object service) {
    Object environment = at(service, "environment");
    if (environment instanceof Map<?, ?> map) {
      return map.keySet().stream().map(String::valueOf).toList();
    }
    if (environment instanceof List<?> list) {
      return list.stream().map(entry -> String.valueOf(entry).split("=", 2)[0]).toList();
    }
    return List.of();
  }

  /**
   * What keeps the gateway's sessions from being shared and kept: a store other than Redis, a
   * {@code REDIS_HOST} that is no Redis service of the file, a start that does not wait for that
   * service to answer {@code PING}, or a port or password other than the server's.
   */
  List<String> sessionStoreProblems() {
    List<String> problems = new ArrayList<>();
    Object gateway = services().get("gateway");
    Map<String, String> settings = environmentValues(gateway);
    String store = settings.get("GATEWAY_SESSION_STORE");
    if (!"redis".equals(store)) {
      problems.add("gateway: sessions in " + (store == null ? "memory (the default)" : store));
      return problems;
    }
    String host = settings.get("REDIS_HOST");
    Object redis = services().get(host);
    if (redis == null) {
      problems.add("gateway: REDIS_HOST " + host + " is no service");
      return problems;
    }
    if (!String.valueOf(at(redis, "image")).startsWith("redis:")) {
      problems.add(host + ": " + at(redis, "image") + " is not Redis");
    }
    if (!String.valueOf(at(redis, "healthcheck", "test")).contains("redis-cli ping")) {
      problems.add(host + ": no health check by redis-cli ping");
    }
    if (!"service_healthy".equals(at(gateway, "depends_on", host, "condition"))) {
      problems.add("gateway: does not wait for " + host + " to be healthy");
    }
    List<String> command = command(redis);
    String port = optionOf(command, "--port");
    if (!Objects.equals(settings.get("REDIS_PORT"), port == null ? "6379" : port)) {
      problems.add("gateway: REDIS_PORT " + settings.get("REDIS_PORT") + " is not " + host + "'s");
    }
    if (!Objects.equals(settings.get("REDIS_PASSWORD"), optionOf(command, "--requirepass"))) {
      problems.add("gateway: REDIS_PASSWORD is not the password " + host + " requires");
    }
    return problems;
  }

  /** A service's command as a list (the list form, or the string form split at blanks). */
  static List<String> command(Object service) {
    Object command = at(service, "command");
    if (command instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return command == null ? List.of() : List.of(String.valueOf(command).trim().split("\\s+"));
  }

  /** The value after an option in a command ({@code --port 6380}), or null. */
  private static String optionOf(List<String> command, String option) {
    int index = command.indexOf(option);
    return index >= 0 && index + 1 < command.size() ? command.get(index + 1) : null;
  }

  /** A service's environment as names and values, from the map or the list form. */
  static Map<String, String> environmentValues(Object service) {
    Map<String, String> values = new TreeMap<>();
    Object environment = at(service, "environment");
    if (environment instanceof Map<?, ?> map) {
      map.forEach((name, value) -> values.put(String.valueOf(name), String.valueOf(value)));
    } else if (environment instanceof List<?> list) {
      for (Object entry : list) {
        String[] parts = String.valueOf(entry).split("=", 2);
        values.put(parts[0], parts.length > 1 ? parts[1] : null);
      }
    }
    return values;
  }

  /** Each published port of each service, as {@code service → [host:]published:target}. */
  Map<String, List<String>> publishedPorts() {
    Map<String, List<String>> ports = new TreeMap<>();
    services()
        .forEach(
            (name, service) -> {
              if (at(service, "ports") instanceof List<?> list && !list.isEmpty()) {
                ports.put(name, list.stream().map(String::valueOf).toList());
              }
            });
    return ports;
  }

  private static String firstGroup(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      throw new IllegalStateException("no match for " + pattern);
    }
    return matcher.group(1);
  }

  /** The services that read their secrets from Vault ({@code VAULT_ENABLED: "true"}). */
  List<String> vaultEnabledServices() {
    List<String> names = new ArrayList<>();
    services()
        .forEach(
            (name, service) -> {
              if ("true".equals(environmentValues(service).get("VAULT_ENABLED"))) {
                names.add(name);
              }
            });
    return names;
  }

  /** Secrets a Vault-enabled service is given by its environment rather than by Vault. */
  List<String> secretsInTheEnvironmentOfVaultEnabledServices() {
    List<String> problems = new ArrayList<>();
    for (String name : vaultEnabledServices()) {
      for (String variable : environment(services().get(name))) {
        if (SECRET_NAME.matcher(variable).matches() && !VAULT_LOGIN.contains(variable)) {
          problems.add(name + ": " + variable + " is a secret in its environment");
        }
      }
    }
    return problems;
  }

  /**
   * What {@code vault kv put secret/<path> key="$VARIABLE" …} lines of a script write: by path,
   * each key with the variable whose value it writes.
   */
  static Map<String, Map<String, String>> vaultKvPuts(String script) {
    Map<String, Map<String, String>> puts = new TreeMap<>();
    Matcher put = KV_PUT.matcher(script.replace("\\\n", " "));
    while (put.find()) {
      Map<String, String> keys = puts.computeIfAbsent(put.group(1), path -> new TreeMap<>());
      Matcher pair = KV_PAIR.matcher(put.group(2));
      while (pair.find()) {
        keys.put(pair.group(1), pair.group(2));
      }
    }
    return puts;
  }

  /**
   * What keeps a service's secrets from reaching it through Vault: a service in {@code secretsRead}
   * that is not Vault-enabled; a secret it reads that the script (vault-init's) does not write into
   * {@code secret/<service>}, or writes from a variable the setup service is not given; a key
   * written that the service does not read ({@code propertiesOf}: a service's property names).
   *
   * @param secretsRead by service, the secret property names it reads
   * @param setupService the one-shot service that runs the script
   * @param script the script's text
   */
  List<String> vaultSecretProblems(
      Map<String, List<String>> secretsRead,
      String setupService,
      String script,
      Function<String, Set<String>> propertiesOf) {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, String>> puts = vaultKvPuts(script);
    Map<String, String> given = environmentValues(services().get(setupService));
    List<String> vaultEnabled = vaultEnabledServices();
    new TreeMap<>(secretsRead)
        .forEach(
            (service, properties) -> {
              if (!vaultEnabled.contains(service)) {
                problems.add(service + ": Vault is not enabled");
              }
              Map<String, String> written = puts.getOrDefault(service, Map.of());
              for (String property : properties) {
                if (!written.containsKey(property)) {
                  problems.add(setupService + ": writes no " + property + " for " + service);
                }
              }
              Set<String> read = propertiesOf.apply(service);
              written.forEach(
                  (property, variable) -> {
                    if (!read.contains(property)) {
                      problems.add(
                          setupService
                              + ": writes "
                              + property
                              + ", which "
                              + service
                              + " does not read");
                    }
                    if (!given.containsKey(variable)) {
                      problems.add(
                          setupService
                              + ": "
                              + variable
                              + " ("
                              + service
                              + "'s "
                              + property
                              + ") is not in its environment");
                    }
                  });
            });
    return problems;
  }

  /**
   * The property names of a module's {@code src/main/resources/application.yml}, nested keys joined
   * with dots ({@code spring.r2dbc.password}).
   */
  static Set<String> applicationProperties(String module) {
    try {
      Map<String, Object> yaml =
          Manifests.documents(
                  Files.readString(
                      ROOT.resolve(module).resolve("src/main/resources/application.yml")))
              .get(0);
      Set<String> names = new TreeSet<>();
      flatten("", yaml, names);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flatten(String prefix, Object node, Set<String> names) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> flatten(prefix + key + ".", value, names));
    } else {
      names.add(prefix.substring(0, prefix.length() - 1));
    }
  }
}
