package io.calsync.contract;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/**
 * shared-model is the wire contract and nothing else: records, enums, sealed interfaces, constant
 * holders and the Jackson configuration. No Spring, no I/O, no clocks, no state.
 */
class ArchitectureTests {

  private static final JavaClasses CONTRACT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.calsync.contract");

  @Test
  void importsTheWholeContract() {
    // guards the rules below against vacuously passing on an empty import
    org.assertj.core.api.Assertions.assertThat(CONTRACT.size()).isGreaterThan(25);
  }

  @Test
  void dependsOnNoSpring() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..", "reactor..", "io.netty..", "jakarta..", "org.apache.kafka..")
        .check(CONTRACT);
  }

  @Test
  void dependsOnlyOnTheJdkAndJackson() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.calsync.contract..",
            "java.lang..",
            "java.time..",
            "java.util",
            "tools.jackson..",
            "com.fasterxml.jackson.annotation..")
        .check(CONTRACT);
  }

  @Test
  void doesNoIoAndReadsNoClockOrEnvironment() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..", "java.net..", "java.nio..", "java.util.concurrent..", "java.sql..")
        .orShould()
        .callMethodWhere(named("now"))
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "getProperty", String.class)
        .check(CONTRACT);
  }

  @Test
  void holdsNoState() {
    fields().that().areStatic().should().beFinal().check(CONTRACT);
  }

  @Test
  void everyTypeIsARecordEnumInterfaceOrConstantHolder() {
    classes()
        .that()
        .areTopLevelClasses()
        .and(DescribedPredicate.not(kind()))
        .and()
        .doNotHaveSimpleName("package-info")
        .should()
        .haveModifier(JavaModifier.FINAL)
        .andShould(haveOnlyPrivateConstructorsAndNoInstanceFields())
        .check(CONTRACT);
  }

  @Test
  void recordsAndEnumsArePublicApi() {
    classes()
        .that(kind())
        .and()
        .areTopLevelClasses()
        .and()
        .doNotHaveSimpleName("package-info")
        .should()
        .bePublic()
        .check(CONTRACT);
  }

  private static DescribedPredicate<JavaClass> kind() {
    return DescribedPredicate.describe(
        "records, enums or interfaces", c -> c.isRecord() || c.isEnum() || c.isInterface());
  }

  private static DescribedPredicate<JavaMethodCall> named(String name) {
    return DescribedPredicate.describe(
        "a method named " + name + " of java.time",
        call ->
            call.getTarget().getName().equals(name)
                && call.getTarget().getOwner().getPackageName().startsWith("java.time"));
  }

  private static ArchCondition<JavaClass> haveOnlyPrivateConstructorsAndNoInstanceFields() {
    return new ArchCondition<>("have only private constructors and no instance fields") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        boolean nonPrivateConstructor =
            item.getConstructors().stream()
                .anyMatch(c -> !c.getModifiers().contains(JavaModifier.PRIVATE));
        boolean instanceField =
            item.getFields().stream()
                .anyMatch(f -> !f.getModifiers().contains(JavaModifier.STATIC));
        if (nonPrivateConstructor || instanceField) {
          events.add(
              SimpleConditionEvent.violated(item, item.getName() + " is not a constant holder"));
        }
      }
    };
  }
}
