package io.calsync.oauth;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebExceptionHandler;

/**
 * The boundaries of the service, checked on the compiled main classes. The packages read top-down
 * (the module README, "Packages"): {@code web} (the problem+json advice) over the features {@code
 * connect}, {@code connection} and {@code token}; below them {@code outbox}, {@code persistence}
 * and the adapters {@code google} and {@code cipher}; then {@code domain}, {@code config} and
 * {@code problem} at the bottom.
 */
class ArchitectureTests {

  private static final String BASE = "io.calsync.oauth";
  private static final List<String> FEATURES = List.of("connect", "connection", "token");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(BASE);
  }

  @Test
  void packagesAreLayeredTopDown() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .ensureAllClassesAreContainedInArchitectureIgnoring(BASE)
        .layer("Web")
        .definedBy(BASE + ".web..")
        .layer("Features")
        .definedBy(FEATURES.stream().map(f -> BASE + "." + f + "..").toArray(String[]::new))
        .layer("Outbox")
        .definedBy(BASE + ".outbox..")
        .layer("Persistence")
        .definedBy(BASE + ".persistence..")
        .layer("Google")
        .definedBy(BASE + ".google..")
        .layer("Cipher")
        .definedBy(BASE + ".cipher..")
        .layer("Domain")
        .definedBy(BASE + ".domain..")
        .layer("Config")
        .definedBy(BASE + ".config..")
        .layer("Problem")
        .definedBy(BASE + ".problem..")
        .whereLayer("Web")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Features")
        .mayOnlyBeAccessedByLayers("Web")
        .whereLayer("Outbox")
        .mayOnlyBeAccessedByLayers("Features")
        .whereLayer("Persistence")
        .mayOnlyBeAccessedByLayers("Features")
        .whereLayer("Google")
        .mayOnlyBeAccessedByLayers("Web", "Features")
        .whereLayer("Cipher")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Domain")
        .mayOnlyBeAccessedByLayers("Web", "Features", "Persistence", "Cipher")
        .whereLayer("Config")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Problem")
        .mayOnlyBeAccessedByLayers("Web", "Features", "Config")
        .check(classes);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void featuresDoNotDependOnEachOther() {
    for (String feature : FEATURES) {
      noClasses()
          .that()
          .resideInAPackage(BASE + "." + feature + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              FEATURES.stream()
                  .filter(f -> !f.equals(feature))
                  .map(f -> BASE + "." + f + "..")
                  .toArray(String[]::new))
          .because(
              "what two features share belongs below them (domain, persistence, outbox, google)")
          .check(classes);
    }
  }

  @Test
  void configDependsOnNothingAboveIt() {
    classes()
        .that()
        .resideInAPackage(BASE + ".config..")
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage(BASE + "..")
                .or(resideInAnyPackage(BASE + ".config..", BASE + ".problem..")))
        .because(
            "config is cross-cutting wiring at the bottom; a feature's wiring and properties live in the feature")
        .check(classes);
  }

  @Test
  void domainDoesNotDependOnWebPersistenceDriversKafkaOrGoogle() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("..domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "..web..",
                "org.springframework.http..",
                "org.springframework.web..",
                "org.springframework.r2dbc..",
                "org.springframework.data..",
                "org.springframework.transaction..",
                "io.r2dbc..",
                "org.postgresql..",
                "org.springframework.kafka..",
                "org.apache.kafka..",
                BASE + ".persistence..",
                BASE + ".google..",
                BASE + ".cipher..");
    rule.check(classes);
  }

  @Test
  void onlyTheGoogleAdapterTalksToGoogle() {
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + ".google..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(WebClient.class)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("reactor.netty.http.client..")
        .because(
            "Google's endpoints, the client registration and the HTTP client for them live in google")
        .check(classes);
  }

  @Test
  void mainCodeNeverBlocks() {
    ArchRule rule =
        noClasses()
            .should()
            .callMethodWhere(
                DescribedPredicate.describe(
                    "a block*() method of Mono or Flux",
                    (JavaMethodCall call) ->
                        call.getTarget().getName().startsWith("block")
                            && (call.getTargetOwner()
                                    .isAssignableTo(reactor.core.publisher.Mono.class)
                                || call.getTargetOwner()
                                    .isAssignableTo(reactor.core.publisher.Flux.class))))
            .because("nothing may block an event loop; compose the reactive chain instead");
    rule.check(classes);
  }

  @Test
  void webAndMessagingDoNotDependOnEachOther() {
    noClasses()
        .that()
        .areAnnotatedWith(RestController.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".outbox..", "org.springframework.kafka..", "org.apache.kafka..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage(BASE + ".outbox..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".web..", "org.springframework.web..", "org.springframework.http..")
        .check(classes);
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
        .check(classes);
    methods()
        .that()
        .areAnnotatedWith(ExceptionHandler.class)
        .should()
        .beDeclaredInClassesThat()
        .haveSimpleName("ProblemAdvice")
        .check(classes);
  }

  @Test
  void onlyTheRelayTalksToKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".outbox..", BASE + ".config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.kafka..", "org.apache.kafka.clients..")
        .check(classes);
  }
}
