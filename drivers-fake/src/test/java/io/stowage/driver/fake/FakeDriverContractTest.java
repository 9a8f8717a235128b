package io.stowage.driver.fake;

import io.stowage.model.InstanceId;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriverProvider;
import io.stowage.tck.StorageDriverContractTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on the fake driver with simulated devices, on a {@link SimulatedHost}. */
class FakeDriverContractTest extends StorageDriverContractTest {
  @TempDir
  Path dir;

  @Override
  protected StorageDriverProvider provider() {
    return new FakeDriverProvider();
  }

  @Override
  protected Map<String, ?> settings() {
    return Map.of("root", dir.resolve("store"), "instanceId", "host-a", "devices", devices(),
        "regions", "fake-2");
  }

  /** The {@code devices} setting the suite runs with. */
  DeviceMode devices() {
    return DeviceMode.SIMULATED;
  }

  @Override
  protected HostOs host() {
    return new SimulatedHost(dir.resolve("host"));
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of("host-b"));
  }

  @Override
  protected Optional<String> otherRegion() {
    return Optional.of("fake-2");
  }
}
