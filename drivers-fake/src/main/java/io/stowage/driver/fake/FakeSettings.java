package io.stowage.driver.fake;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.InstanceId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of the fake driver, bound from the {@code fake:} configuration section. Keys
 * are the component names, matched case-insensitively.
 *
 * @param root the directory holding the store (one JSON file and one sparse image file per
 *     volume, and the lock file); shared by every process and simulated instance that uses the
 *     same back end. Default {@code /var/lib/stowage/fake}
 * @param instanceId the ID of the instance this driver runs on. Default: the host name
 * @param availabilityZone the zone of that instance, if any. Default: none
 * @param devices {@code LOOP} for real loop devices or {@code SIMULATED} for pseudo devices.
 *     Default: {@code LOOP} when running as root (uid 0), {@code SIMULATED} otherwise
 * @param failOn fault injection: comma-separated {@code operation:n} pairs, such as
 *     {@code attach:3,create:1}, meaning the n-th call of that operation fails. Default: none
 * @param latency fault injection: a delay added to every call. Default: zero
 * @param throttleEvery fault injection: every n-th back-end call fails with a retryable error;
 *     0 turns it off. Default: 0
 * @param stuckAttach fault injection: attachments are recorded but their device never
 *     appears. Default: false
 * @param commandTimeout the longest an external command ({@code losetup}) may run. Default 30 s
 */
public record FakeSettings(
    Path root,
    String instanceId,
    Optional<String> availabilityZone,
    DeviceMode devices,
    String failOn,
    Duration latency,
    int throttleEvery,
    boolean stuckAttach,
    Duration commandTimeout) {

  /** The default store root. */
  public static final Path DEFAULT_ROOT = Path.of("/var/lib/stowage/fake");

  /** The defaults; {@code instanceId} and {@code devices} depend on the host and the user. */
  public static final FakeSettings DEFAULTS = new FakeSettings(DEFAULT_ROOT, hostName(),
      Optional.empty(), runningAsRoot() ? DeviceMode.LOOP : DeviceMode.SIMULATED, "",
      Duration.ZERO, 0, false, Duration.ofSeconds(30));

  /**
   * Validates the settings.
   *
   * @throws InvalidArgumentException naming the first invalid setting
   */
  public FakeSettings {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(failOn, "failOn");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    InstanceId.of(instanceId);
    FaultInjector.parseFailOn(failOn);
    if (latency.isNegative()) {
      throw new InvalidArgumentException("latency", latency.toString(), "must not be negative");
    }
    if (throttleEvery < 0) {
      throw new InvalidArgumentException("throttleEvery", Integer.toString(throttleEvery),
          "must not be negative");
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new InvalidArgumentException("commandTimeout", commandTimeout.toString(),
          "must be positive");
    }
  }

  /**
   * Returns the defaults with another root and device mode, the usual settings of a test.
   *
   * @param root the store root
   * @param devices the device mode
   * @return the settings
   */
  public static FakeSettings of(Path root, DeviceMode devices) {
    return DEFAULTS.withRoot(root).withDevices(devices);
  }

  /**
   * Returns these settings with another root.
   *
   * @param root the store root
   * @return the settings
   */
  public FakeSettings withRoot(Path root) {
    return new FakeSettings(root, instanceId, availabilityZone, devices, failOn, latency,
        throttleEvery, stuckAttach, commandTimeout);
  }

  /**
   * Returns these settings with another instance ID.
   *
   * @param instanceId the instance ID
   * @return the settings
   */
  public FakeSettings withInstanceId(String instanceId) {
    return new FakeSettings(root, instanceId, availabilityZone, devices, failOn, latency,
        throttleEvery, stuckAttach, commandTimeout);
  }

  /**
   * Returns these settings with another device mode.
   *
   * @param devices the device mode
   * @return the settings
   */
  public FakeSettings withDevices(DeviceMode devices) {
    return new FakeSettings(root, instanceId, availabilityZone, devices, failOn, latency,
        throttleEvery, stuckAttach, commandTimeout);
  }

  /**
   * Returns whether this process runs as root, from the real UID in
   * {@code /proc/self/status}.
   *
   * @return true for UID 0
   */
  static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"),
          StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          String[] fields = line.substring(4).strip().split("\\s+");
          return fields.length > 0 && fields[0].equals("0");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /**
   * Returns the host name from the kernel, falling back to {@code HOSTNAME} and then
   * {@code localhost}.
   *
   * @return a name that is a valid instance ID
   */
  static String hostName() {
    String name = null;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8)
          .strip();
    } catch (IOException | RuntimeException e) {
      name = System.getenv("HOSTNAME");
    }
    if (name == null || name.isEmpty() || name.chars().anyMatch(
        c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return "localhost";
    }
    return name;
  }
}
