package io.stowage.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.stowage.driver.fake.SimulatedHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rules across modules: this module's class path holds the core, the drivers and the kit. */
class ModuleBoundariesTest {
  /** The example driver depends on the public API only. */
  private static final ArchRule PUBLIC_API_ONLY = classes()
      .that().resideInAPackage("io.stowage.examples.memory..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.stowage",
          "io.stowage.model..", "io.stowage.exception..", "io.stowage.spi..",
          "io.stowage.examples.memory..", "java..");

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

  /**
   * The memory driver is written as a driver outside this project would be: against the
   * public API only, never the internals, the configuration model or another driver.
   */
  @Test
  void theExampleDriverUsesOnlyThePublicApi() {
    PUBLIC_API_ONLY.check(all);
  }

  /** The rule bites: the memory driver's own kit test, which uses the fake driver's host. */
  @Test
  void thePublicApiRuleCatchesAClassThatUsesTheFakeDriver() {
    EvaluationResult result = PUBLIC_API_ONLY.evaluate(
        new ClassFileImporter().importPackages("io.stowage.examples.memory"));
    assertTrue(result.getFailureReport().getDetails().stream().anyMatch(d ->
            d.contains("MemoryDriverContractTest") && d.contains(SimulatedHost.class.getName())),
        result.getFailureReport().toString());
  }
}
