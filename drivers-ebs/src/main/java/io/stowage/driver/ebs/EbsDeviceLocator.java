package io.stowage.driver.ebs;

import io.stowage.model.Attachment;
import io.stowage.spi.DeviceLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the local block device of an EBS attachment, without udev.
 *
 * <ul>
 *   <li>Nitro instances expose EBS volumes as NVMe namespaces whose controller serial number is
 *       the volume ID without its dash ({@code vol0123456789abcdef0}). The serial is read from
 *       {@code /sys/block/nvme*n*&#47;device/serial} (the controller, or with native NVMe
 *       multipath the subsystem, both expose it) and, failing that, from
 *       {@code /sys/class/nvme/nvme*&#47;serial} with the controller's namespaces.
 *   <li>Where udev made it, {@code /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol...}.
 *   <li>Xen instances show the device under the attachment's name, where the kernel may rename
 *       {@code sdX} to {@code xvdX} and back: both spellings are tried.
 * </ul>
 *
 * <p>A device found is returned as its real path: where a name is a link (udev's
 * {@code /dev/xvdf -> nvme1n1} on some images), the node it leads to, which is what the mount
 * table shows. Reads only; cheap enough to call on every change of {@code /dev}. Thread-safe.
 */
final class EbsDeviceLocator implements DeviceLocator {
  private static final Pattern NVME_NAMESPACE = Pattern.compile("nvme[0-9]+n[0-9]+");
  private static final Pattern NVME_CONTROLLER = Pattern.compile("nvme[0-9]+");
  private static final String BY_ID_PREFIX = "nvme-Amazon_Elastic_Block_Store_";

  private final Path sysRoot;
  private final Path devRoot;

  /**
   * Creates a locator over a sysfs and a device tree.
   *
   * @param sysRoot where sysfs is mounted, {@code /sys} on a host
   * @param devRoot the device directory, {@code /dev} on a host
   */
  EbsDeviceLocator(Path sysRoot, Path devRoot) {
    this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
    this.devRoot = Objects.requireNonNull(devRoot, "devRoot");
  }

  /**
   * Returns the local block device of an attachment, if it is visible now.
   *
   * @param attachment an attachment of this instance
   * @return the device, such as {@code /dev/nvme1n1} or {@code /dev/xvdf}
   */
  @Override
  public Optional<Path> locate(Attachment attachment) {
    String volumeId = attachment.volumeId().value();
    Optional<Path> nvme = bySerial(volumeId);
    if (nvme.isPresent()) {
      return nvme;
    }
    Path byId = devRoot.resolve("disk/by-id").resolve(BY_ID_PREFIX + serialOf(volumeId));
    Optional<Path> linked = realPath(byId);
    if (linked.isPresent()) {
      return linked;
    }
    return byXenName(attachment.device());
  }

  /**
   * Returns whether a device of a name exists here in either spelling, so that attaches avoid
   * names a local device already has.
   *
   * @param name the name in {@code xvd} spelling, such as {@code xvdba}
   * @return true when {@code /dev/xvdba} or {@code /dev/sdba} exists
   */
  boolean hasDeviceName(String name) {
    return spellings(name).stream().anyMatch(n -> Files.exists(devRoot.resolve(n)));
  }

  /**
   * Returns whether this is a Nitro instance: one whose EBS volumes are NVMe namespaces, so
   * that an EBS volume without a namespace of its serial here is not attached here. A Xen
   * instance has none (its NVMe instance store, on i3, has serials that are no volume IDs).
   *
   * @return true when an NVMe controller's serial is a volume ID ({@code vol...})
   */
  boolean ebsOnNvme() {
    for (Path block : list(sysRoot.resolve("block"), NVME_NAMESPACE)) {
      if (readSerial(block.resolve("device/serial")).startsWith("vol")) {
        return true;
      }
    }
    for (Path controller : list(sysRoot.resolve("class/nvme"), NVME_CONTROLLER)) {
      if (readSerial(controller.resolve("serial")).startsWith("vol")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the directories whose changes may reveal a device.
   *
   * @return {@code /dev} and {@code /dev/disk/by-id}
   */
  @Override
  public List<Path> watchDirectories() {
    return List.of(devRoot, devRoot.resolve("disk/by-id"));
  }

  private Optional<Path> bySerial(String volumeId) {
    String serial = serialOf(volumeId);
    for (Path block : list(sysRoot.resolve("block"), NVME_NAMESPACE)) {
      if (serialMatches(block.resolve("device/serial"), serial, volumeId)) {
        return existing(block.getFileName().toString());
      }
    }
    for (Path controller : list(sysRoot.resolve("class/nvme"), NVME_CONTROLLER)) {
      if (serialMatches(controller.resolve("serial"), serial, volumeId)) {
        for (Path namespace : list(controller, NVME_NAMESPACE)) {
          Optional<Path> device = existing(namespace.getFileName().toString());
          if (device.isPresent()) {
            return device;
          }
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Path> byXenName(String device) {
    String name = device.startsWith("/dev/") ? device.substring("/dev/".length()) : device;
    if (name.isEmpty() || name.contains("/")) {
      return Optional.empty();
    }
    for (String candidate : spellings(name)) {
      Optional<Path> found = existing(candidate);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static List<String> spellings(String name) {
    if (name.startsWith("xvd")) {
      return List.of(name, "sd" + name.substring(3));
    }
    if (name.startsWith("sd")) {
      return List.of(name, "xvd" + name.substring(2));
    }
    return List.of(name);
  }

  private Optional<Path> existing(String name) {
    return realPath(devRoot.resolve(name));
  }

  private static Optional<Path> realPath(Path path) {
    try {
      return Optional.of(path.toRealPath());
    } catch (IOException e) {
      return Optional.empty(); // missing, or a dangling link
    }
  }

  private static String serialOf(String volumeId) {
    return volumeId.replace("-", "");
  }

  private static boolean serialMatches(Path file, String serial, String volumeId) {
    String value = readSerial(file);
    return value.equals(serial) || value.equals(volumeId);
  }

  /** The serial in a sysfs file, empty when it cannot be read. */
  private static String readSerial(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static List<Path> list(Path dir, Pattern names) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        if (names.matcher(entry.getFileName().toString()).matches()) {
          entries.add(entry);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    entries.sort(null);
    return entries;
  }
}
