package io.calsync.sync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The package layout of the module README, top to bottom: {@code web} → {@code usecase} → {@code
 * trigger} → {@code engine} → the adapters ({@code google}, {@code token}, {@code publish}) and
 * {@code persistence} → {@code model}; {@code config} wires and nothing depends on it.
 */
class ArchitectureTests {

  private static final String BASE = "io.calsync.sync";
  private static final String WEB = BASE + ".web..";
  private static final String USE_CASES = BASE + ".usecase..";
  private static final String TRIGGERS = BASE + ".trigger..";
  private static final String ENGINE = BASE + ".engine..";
  private static final String GOOGLE = BASE + ".google..";
  private static final String TOKENS = BASE + ".token..";
  private static final String PUBLISHER = BASE + ".publish..";
  private static final String PERSISTENCE = BASE + ".persistence..";
  private static final String MODEL = BASE + ".model..";
  private static final String CONFIG = BASE + ".config..";

  private static final String[] WEB_TYPES = {
    "org.springframework.web..", "org.springframework.http..", "org.springframework.security.."
  };
  private static final String[] R2DBC_TYPES = {"org.springframework.r2dbc..", "io.r2dbc.."};
  private static final String[] KAFKA_TYPES = {"org.springframework.kafka..", "org.apache.kafka.."};

  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(BASE);

  @Test
  void packagesAreLayeredTopDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Config")
        .definedBy(CONFIG)
        .layer("Web")
        .definedBy(WEB)
        .layer("UseCases")
        .definedBy(USE_CASES)
        .layer("Triggers")
        .definedBy(TRIGGERS)
        .layer("Engine")
        .definedBy(ENGINE)
        .layer("Google")
        .definedBy(GOOGLE)
        .layer("Tokens")
        .definedBy(TOKENS)
        .layer("Publisher")
        .definedBy(PUBLISHER)
        .layer("Persistence")
        .definedBy(PERSISTENCE)
        .layer("Model")
        .definedBy(MODEL)
        .whereLayer("Config")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Web")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("UseCases")
        .mayOnlyBeAccessedByLayers("Web")
        .whereLayer("Triggers")
        .mayOnlyBeAccessedByLayers("UseCases", "Web")
        .whereLayer("Engine")
        .mayOnlyBeAccessedByLayers("Triggers", "UseCases")
        .whereLayer("Google")
        .mayOnlyBeAccessedByLayers("Engine", "Config")
        // use cases look up a connection not heard of yet at oauth-service (read-your-writes); the
        // HTTP layer only knows that look-up's failure, to answer it with a 503
        .whereLayer("Tokens")
        .mayOnlyBeAccessedByLayers("Google", "Engine", "UseCases", "Web", "Config")
        // the HTTP layer only knows the publisher's failure, to answer it with a 503
        .whereLayer("Publisher")
        .mayOnlyBeAccessedByLayers("Engine", "Triggers", "Web")
        // controllers call use cases, never repositories
        .whereLayer("Persistence")
        .mayOnlyBeAccessedByLayers("Engine", "Triggers", "UseCases")
        .whereLayer("Model")
        .mayOnlyBeAccessedByLayers("Persistence", "Google", "Engine", "Triggers", "UseCases", "Web")
        .check(MAIN);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void onlyTheGoogleAdapterUsesGoogleTypes() {
    noClasses()
        .that()
        .resideOutsideOfPackage(GOOGLE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.google..")
        .check(MAIN);
  }

  @Test
  void theModelIsPlainJava() {
    classes()
        .that()
        .resideInAPackage(MODEL)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", MODEL)
        .check(MAIN);
  }

  @Test
  void domainCodeImportsNoWebR2dbcOrKafkaTypes() {
    noClasses()
        .that()
        .resideInAnyPackage(MODEL, ENGINE, USE_CASES)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(WEB_TYPES, R2DBC_TYPES, KAFKA_TYPES))
        .check(MAIN);
  }

  @Test
  void triggersImportNoWebOrR2dbcTypes() {
    // Kafka types are allowed here: the connection listener is one of the triggers
    noClasses()
        .that()
        .resideInAPackage(TRIGGERS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(WEB_TYPES, R2DBC_TYPES))
        .check(MAIN);
  }

  @Test
  void persistenceImportsNoWebOrKafkaTypes() {
    noClasses()
        .that()
        .resideInAPackage(PERSISTENCE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(WEB_TYPES, KAFKA_TYPES))
        .check(MAIN);
  }

  @Test
  void problemAdviceIsTheOnlyExceptionHandler() {
    classes()
        .that()
        .areMetaAnnotatedWith(ControllerAdvice.class)
        .or()
        .implement(WebExceptionHandler.class)
        .should()
        .haveSimpleName("ProblemAdvice")
        .because(
            "one error model: problems come from ProblemAdvice, or ProblemWriter where no controller is reached")
        .check(MAIN);
    methods()
        .that()
        .areAnnotatedWith(ExceptionHandler.class)
        .should()
        .beDeclaredInClassesThat()
        .haveSimpleName("ProblemAdvice")
        .check(MAIN);
  }

  @Test
  void webAndMessagingDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage(WEB)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(KAFKA_TYPES)
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Publisher")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Listener")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage(PUBLISHER)
        .or()
        .haveSimpleNameEndingWith("Listener")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(new String[] {WEB}, WEB_TYPES))
        .check(MAIN);
  }

  @Test
  void mainCodeNeverBlocks() {
    noClasses()
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a Reactor block*() call",
                call ->
                    (call.getTargetOwner().isAssignableTo(Mono.class)
                            || call.getTargetOwner().isAssignableTo(Flux.class))
                        && call.getName().startsWith("block")))
        .check(MAIN);
  }

  private static String[] concat(String[]... groups) {
    return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}
