package io.stowage.driver.fake;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.InstanceId;
import io.stowage.spi.Default;
import io.stowage.spi.DriverConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of the fake driver, bound from the {@code fake:} configuration section. Keys
 * are the component names, matched case-insensitively.
 *
 * @param root the directory holding the store (one JSON file and one sparse image file per
 *     volume, and the lock file); shared by every process and simulated instance that uses the
 *     same back end. Default {@code /var/lib/stowage/fake}
 * @param instanceId the ID of the instance this driver runs on. Default: the host name
 * @param availabilityZone the zone of that instance, if any. Default: none
 * @param devices {@code loop} for real loop devices or {@code simulated} for simulated ones.
 *     Default: what the host takes, {@code simulated} with a {@link SimulatedHost} and
 *     {@code loop} with the real Linux host
 * @param failOn fault injection: comma-separated {@code operation:n} pairs, such as
 *     {@code attach:3,create:1}, meaning the n-th call of that operation fails. Default: none
 * @param latency fault injection: a delay added to every call. Default: none
 * @param throttleEvery fault injection: every n-th back-end call fails with a retryable error;
 *     0 turns it off. Default: 0
 * @param stuckAttach fault injection: attachments are recorded but their device never
 *     appears. Default: false
 * @param commandTimeout the longest an external command ({@code losetup}) may run. Default 30 s
 * @param region the region this driver's snapshots live in. Default {@code fake-1}
 * @param regions the other regions of the back end, which snapshots can be copied to: drivers
 *     over the same root with one of them as {@code region} see the copies. Default: none
 */
public record FakeSettings(
    @Default("/var/lib/stowage/fake") Path root,
    Optional<String> instanceId,
    Optional<String> availabilityZone,
    Optional<DeviceMode> devices,
    Optional<String> failOn,
    @Default("0s") Duration latency,
    @Default("0") int throttleEvery,
    @Default("false") boolean stuckAttach,
    @Default("30s") Duration commandTimeout,
    @Default(FakeSettings.DEFAULT_REGION) String region,
    List<String> regions) {

  /** The region of a driver whose settings name none. */
  public static final String DEFAULT_REGION = "fake-1";

  private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /**
   * Validates the settings.
   *
   * @param root the directory holding the store (one JSON file and one sparse image file per
   *     volume, and the lock file); shared by every process and simulated instance that uses the
   *     same back end. Default {@code /var/lib/stowage/fake}
   * @param instanceId the ID of the instance this driver runs on. Default: the host name
   * @param availabilityZone the zone of that instance, if any. Default: none
   * @param devices {@code loop} for real loop devices or {@code simulated} for simulated ones.
   *     Default: what the host takes, {@code simulated} with a {@link SimulatedHost} and {@code
   *     loop} with the real Linux host
   * @param failOn fault injection: comma-separated {@code operation:n} pairs, such as {@code
   *     attach:3,create:1}, meaning the n-th call of that operation fails. Default: none
   * @param latency fault injection: a delay added to every call. Default: none
   * @param throttleEvery fault injection: every n-th back-end call fails with a retryable error; 0
   *     turns it off. Default: 0
   * @param stuckAttach fault injection: attachments are recorded but their device never appears.
   *     Default: false
   * @param commandTimeout the longest an external command ({@code losetup}) may run. Default 30 s
   * @param region the region this driver's snapshots live in. Default {@code fake-1}
   * @param regions the other regions of the back end, which snapshots can be copied to.
   *     Default: none
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
    if (!root.isAbsolute()) {
      throw new InvalidArgumentException("root", root.toString(), "must be an absolute path");
    }
    instanceId.ifPresent(InstanceId::of);
    failOn.ifPresent(FaultInjector::parseFailOn);
    if (latency.isNegative()) {
      throw new InvalidArgumentException("latency", latency.toString(), "must not be negative");
    }
    if (throttleEvery < 0) {
      throw new InvalidArgumentException("throttleEvery", Integer.toString(throttleEvery),
          "must not be negative");
    }
    if (commandTimeout.isZero() || commandTimeout.isNegative()) {
      throw new InvalidArgumentException("commandTimeout", commandTimeout.toString(),
          "must be longer than zero");
    }
    Objects.requireNonNull(region, "region");
    regions = List.copyOf(regions);
    for (String r : concat(region, regions)) {
      if (!REGION.matcher(r).matches()) {
        throw new InvalidArgumentException(r.equals(region) ? "region" : "regions", r,
            "must be a lower-case letter, then up to 62 lower-case letters, digits or '-'");
      }
    }
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /**
   * Returns every region of the back end: {@link #region()} and {@link #regions()}.
   *
   * @return the regions, this driver's first
   */
  public Set<String> allRegions() {
    Set<String> all = new LinkedHashSet<>();
    all.add(region);
    all.addAll(regions);
    return all;
  }

  /**
   * Returns the defaults with another root and device mode, the usual settings of a test.
   *
   * @param root the store root
   * @param devices the device mode
   * @return the settings
   */
  public static FakeSettings of(Path root, DeviceMode devices) {
    return DriverConfig.of(FakeDriverProvider.NAME, Map.of("root", root, "devices", devices))
        .bind(FakeSettings.class);
  }

  /**
   * Returns these settings with another instance ID.
   *
   * @param instanceId the instance ID
   * @return the settings
   */
  public FakeSettings withInstanceId(String instanceId) {
    return new FakeSettings(root, Optional.of(instanceId), availabilityZone, devices, failOn,
        latency, throttleEvery, stuckAttach, commandTimeout, region, regions);
  }
}
