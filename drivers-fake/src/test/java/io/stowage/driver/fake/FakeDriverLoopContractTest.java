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

/** The contract suite on the fake driver with real loop devices (needs root). */
class FakeDriverLoopContractTest extends StorageDriverContractTest {
  @TempDir
  Path dir;

  @Override
  protected StorageDriverProvider provider() {
    return new FakeDriverProvider();
  }

  @Override
  protected DriverConfig config() {
    LoopEnvironment.require();
    return new MapDriverConfig("fake", Map.of("root", dir.resolve("store").toString(),
        "instanceId", "host-a", "devices", "loop"));
  }

  @Override
  protected DriverContext context() {
    return new DriverContext(Clock.systemUTC(), dir.resolve("state"));
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of("host-b"));
  }
}
