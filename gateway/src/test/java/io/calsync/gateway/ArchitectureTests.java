package io.calsync.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The gateway's boundaries, checked on the compiled main classes. */
class ArchitectureTests {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.calsync.gateway");

  @Test
  void importsTheMainClasses() {
    assertThat(MAIN.size()).isGreaterThan(8);
  }

  @Test
  void mainCodeNeverBlocks() {
    noClasses()
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a Reactor block*() call",
                (JavaMethodCall call) ->
                    call.getName().startsWith("block")
                        && (call.getTargetOwner().isAssignableTo(reactor.core.publisher.Mono.class)
                            || call.getTargetOwner()
                                .isAssignableTo(reactor.core.publisher.Flux.class))))
        .because("nothing may block an event loop")
        .check(MAIN);
  }

  @Test
  void problemsAreBuiltOnlyInTheProblemPackage() {
    // one shape for every error: outside ..problem.. nobody builds a ProblemDetail or writes a body
    // itself
    noClasses()
        .that()
        .resideOutsideOfPackage("..problem..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(org.springframework.http.ProblemDetail.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(io.calsync.contract.problem.Problem.class)
        .check(MAIN);
  }

  @Test
  void theErrorHandlerIsTheOnlyExceptionHandler() {
    // the routes are not controllers, so the gateway's one "advice" is a WebExceptionHandler
    classes()
        .that()
        .areMetaAnnotatedWith(org.springframework.web.bind.annotation.ControllerAdvice.class)
        .or()
        .implement(org.springframework.web.server.WebExceptionHandler.class)
        .should()
        .haveSimpleName("ProblemErrorWebExceptionHandler")
        .check(MAIN);
    methods()
        .that()
        .areAnnotatedWith(org.springframework.web.bind.annotation.ExceptionHandler.class)
        .should()
        .beDeclaredInClassesThat()
        .haveSimpleName("ProblemErrorWebExceptionHandler")
        .allowEmptyShould(true)
        .check(MAIN);
  }

  @Test
  void featurePackagesDoNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("..routing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.calsync.gateway.security..", "io.calsync.gateway.webapp..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("io.calsync.gateway.security..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.calsync.gateway.routing..")
        .check(MAIN);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.calsync.gateway.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void configImportsNothingAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("io.calsync.gateway.config..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.calsync.gateway..")
                .and(not(resideInAPackage("io.calsync.gateway.config.."))))
        .check(MAIN);
  }
}
