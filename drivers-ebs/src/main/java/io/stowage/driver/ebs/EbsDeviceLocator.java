package io.stowage.driver.ebs;

import io.stowage.model.Attachment;
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
 * <p>Reads only; cheap enough to call on every change of {@code /dev}. Thread-safe.
 */
final class EbsDeviceLocator {
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
   * A locator over this host's {@code /sys} and {@code /dev}.
   *
   * @return the locator
   */
  static EbsDeviceLocator host() {
    return new EbsDeviceLocator(Path.of("/sys"), Path.of("/dev"));
  }

  /**
   * Returns the local block device of an attachment, if it is visible now.
   *
   * @param attachment an attachment of this instance
   * @return the device, such as {@code /dev/nvme1n1} or {@code /dev/xvdf}
   */
  Optional<Path> locate(Attachment attachment) {
    String volumeId = attachment.volumeId().value();
    Optional<Path> nvme = bySerial(volumeId);
    if (nvme.isPresent()) {
      return nvme;
    }
    Path byId = devRoot.resolve("disk/by-id").resolve(BY_ID_PREFIX + serialOf(volumeId));
    if (Files.exists(byId)) {
      try {
        return Optional.of(byId.toRealPath());
      } catch (IOException e) {
        return Optional.of(byId);
      }
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
   * Returns the directories whose changes may reveal a device.
   *
   * @return {@code /dev} and {@code /dev/disk/by-id}
   */
  List<Path> watchDirectories() {
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
    Path path = devRoot.resolve(name);
    return Files.exists(path) ? Optional.of(path) : Optional.empty();
  }

  private static String serialOf(String volumeId) {
    return volumeId.replace("-", "");
  }

  private static boolean serialMatches(Path file, String serial, String volumeId) {
    try {
      String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return value.equals(serial) || value.equals(volumeId);
    } catch (IOException e) {
      return false;
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
