package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Capability;
import io.stowage.model.InstanceId;
import io.stowage.spi.DriverContext;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings record, its defaults, and binding through the provider. */
class FakeSettingsTest {
  @TempDir
  Path dir;

  @Test
  void defaultsFollowTheHostAndTheUser() {
    FakeSettings d = FakeSettings.DEFAULTS;
    assertEquals(Path.of("/var/lib/stowage/fake"), d.root());
    assertEquals(FakeSettings.hostName(), d.instanceId());
    InstanceId.of(d.instanceId());
    assertEquals(FakeSettings.runningAsRoot() ? DeviceMode.LOOP : DeviceMode.SIMULATED,
        d.devices());
    assertEquals("", d.failOn());
    assertEquals(Duration.ZERO, d.latency());
    assertEquals(0, d.throttleEvery());
    assertFalse(d.stuckAttach());
    assertEquals(Optional.empty(), d.availabilityZone());
    assertEquals(Duration.ofSeconds(30), d.commandTimeout());
  }

  @Test
  void theProviderBindsItsSectionAndCreatesNothingBeforeCreate() {
    FakeDriverProvider provider = new FakeDriverProvider();
    assertEquals("fake", provider.name());
    assertFalse(provider.capabilities().contains(Capability.CREATE_FROM_SNAPSHOT));
    Path root = dir.resolve("store");
    assertFalse(root.toFile().exists());
    try (StorageDriver driver = provider.create(new MapDriverConfig("fake", Map.of(
        "Root", root.toString(), "INSTANCEID", "node-7", "availabilityZone", "zone-b",
        "devices", "simulated", "latency", "5ms")),
        new DriverContext(Clock.systemUTC(), dir.resolve("state")))) {
      assertEquals(InstanceId.of("node-7"), driver.localInstance().id());
      assertEquals(Optional.of("zone-b"), driver.localInstance().availabilityZone());
      FakeDriver fake = (FakeDriver) driver;
      assertEquals(DeviceMode.SIMULATED, fake.settings().devices());
      assertEquals(Duration.ofMillis(5), fake.settings().latency());
      assertTrue(root.resolve("volumes").toFile().isDirectory());
    }
  }

  @Test
  void invalidValuesAreRejectedNamingTheSetting() {
    assertEquals("latency", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(dir, "a", Optional.empty(), DeviceMode.SIMULATED, "",
            Duration.ofSeconds(-1), 0, false, Duration.ofSeconds(1))).field());
    assertEquals("throttleEvery", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(dir, "a", Optional.empty(), DeviceMode.SIMULATED, "",
            Duration.ZERO, -1, false, Duration.ofSeconds(1))).field());
    assertEquals("failOn", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(dir, "a", Optional.empty(), DeviceMode.SIMULATED, "mount",
            Duration.ZERO, 0, false, Duration.ofSeconds(1))).field());
    assertEquals("instance id", assertThrows(InvalidArgumentException.class,
        () -> FakeSettings.DEFAULTS.withInstanceId("two words")).field());
  }
}
