package io.stowage.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.examples.memory.MemoryDriverProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryDriverExampleTest {
  @TempDir
  Path work;

  @Test
  void aFileWrittenOnTheFirstMountIsReadOnTheSecond() throws Exception {
    assertEquals("kept on the device", InMemoryDriverExample.run(work));
    try (Stream<Path> devices = Files.list(work.resolve("devices"))) {
      assertEquals(0, devices.count(), "no device is left attached");
    }
    assertTrue(new SimulatedHost(work.resolve("host")).mounts().isEmpty(), "nothing mounted");
  }

  @Test
  void stowageFindsTheMemoryDriverThroughServiceLoader() {
    try (Stowage stowage = Stowage.builder()
        .host(new SimulatedHost(work.resolve("host")))
        .setting("stowage.storageDrivers", "memory")
        .setting("memory.deviceDirectory", work.resolve("devices"))
        .setting("stowage.state.directory", work.resolve("state"))
        .build()) {
      assertEquals(MemoryDriverProvider.class,
          stowage.registry().provider("memory").getClass());
    }
  }
}
