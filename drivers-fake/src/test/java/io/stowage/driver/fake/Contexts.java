package io.stowage.driver.fake;

import io.stowage.Hosts;
import io.stowage.spi.DriverContext;
import java.nio.file.Path;
import java.time.Clock;

/** Driver contexts for tests that create the fake driver themselves. */
final class Contexts {
  private Contexts() {}

  /** A context on a {@link SimulatedHost} under {@code dir/host}, state under {@code dir/state}. */
  static DriverContext simulated(Path dir) {
    return new DriverContext(Clock.systemUTC(), dir.resolve("state"),
        new SimulatedHost(dir.resolve("host")), Hosts.commands());
  }

  /** A context on the real Linux host, state under {@code dir/state}. */
  static DriverContext linux(Path dir) {
    return Hosts.context(dir.resolve("state"));
  }
}
