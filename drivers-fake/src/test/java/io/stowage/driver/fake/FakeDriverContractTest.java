package io.stowage.driver.fake;

import io.stowage.model.InstanceId;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.StorageDriverProvider;
import io.stowage.tck.StorageDriverContractTest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on the fake driver with simulated devices. */
class FakeDriverContractTest extends StorageDriverContractTest {
  @TempDir
  Path dir;

  @Override
  protected StorageDriverProvider provider() {
    return new FakeDriverProvider();
  }

  @Override
  protected DriverConfig config() {
    return DriverConfig.of("fake", Map.of("root", dir.resolve("store"),
        "instanceId", "host-a", "devices", devices()));
  }

  /** The {@code devices} setting the suite runs with. */
  DeviceMode devices() {
    return DeviceMode.SIMULATED;
  }

  @Override
  protected DriverContext context() {
    return Contexts.of(devices(), dir);
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of("host-b"));
  }
}
