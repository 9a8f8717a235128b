package io.stowage;

import io.stowage.internal.os.HostTimeouts;
import io.stowage.internal.os.LinuxHost;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.spi.Commands;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The real host layer and command runner, which {@link Stowage} uses unless
 * {@link Stowage.Builder#host} says otherwise; public for driver tests and programs that create
 * a driver themselves.
 */
public final class Hosts {
  private Hosts() {}

  /**
   * Returns the real Linux host: {@code mkfs.<type>}, {@code mount} and {@code umount} as
   * argument lists with timeouts (5 minutes for mkfs, 60 seconds for mount and umount, 30
   * seconds for queries), the mount table from {@code /proc/self/mountinfo}, file system types
   * from superblocks. Needs root to format and mount.
   *
   * @return the host; stateless and thread-safe
   */
  public static HostOs linux() {
    return new LinuxHost(new CommandRunner(), HostTimeouts.defaults());
  }

  /**
   * Returns the command runner: argument lists through Apache Commons Exec, with
   * {@code LC_ALL=C}, standard input closed, and up to 64 KiB of each output kept.
   *
   * @return the runner; stateless and thread-safe
   */
  public static Commands commands() {
    return new CommandRunner();
  }

  /**
   * Returns the context a driver gets on the real host, with the system clock.
   *
   * @param stateDirectory the state directory the driver may keep files under
   * @return the context
   */
  public static DriverContext context(Path stateDirectory) {
    return new DriverContext(Clock.systemUTC(), stateDirectory, linux(), commands());
  }
}
