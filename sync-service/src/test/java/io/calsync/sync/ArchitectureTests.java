package io.calsync.sync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.calsync.sync");

  @Test
  void mainCodeNeverBlocks() {
    noClasses()
        .should()
        .callMethodWhere(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "a Reactor block*() call",
                call ->
                    (call.getTargetOwner().isAssignableTo(reactor.core.publisher.Mono.class)
                            || call.getTargetOwner().isAssignableTo(reactor.core.publisher.Flux.class))
                        && call.getName().startsWith("block")))
        .check(MAIN);
  }

  @Test
  void domainImportsNoWebR2dbcOrKafkaTypes() {
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
            "org.springframework.kafka..",
            "org.apache.kafka..")
        .check(MAIN);
  }

  @Test
  void webAndMessagingDoNotDependOnEachOther() {
    noClasses().that().resideInAPackage("..web..").should().dependOnClassesThat()
        .resideInAPackage("..messaging..").check(MAIN);
    noClasses().that().resideInAPackage("..messaging..").should().dependOnClassesThat()
        .resideInAPackage("..web..").check(MAIN);
  }

  @Test
  void persistenceDoesNotDependOnWeb() {
    noClasses().that().resideInAPackage("..persistence..").should().dependOnClassesThat()
        .resideInAPackage("..web..").check(MAIN);
  }
}
