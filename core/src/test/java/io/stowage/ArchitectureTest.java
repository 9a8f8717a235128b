package io.stowage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package arrows of CONVENTIONS.md pointing one way. */
class ArchitectureTest {
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.stowage");
  }

  @Test
  void modelDependsOnNothingElseOfOurs() {
    classes().that().resideInAPackage("io.stowage.model..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.stowage.model..", "io.stowage.exception..", "java..")
        .check(core);
  }

  @Test
  void exceptionsDependOnNothingElseOfOurs() {
    classes().that().resideInAPackage("io.stowage.exception..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.stowage.exception..", "java..")
        .check(core);
  }

  @Test
  void spiDependsOnlyOnModelAndExceptions() {
    classes().that().resideInAPackage("io.stowage.spi..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.stowage.spi..", "io.stowage.model..", "io.stowage.exception..",
            "java..")
        .check(core);
  }

  @Test
  void stateKnowsNothingOfPolicyConfigOrDrivers() {
    noClasses().that().resideInAPackage("io.stowage.state..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.stowage.policy..", "io.stowage.config..", "io.stowage.os..",
            "io.stowage.spi..")
        .check(core);
  }

  @Test
  void hostLayerKnowsNothingOfPolicyConfigOrState() {
    noClasses().that().resideInAPackage("io.stowage.os..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.stowage.policy..", "io.stowage.config..", "io.stowage.state..")
        .check(core);
  }

  @Test
  void configKnowsNothingOfPolicyStateOrHost() {
    noClasses().that().resideInAPackage("io.stowage.config..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.stowage.policy..", "io.stowage.state..", "io.stowage.os..")
        .check(core);
  }

  @Test
  void onlyTheEntryPointUsesThePolicyLayer() {
    noClasses().that().resideOutsideOfPackages("io.stowage.policy..")
        .and().resideOutsideOfPackage("io.stowage")
        .should().dependOnClassesThat().resideInAPackage("io.stowage.policy..")
        .check(core);
  }
}
