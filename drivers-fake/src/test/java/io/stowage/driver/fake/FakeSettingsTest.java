package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Capability;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings record, its declared defaults, and binding through the provider. */
class FakeSettingsTest {
  @TempDir
  Path dir;

  @Test
  void theDeclaredDefaultsApplyToAnEmptySection() {
    FakeSettings d = DriverConfig.of("fake", Map.of()).bind(FakeSettings.class);
    assertEquals(Path.of("/var/lib/stowage/fake"), d.root());
    assertEquals(Optional.empty(), d.instanceId());
    assertEquals(Optional.empty(), d.devices());
    assertEquals(Optional.empty(), d.failOn());
    assertEquals(Duration.ZERO, d.latency());
    assertEquals(0, d.throttleEvery());
    assertFalse(d.stuckAttach());
    assertEquals(Optional.empty(), d.availabilityZone());
    assertEquals(Duration.ofSeconds(30), d.commandTimeout());
    assertEquals("fake-1", d.region());
    assertEquals(List.of(), d.regions());
  }

  @Test
  void theDriverTakesTheHostNameAndTheDevicesTheHostTakes() {
    try (FakeDriver fake = new FakeDriver(FakeSettings.of(dir.resolve("store"),
        DeviceMode.SIMULATED), Contexts.simulated(dir))) {
      assertEquals(InstanceId.of(FakeDriver.hostName()), fake.localInstance().id());
    }
    FakeSettings unset = DriverConfig.of("fake", Map.of("root", dir.resolve("store")))
        .bind(FakeSettings.class);
    try (FakeDriver fake = new FakeDriver(unset, Contexts.simulated(dir))) {
      assertEquals(DeviceMode.SIMULATED, fake.devices());
    }
  }

  @Test
  void theProviderBindsItsSectionAndCreatesNothingBeforeCreate() {
    FakeDriverProvider provider = new FakeDriverProvider();
    assertEquals("fake", provider.name());
    assertEquals(FakeSettings.class, provider.settingsType());
    assertTrue(provider.capabilities().contains(Capability.CREATE_FROM_SNAPSHOT));
    Path root = dir.resolve("store");
    assertFalse(root.toFile().exists());
    try (StorageDriver driver = provider.create(DriverConfig.of("fake", Map.of(
        "Root", root.toString(), "INSTANCEID", "node-7", "availabilityZone", "zone-b",
        "devices", "simulated", "latency", "5ms")), Contexts.simulated(dir))) {
      assertEquals(InstanceId.of("node-7"), driver.localInstance().id());
      assertEquals(Optional.of("zone-b"), driver.localInstance().availabilityZone());
      FakeDriver fake = (FakeDriver) driver;
      assertEquals(DeviceMode.SIMULATED, fake.devices());
      assertEquals(Duration.ofMillis(5), fake.settings().latency());
      assertFalse(root.toFile().exists(), "opening creates nothing");
      assertEquals(0, driver.list().size());
      assertFalse(root.toFile().exists(), "listing creates nothing");
      driver.create(VolumeName.of("v"), VolumeOptions.NONE);
      assertTrue(root.resolve("volumes").toFile().isDirectory());
    }
  }

  @Test
  void aDeviceModeTheHostCannotMountIsRefusedNamingTheSetting() {
    ConfigurationException loopOnSimulated = assertThrows(ConfigurationException.class,
        () -> new FakeDriver(FakeSettings.of(dir.resolve("store"), DeviceMode.LOOP),
            Contexts.simulated(dir)));
    assertTrue(loopOnSimulated.getMessage().contains("fake.devices is loop"),
        loopOnSimulated.getMessage());
    ConfigurationException simulatedOnLinux = assertThrows(ConfigurationException.class,
        () -> new FakeDriver(FakeSettings.of(dir.resolve("store"), DeviceMode.SIMULATED),
            Contexts.linux(dir)));
    assertTrue(simulatedOnLinux.getMessage().contains("SimulatedHost"),
        simulatedOnLinux.getMessage());
  }

  @Test
  void invalidValuesAreRejectedNamingTheSetting() {
    Path root = dir.toAbsolutePath();
    assertEquals("latency", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(root, Optional.of("a"), Optional.empty(), Optional.empty(),
            Optional.empty(), Duration.ofSeconds(-1), 0, false, Duration.ofSeconds(1), "fake-1", List.of())).field());
    assertEquals("throttleEvery", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(root, Optional.of("a"), Optional.empty(), Optional.empty(),
            Optional.empty(), Duration.ZERO, -1, false, Duration.ofSeconds(1), "fake-1",
            List.of())).field());
    assertEquals("failOn", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(root, Optional.of("a"), Optional.empty(), Optional.empty(),
            Optional.of("mount"), Duration.ZERO, 0, false, Duration.ofSeconds(1), "fake-1",
            List.of())).field());
    assertEquals("root", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(Path.of("relative/store"), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Duration.ZERO, 0, false,
            Duration.ofSeconds(1), "fake-1", List.of())).field());
    assertEquals("regions", assertThrows(InvalidArgumentException.class,
        () -> new FakeSettings(root, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Duration.ZERO, 0, false, Duration.ofSeconds(1), "fake-1",
            List.of("fake-2", "Bad Region"))).field());
    assertEquals(List.of("fake-1", "fake-2"), List.copyOf(DriverConfig.of("fake",
        Map.of("root", root, "regions", List.of("fake-2"))).bind(FakeSettings.class)
        .allRegions()));
    assertEquals("instance id", assertThrows(InvalidArgumentException.class,
        () -> FakeSettings.of(root, DeviceMode.SIMULATED).withInstanceId("two words")).field());
  }

  @Test
  void aRelativeRootInTheSectionIsAConfigurationError() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> DriverConfig.of("fake", Map.of("root", "store")).bind(FakeSettings.class));
    assertTrue(e.getMessage().contains("must be an absolute path"), e.getMessage());
  }
}
