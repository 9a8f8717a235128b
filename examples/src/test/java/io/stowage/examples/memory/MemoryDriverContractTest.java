package io.stowage.examples.memory;

import io.stowage.driver.fake.SimulatedHost;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriverProvider;
import io.stowage.tck.StorageDriverContractTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The contract kit on the memory driver, on a simulated host. */
class MemoryDriverContractTest extends StorageDriverContractTest {
  @TempDir
  Path dir;

  @Override
  protected StorageDriverProvider provider() {
    return new MemoryDriverProvider();
  }

  @Override
  protected Map<String, ?> settings() {
    return Map.of("deviceDirectory", dir.resolve("devices"));
  }

  @Override
  protected HostOs host() {
    return new SimulatedHost(dir.resolve("host"));
  }
}
