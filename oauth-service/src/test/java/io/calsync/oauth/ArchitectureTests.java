package io.calsync.oauth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The boundaries of the service, checked on the compiled main classes. */
class ArchitectureTests {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.calsync.oauth");
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
                            && (call.getTargetOwner().isAssignableTo(reactor.core.publisher.Mono.class)
                                || call.getTargetOwner().isAssignableTo(reactor.core.publisher.Flux.class))))
            .because("nothing may block an event loop; compose the reactive chain instead");
    rule.check(classes);
  }

  @Test
  void domainDoesNotDependOnWebPersistenceDriversOrKafka() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("..domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "..web..",
                "org.springframework.http..",
                "org.springframework.r2dbc..",
                "io.r2dbc..",
                "org.springframework.kafka..",
                "org.apache.kafka..");
    rule.check(classes);
  }

  @Test
  void webAndMessagingDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("..web..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..messaging..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("..messaging..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..web..")
        .check(classes);
  }

  @Test
  void onlyTheRelayTalksToKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackages("..messaging..", "..config..", "..web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.kafka..")
        .check(classes);
  }
}
