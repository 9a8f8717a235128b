package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.exception.ConfigurationException;
import io.stowage.spi.Diagnosis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reads leave behind: {@code Stowage.builder().diagnose()} runs each configured driver's
 * self-check without opening anything, and opening Stowage to list volumes creates neither host
 * state nor a back-end store.
 */
class ReadsCreateNothingTest {
  @TempDir
  Path work;

  @Test
  void aDriverThatOpensPassesItsDefaultCheckAndNoStateIsCreated() {
    Map<String, List<Diagnosis>> result = Instances.builder(work, "host-a", DeviceMode.SIMULATED)
        .host(new SimulatedHost(work.resolve("host"))).diagnose();
    assertEquals(List.of("fake"), List.copyOf(result.keySet()));
    List<Diagnosis> fake = result.get("fake");
    assertEquals(1, fake.size());
    assertTrue(fake.get(0).passed(), fake.toString());
    assertEquals("local instance host-a", fake.get(0).detail());
    assertFalse(Files.exists(work.resolve("host-a").resolve("state")), "no host state");
  }

  @Test
  void aDriverThatCannotOpenReportsWhy() {
    Map<String, List<Diagnosis>> result = Instances.builder(work, "host-a", DeviceMode.LOOP)
        .host(new SimulatedHost(work.resolve("host"))).diagnose();
    Diagnosis opens = result.get("fake").get(0);
    assertFalse(opens.passed());
    assertTrue(opens.detail().contains("fake.devices is loop"), opens.detail());
  }

  @Test
  void openingAndListingCreateNothing() {
    try (Stowage stowage = Instances.builder(work, "host-a", DeviceMode.SIMULATED)
        .host(new SimulatedHost(work.resolve("host"))).build()) {
      assertEquals(List.of(), stowage.volumes().list());
      assertTrue(stowage.volumes().find("pgdata").isEmpty());
      assertTrue(stowage.volumes().path("pgdata").isEmpty());
    }
    assertFalse(Files.exists(work.resolve("host-a")), "no mount root, no state directory");
    assertFalse(Files.exists(work.resolve("backend")), "no store");
  }

  @Test
  void loadingTheConfigurationCreatesNothingAndReportsEveryProblem() {
    assertEquals(List.of("fake"), Instances.builder(work, "host-a", DeviceMode.SIMULATED)
        .host(new SimulatedHost(work.resolve("host"))).configuration().storageDrivers());
    assertFalse(Files.exists(work.resolve("host-a")), "no mount root, no state directory");
    assertFalse(Files.exists(work.resolve("backend")), "no store");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Instances.builder(work, "host-a", DeviceMode.SIMULATED)
            .setting("fake.latency", "soon").setting("stowage.volume.mount.preempt", "maybe")
            .host(new SimulatedHost(work.resolve("host"))).configuration());
    assertEquals(2, e.problems().size(), e.getMessage());
  }
}
