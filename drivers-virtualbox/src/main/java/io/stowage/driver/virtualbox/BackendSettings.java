package io.stowage.driver.virtualbox;

import io.stowage.exception.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link VirtualBoxBackend} needs besides the endpoint.
 *
 * @param volumePath the directory on the VirtualBox host that holds the volumes (required)
 * @param controllerName the storage controller disks are attached to (default {@code SATA})
 * @param mediumFormat the format of new disks: {@code VMDK} (default), {@code VDI} or
 *     {@code VHD}; its lower-cased name is the file extension
 * @param localMachineNameOrId the machine this host runs in, if not found by MAC address
 * @param netRoot where this host's network interfaces are listed
 *     (default {@code /sys/class/net})
 * @param progressTimeout the bound on creating or deleting a disk (default 2 minutes)
 * @param lockTimeout how long to keep trying to lock a machine another session holds
 *     (default 10 seconds)
 */
record BackendSettings(String volumePath, String controllerName, String mediumFormat,
    Optional<String> localMachineNameOrId, Path netRoot, Duration progressTimeout,
    Duration lockTimeout) {
  /** The controller REX-Ray used. */
  static final String DEFAULT_CONTROLLER = "SATA";
  /** The format REX-Ray used. */
  static final String DEFAULT_FORMAT = "VMDK";
  /** The default bound on creating or deleting a disk. */
  static final Duration DEFAULT_PROGRESS_TIMEOUT = Duration.ofMinutes(2);
  /** The default wait for another session's machine lock. */
  static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> FORMATS = Set.of("VMDK", "VDI", "VHD");

  /**
   * Validates the settings, reporting every problem at once. The volume path itself is
   * checked by {@link VolumePath}.
   *
   * @throws ConfigurationException when a setting is out of range
   */
  BackendSettings {
    Objects.requireNonNull(localMachineNameOrId, "localMachineNameOrId");
    Objects.requireNonNull(netRoot, "netRoot");
    Objects.requireNonNull(progressTimeout, "progressTimeout");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    List<String> problems = new ArrayList<>();
    if (controllerName == null || controllerName.isBlank()) {
      problems.add("virtualbox.controllerName must name a storage controller, such as SATA");
    }
    mediumFormat = mediumFormat == null ? "" : mediumFormat.strip().toUpperCase(Locale.ROOT);
    if (!FORMATS.contains(mediumFormat)) {
      problems.add("the medium format must be one of VMDK, VDI, VHD, not " + mediumFormat);
    }
    localMachineNameOrId = localMachineNameOrId.map(String::strip).filter(s -> !s.isEmpty());
    if (progressTimeout.isNegative() || progressTimeout.isZero()
        || lockTimeout.isNegative()) {
      problems.add("the progress timeout must be positive and the lock timeout not negative");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException("the virtualbox driver settings", problems);
    }
  }

  /**
   * Settings with every default and the given volume directory.
   *
   * @param volumePath the directory on the VirtualBox host
   * @return the settings
   */
  static BackendSettings defaults(String volumePath) {
    return new BackendSettings(volumePath, DEFAULT_CONTROLLER, DEFAULT_FORMAT, Optional.empty(),
        HostNics.DEFAULT_NET_ROOT, DEFAULT_PROGRESS_TIMEOUT, DEFAULT_LOCK_TIMEOUT);
  }
}
