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
  private static final Set<String> FORMATS = Set.of("VMDK", "VDI", "VHD");
  /** The formats whose disks VirtualBox can resize. */
  private static final Set<String> RESIZABLE = Set.of("VDI", "VHD");

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
      problems.add("virtualbox.mediumFormat must be one of VMDK, VDI, VHD, not " + mediumFormat);
    }
    localMachineNameOrId = localMachineNameOrId.map(String::strip).filter(s -> !s.isEmpty());
    if (progressTimeout.isNegative() || progressTimeout.isZero()) {
      problems.add("virtualbox.progressTimeout must be positive, not " + progressTimeout);
    }
    if (lockTimeout.isNegative()) {
      problems.add("virtualbox.lockTimeout must not be negative, not " + lockTimeout);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException("the virtualbox driver settings", problems);
    }
  }

  /**
   * Returns whether VirtualBox can resize disks of the configured format: VDI and VHD, not
   * VMDK.
   *
   * @return true for VDI and VHD
   */
  boolean resizable() {
    return RESIZABLE.contains(mediumFormat);
  }
}
