package io.stowage.internal.os;

import io.stowage.exception.CommandFailedException;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.internal.os.exec.Executables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Test helper: binds image files to loop devices with {@code losetup}, and releases them. Needs
 * root.
 * Thread-safe ({@code losetup --find} itself picks a free device atomically).
 */
public final class LoopDevices {
  private final CommandRunner runner;
  private final Duration timeout;
  private final Executables executables;

  /**
   * Creates the helper.
   *
   * @param runner runs {@code losetup}
   * @param timeout the timeout of each {@code losetup} call
   */
  public LoopDevices(CommandRunner runner, Duration timeout) {
    this(runner, timeout, Executables.fromEnvironment());
  }

  LoopDevices(CommandRunner runner, Duration timeout, Executables executables) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.executables = Objects.requireNonNull(executables, "executables");
  }

  /**
   * Binds an image file to the first free loop device.
   *
   * @param image the image file
   * @return the loop device, such as {@code /dev/loop3}
   * @throws io.stowage.exception.CommandFailedException when {@code losetup} fails
   */
  public Path attach(Path image) {
    List<String> argv = List.of(executables.resolve("losetup"), "--find", "--show",
        image.toAbsolutePath().toString());
    String out = runner.run(argv, timeout).stdout().strip();
    if (out.isEmpty() || out.contains("\n")) {
      throw new CommandFailedException(argv, 0, "expected one device on stdout, got: " + out,
          null);
    }
    return Path.of(out);
  }

  /**
   * Releases a loop device.
   *
   * @param device the loop device
   * @throws io.stowage.exception.CommandFailedException when {@code losetup -d} fails
   */
  public void detach(Path device) {
    runner.run(List.of(executables.resolve("losetup"), "-d", device.toString()), timeout);
  }
}
