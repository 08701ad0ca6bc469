package io.calsync.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Boundaries of the service. The one exception to "no block()": the Kafka listener adapter ({@code
 * readmodel.messaging}) waits for each batch's transaction on its consumer thread, which is never
 * an event loop, so that records of a partition are applied in order.
 */
class ArchitectureTests {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.calsync.query");

  @Test
  void domainImportsNoWebR2dbcOrKafka() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("..domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.springframework.web..",
                "org.springframework.http..",
                "org.springframework.r2dbc..",
                "io.r2dbc..",
                "org.springframework.data.r2dbc..",
                "org.springframework.kafka..",
                "org.apache.kafka..",
                "..web..",
                "..persistence..",
                "..messaging..");
    rule.check(MAIN);
  }

  @Test
  void persistenceKnowsNoWebAndConfigNothingAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("..persistence..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..web..", "..messaging..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("io.calsync.query.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.calsync.query.readmodel..",
            "io.calsync.query.stream..",
            "io.calsync.query.upcoming..")
        .check(MAIN);
  }

  @Test
  void featuresAndWiringAreFreeOfCycles() {
    slices().matching("io.calsync.query.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theReadModelProjectorKnowsNoDatabaseKafkaOrSpring() {
    noClasses()
        .that()
        .resideInAPackage("io.calsync.query.readmodel.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "io.r2dbc..",
            "org.apache.kafka..",
            "reactor..",
            "io.calsync.query.readmodel.persistence..",
            "io.calsync.query.readmodel.messaging..")
        .because(
            "the projector is a function from a message and the stored rows to row changes; the row stores do the I/O")
        .check(MAIN);
  }

  @Test
  void webAndMessagingDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("..web..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..messaging..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("..messaging..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..web..")
        .check(MAIN);
  }

  @Test
  void noBlockingOutsideTheListenerAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.calsync.query.readmodel.messaging..")
        .should()
        .callMethodWhere(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith(
                        "block"))
                .and(
                    com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                            com.tngtech.archunit.base.DescribedPredicate.describe(
                                "a Reactor publisher",
                                owner ->
                                    owner.isAssignableTo(reactor.core.publisher.Mono.class)
                                        || owner.isAssignableTo(
                                            reactor.core.publisher.Flux.class))))))
        .because("nothing may block an event loop; only the Kafka listener thread waits, by design")
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
  void noThreadSleepInMainCode() {
    noClasses().should().callMethod(Thread.class, "sleep", long.class).check(MAIN);
  }
}
