package io.stowage.driver.virtualbox;

import io.stowage.exception.ConfigurationException;
import io.stowage.spi.Default;
import io.stowage.spi.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of the VirtualBox driver, bound from the {@code virtualbox:} configuration
 * section (environment: {@code VIRTUALBOX_<KEY>}). The first nine keys are libStorage's, with
 * its defaults; the rest have defaults that rarely need changing. Keys match without regard to
 * case. {@link #toString()} masks the password.
 *
 * @param endpoint the vboxwebsrv URL. Default {@code http://10.0.2.2:18083}, the host as a
 *     NAT guest sees it
 * @param volumePath the directory on the VirtualBox host (not on this one) that holds the
 *     volumes' disk files; required. Only disks directly in it are volumes
 * @param controllerName the storage controller of the local VM that disks are attached to.
 *     Default {@code SATA}
 * @param username the user vboxwebsrv logs on. Default: none (vboxwebsrv without
 *     authentication)
 * @param password that user's password, a secret. Default: none
 * @param tls whether the endpoint must be {@code https}. Default false
 * @param localMachineNameOrId the name or UUID of the VM this host runs in. Default: found by
 *     this host's MAC addresses
 * @param diskIDPath where udev links disks by serial. Default {@code /dev/disk/by-id}
 * @param scsiHostPath the SCSI hosts asked to rescan after an attach. Default
 *     {@code /sys/class/scsi_host}
 * @param sysBlockPath the block devices in sysfs, searched by serial where udev does not run.
 *     Default {@code /sys/block}
 * @param devPath the device nodes. Default {@code /dev}
 * @param netRoot this host's network interfaces, whose MAC addresses identify the VM. Default
 *     {@code /sys/class/net}
 * @param mediumFormat the format of new disks: {@code VMDK}, {@code VDI} or {@code VHD}; its
 *     lower-cased name is the file extension. Default {@code VMDK}
 * @param connectTimeout the bound on opening a connection to vboxwebsrv. Default 5 s
 * @param requestTimeout the bound on one SOAP call. Default 30 s
 * @param progressTimeout the bound on creating or deleting a disk. Default 2 minutes
 * @param lockTimeout how long to wait for a VM that another session holds locked. Default
 *     10 s
 */
public record VirtualBoxSettings(
    @Default("http://10.0.2.2:18083") URI endpoint,
    String volumePath,
    @Default("SATA") String controllerName,
    Optional<String> username,
    @Secret Optional<String> password,
    @Default("false") boolean tls,
    Optional<String> localMachineNameOrId,
    @Default("/dev/disk/by-id") Path diskIDPath,
    @Default("/sys/class/scsi_host") Path scsiHostPath,
    @Default("/sys/block") Path sysBlockPath,
    @Default("/dev") Path devPath,
    @Default("/sys/class/net") Path netRoot,
    @Default("VMDK") String mediumFormat,
    @Default("5s") Duration connectTimeout,
    @Default("30s") Duration requestTimeout,
    @Default("2m") Duration progressTimeout,
    @Default("10s") Duration lockTimeout) {
  private static final String SOURCE = "the virtualbox driver settings";

  /**
   * Validates the settings, reporting every problem at once. Does no I/O: whether the
   * endpoint answers and the volume path is writable is checked when the driver opens and
   * creates disks, and by {@code stowage doctor}.
   *
   * @param endpoint the vboxwebsrv URL. Default {@code http://10.0.2.2:18083}, the host as a NAT
   *     guest sees it
   * @param volumePath the directory on the VirtualBox host (not on this one) that holds the
   *     volumes' disk files; required. Only disks directly in it are volumes
   * @param controllerName the storage controller of the local VM that disks are attached to.
   *     Default {@code SATA}
   * @param username the user vboxwebsrv logs on. Default: none (vboxwebsrv without authentication)
   * @param password that user's password, a secret. Default: none
   * @param tls whether the endpoint must be {@code https}. Default false
   * @param localMachineNameOrId the name or UUID of the VM this host runs in. Default: found by
   *     this host's MAC addresses
   * @param diskIDPath where udev links disks by serial. Default {@code /dev/disk/by-id}
   * @param scsiHostPath the SCSI hosts asked to rescan after an attach. Default {@code
   *     /sys/class/scsi_host}
   * @param sysBlockPath the block devices in sysfs, searched by serial where udev does not run.
   *     Default {@code /sys/block}
   * @param devPath the device nodes. Default {@code /dev}
   * @param netRoot this host's network interfaces, whose MAC addresses identify the VM. Default
   *     {@code /sys/class/net}
   * @param mediumFormat the format of new disks: {@code VMDK}, {@code VDI} or {@code VHD}; its
   *     lower-cased name is the file extension. Default {@code VMDK}
   * @param connectTimeout the bound on opening a connection to vboxwebsrv. Default 5 s
   * @param requestTimeout the bound on one SOAP call. Default 30 s
   * @param progressTimeout the bound on creating or deleting a disk. Default 2 minutes
   * @param lockTimeout how long to wait for a VM that another session holds locked. Default 10 s
   * @throws ConfigurationException naming each setting that is out of range
   */
  public VirtualBoxSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(localMachineNameOrId, "localMachineNameOrId");
    List<String> problems = new ArrayList<>();
    Map<String, Path> paths = new LinkedHashMap<>();
    paths.put("diskIDPath", Objects.requireNonNull(diskIDPath, "diskIDPath"));
    paths.put("scsiHostPath", Objects.requireNonNull(scsiHostPath, "scsiHostPath"));
    paths.put("sysBlockPath", Objects.requireNonNull(sysBlockPath, "sysBlockPath"));
    paths.put("devPath", Objects.requireNonNull(devPath, "devPath"));
    paths.put("netRoot", Objects.requireNonNull(netRoot, "netRoot"));
    paths.forEach((key, path) -> {
      if (!path.isAbsolute()) {
        problems.add("virtualbox." + key + " must be an absolute path, not " + path);
      }
    });
    collect(problems, () -> new VirtualBoxEndpoint(endpoint, username.orElse(""),
        password.orElse(""), tls, connectTimeout, requestTimeout, Optional.empty()));
    collect(problems, () -> new BackendSettings(volumePath, controllerName, mediumFormat,
        localMachineNameOrId, netRoot, progressTimeout, lockTimeout));
    collect(problems, () -> new VolumePath(volumePath, ""));
    if (!problems.isEmpty()) {
      throw new ConfigurationException(SOURCE, problems);
    }
  }

  /**
   * Returns where and how to reach vboxwebsrv.
   *
   * @return the endpoint with its credentials and timeouts
   */
  VirtualBoxEndpoint toEndpoint() {
    return new VirtualBoxEndpoint(endpoint, username.orElse(""), password.orElse(""), tls,
        connectTimeout, requestTimeout, Optional.empty());
  }

  /**
   * Returns what the back end needs besides the endpoint.
   *
   * @return the back-end settings
   */
  BackendSettings toBackendSettings() {
    return new BackendSettings(volumePath, controllerName, mediumFormat, localMachineNameOrId,
        netRoot, progressTimeout, lockTimeout);
  }

  /**
   * Returns the locator over the configured device directories.
   *
   * @return the locator
   */
  VirtualBoxDeviceLocator toLocator() {
    return new VirtualBoxDeviceLocator(diskIDPath, scsiHostPath, sysBlockPath, devPath);
  }

  private static void collect(List<String> problems, Runnable check) {
    try {
      check.run();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
  }

  @Override
  public String toString() {
    return "VirtualBoxSettings[endpoint=" + toEndpoint().describe() + ", volumePath="
        + volumePath + ", controllerName=" + controllerName + ", username="
        + username.orElse("") + ", password=" + (password.isPresent() ? "****" : "")
        + ", tls=" + tls + ", localMachineNameOrId=" + localMachineNameOrId.orElse("")
        + ", diskIDPath=" + diskIDPath + ", scsiHostPath=" + scsiHostPath + ", sysBlockPath="
        + sysBlockPath + ", devPath=" + devPath + ", netRoot=" + netRoot + ", mediumFormat="
        + mediumFormat + ", connectTimeout=" + connectTimeout + ", requestTimeout="
        + requestTimeout + ", progressTimeout=" + progressTimeout + ", lockTimeout="
        + lockTimeout + "]";
  }
}
