package io.stowage.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules across modules: this module's class path holds the core, the drivers and the kit. */
class ModuleBoundariesTest {
  private static JavaClasses all;

  @BeforeAll
  static void importEverything() {
    all = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.stowage");
  }

  @Test
  void nothingOutsideTheCoreUsesItsInternals() {
    noClasses().that().resideInAnyPackage("io.stowage.driver..", "io.stowage.tck..",
            "io.stowage.examples..")
        .should().dependOnClassesThat().resideInAPackage("io.stowage.internal..")
        .check(all);
  }

  @Test
  void noDriverDependsOnAnotherDriver() {
    slices().matching("io.stowage.driver.(*)..").should().notDependOnEachOther().check(all);
  }

  @Test
  void driversDoNotReachIntoThePolicyLayer() {
    noClasses().that().resideInAPackage("io.stowage.driver..")
        .should().dependOnClassesThat().resideInAnyPackage("io.stowage.internal.policy..",
            "io.stowage.internal.state..", "io.stowage.config..")
        .check(all);
  }
}
