package io.stowage;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.stowage.spi.AtomicFiles;
import io.stowage.spi.CrossProcessLock;
import io.stowage.spi.StorageDriverProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package arrows of CONVENTIONS.md pointing one way and the API self-contained. */
class ArchitectureTest {
  /** The packages module-info.java exports to everyone. */
  private static final String[] API = {"io.stowage", "io.stowage.model", "io.stowage.exception",
      "io.stowage.spi", "io.stowage.config", "io.stowage.mesos"};

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
  void publicConfigurationTypesDependOnlyOnTheApi() {
    classes().that().resideInAPackage("io.stowage.config")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.stowage.config", "io.stowage.spi..", "io.stowage.model..",
            "io.stowage.exception..", "java..")
        .check(core);
  }

  @Test
  void mesosParsingDependsOnlyOnTheModelAndJackson() {
    classes().that().resideInAPackage("io.stowage.mesos..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.stowage.mesos..", "io.stowage.model..",
            "io.stowage.exception..", "com.fasterxml.jackson..", "java..")
        .check(core);
  }

  @Test
  void stateKnowsNothingOfPolicyConfigHostOrDrivers() {
    noClasses().that().resideInAPackage("io.stowage.internal.state..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.stowage.internal.policy..", "io.stowage.internal.config..",
            "io.stowage.internal.os..")
        .check(core);
    // Of the SPI, the state uses only the file utilities it shares with drivers and the name
    // rule of drivers.
    noClasses().that().resideInAPackage("io.stowage.internal.state..")
        .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.stowage.spi")
            .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(AtomicFiles.class,
                CrossProcessLock.class, StorageDriverProvider.class))))
        .check(core);
  }

  @Test
  void hostLayerKnowsNothingOfPolicyConfigOrState() {
    noClasses().that().resideInAPackage("io.stowage.internal.os..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.stowage.internal.policy..", "io.stowage.internal.config..",
            "io.stowage.internal.state..")
        .check(core);
  }

  @Test
  void configKnowsNothingOfPolicyStateOrHost() {
    noClasses().that().resideInAPackage("io.stowage.internal.config..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.stowage.internal.policy..", "io.stowage.internal.state..",
            "io.stowage.internal.os..")
        .check(core);
  }

  @Test
  void onlyTheEntryPointUsesThePolicyLayer() {
    noClasses().that().resideOutsideOfPackages("io.stowage.internal.policy..")
        .and().resideOutsideOfPackage("io.stowage")
        .should().dependOnClassesThat().resideInAPackage("io.stowage.internal.policy..")
        .check(core);
  }

  @Test
  void theApiNeverShowsAnInternalType() {
    codeUnits().that().areDeclaredInClassesThat().resideInAnyPackage(API)
        .and().areDeclaredInClassesThat().arePublic()
        .and().arePublic().or().areProtected()
        .should(new ArchCondition<JavaCodeUnit>("not expose internal types") {
          @Override
          public void check(JavaCodeUnit unit, ConditionEvents events) {
            List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
            types.add(unit.getRawReturnType());
            for (JavaClass type : types) {
              if (type.getPackageName().startsWith("io.stowage.internal")) {
                events.add(SimpleConditionEvent.violated(unit,
                    unit.getFullName() + " exposes " + type.getName()));
              }
            }
          }
        })
        .check(core);
    fields().that().areDeclaredInClassesThat().resideInAnyPackage(API)
        .and().areDeclaredInClassesThat().arePublic()
        .and().arePublic()
        .should().haveRawType(new DescribedPredicate<JavaClass>("an API type") {
          @Override
          public boolean test(JavaClass type) {
            return !type.getPackageName().startsWith("io.stowage.internal");
          }
        })
        .check(core);
  }
}
