package io.stowage.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriverProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs the contract kit on the reference driver through the JUnit Platform, once as it is
 * and once per {@link Defect}, and checks that exactly the kit tests meant to catch each
 * defect fail.
 */
class KitSelfTest {
  /** The kit's tests, counting each dynamic test of {@code optionsNeedingCapabilities}. */
  private static final int KIT_TESTS = 35;

  @Test
  void aDriverThatKeepsTheContractPassesEveryKitTest() {
    assertFailed(Set.of(), ReferenceDriverContractTest.class, Optional.empty());
  }

  @Test
  void aDriverWithoutTheOptionalFeaturesPassesEveryKitTest() {
    assertFailed(Set.of(), BasicReferenceDriverContractTest.class, Optional.empty());
  }

  @ParameterizedTest
  @EnumSource(Defect.class)
  void eachDefectFailsTheKitTestsThatCheckForIt(Defect defect) {
    assertFailed(defect.caughtBy(), defect.onBasicDriver() ? BasicReferenceDriverContractTest.class
        : ReferenceDriverContractTest.class, Optional.of(defect));
  }

  @Test
  void aNameBreakingTheNameRuleFailsTheNameTestAndTheStowageBuild() {
    assertFailed(Set.of("mountAndUnmountCallBudget", "providerNameFollowsNameRule"),
        MisnamedKit.class, Optional.empty());
  }

  @Test
  void aProviderServiceLoaderCannotFindFailsTheRegistrationTest() {
    assertFailed(Set.of("providerIsRegisteredWithServiceLoader"), UnregisteredKit.class,
        Optional.empty());
  }

  /**
   * Runs a kit class and asserts which of its tests failed (the message shows why each did),
   * and that every kit test ran and none was skipped or aborted.
   */
  private static void assertFailed(Set<String> expected, Class<?> kit,
      Optional<Defect> defect) {
    EngineTestKit.Builder run = EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit));
    defect.ifPresent(d -> run.configurationParameter(ReferenceDriverContractTest.DEFECT,
        d.name()));
    Events tests = run.execute().testEvents();
    assertEquals(KIT_TESTS, tests.finished().count(), "kit tests run");
    assertEquals(KIT_TESTS, tests.succeeded().count() + tests.failed().count(),
        "kit tests that passed or failed, none skipped or aborted");
    Map<String, String> failed = new TreeMap<>();
    tests.failed().stream().forEach(e -> failed.put(kitTestName(e.getTestDescriptor()),
        failure(e)));
    assertEquals(new TreeSet<>(expected), failed.keySet(), () -> "failed kit tests of "
        + kit.getSimpleName() + defect.map(d -> " with " + d).orElse("") + ": " + failed);
  }

  private static String kitTestName(TestDescriptor test) {
    String method = ((MethodSource) test.getSource().orElseThrow()).getMethodName();
    boolean dynamic = test.getUniqueId().getLastSegment().getType().equals("dynamic-test");
    return dynamic ? method + "/" + test.getDisplayName() : method;
  }

  private static String failure(Event event) {
    return event.getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
        .map(m -> m.lines().findFirst().orElse(""))
        .orElse("");
  }

  /** The kit on a provider whose name breaks the name rule. */
  static class MisnamedKit extends ReferenceDriverContractTest {
    @Override
    protected StorageDriverProvider provider() {
      return new MisnamedDriverProvider();
    }

    /** The section keeps a legal name: one that breaks the rule cannot even name a section. */
    @Override
    protected DriverConfig config() {
      return DriverConfig.of(ReferenceDriverProvider.NAME, settings());
    }
  }

  /** The kit on a provider that ServiceLoader does not list. */
  static class UnregisteredKit extends ReferenceDriverContractTest {
    @Override
    protected StorageDriverProvider provider() {
      return new UnregisteredProvider();
    }
  }

  /** The reference driver's provider under another class, missing from META-INF/services. */
  static final class UnregisteredProvider extends ReferenceDriverProvider {}
}
