package io.stowage.driver.virtualbox;

import io.stowage.model.Attachment;
import io.stowage.spi.DeviceLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the block device of an attached VirtualBox disk inside the guest, in pure Java.
 *
 * <p>VirtualBox's SATA (AHCI) and IDE disks carry the serial number
 * {@code VB<first 8 hex digits of the medium UUID>-<8 more>} (see {@link MediumUuid#serial()}).
 * The locator looks for it in two places:
 * <ol>
 *   <li>udev's links {@code <diskIdPath>/ata-VBOX_HARDDISK_<serial>}, which point at the disk
 *       ({@code /dev/disk/by-id} where udev runs);
 *   <li>sysfs, for hosts without udev: libata answers the SCSI INQUIRY for the unit serial
 *       number page from the ATA serial, and the kernel shows that page as
 *       {@code <sysBlockPath>/<disk>/device/vpd_pg80} (4 header bytes, then the serial, padded
 *       with spaces). Kernels that show only the device identification page
 *       ({@code vpd_pg83}, whose T10 vendor designator libata fills with
 *       {@code ATA <model> <serial>}) are searched there. The device is then
 *       {@code <devPath>/<disk>}.
 * </ol>
 * A disk whose serial starts with the medium's {@code VB<8 hex digits>-} prefix matches; when
 * several do (two UUIDs that share their first 32 bits), the one with the whole serial wins.
 *
 * <p>After an attach the driver calls {@link #rescan()}, which asks every SCSI host to scan for
 * new devices ({@code - - -} written to {@code <scsiHostPath>/<host>/scan}), as REX-Ray did.
 *
 * <p>Every path is configurable ({@code virtualbox.diskIDPath}, {@code virtualbox.scsiHostPath},
 * {@code virtualbox.sysBlockPath}, {@code virtualbox.devPath}) so that tests point the locator
 * at a temporary tree. Thread-safe: it keeps no state between calls.
 */
final class VirtualBoxDeviceLocator implements DeviceLocator {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualBoxDeviceLocator.class);
  /** How udev names the link of a VirtualBox hard disk: this, then the serial. */
  static final String BY_ID_PREFIX = "ata-VBOX_HARDDISK_";
  private static final byte[] SCAN_ALL = "- - -".getBytes(StandardCharsets.US_ASCII);
  private static final int VPD_HEADER = 4;

  private final Path diskIdPath;
  private final Path scsiHostPath;
  private final Path sysBlockPath;
  private final Path devPath;

  /**
   * Creates a locator over the given directories.
   *
   * @param diskIdPath udev's links by disk ID ({@code /dev/disk/by-id})
   * @param scsiHostPath the SCSI hosts ({@code /sys/class/scsi_host})
   * @param sysBlockPath the block devices in sysfs ({@code /sys/block})
   * @param devPath the device nodes ({@code /dev})
   */
  VirtualBoxDeviceLocator(Path diskIdPath, Path scsiHostPath, Path sysBlockPath, Path devPath) {
    this.diskIdPath = Objects.requireNonNull(diskIdPath, "diskIdPath");
    this.scsiHostPath = Objects.requireNonNull(scsiHostPath, "scsiHostPath");
    this.sysBlockPath = Objects.requireNonNull(sysBlockPath, "sysBlockPath");
    this.devPath = Objects.requireNonNull(devPath, "devPath");
  }

  /**
   * Asks every SCSI host to scan for new devices. A missing SCSI host directory means there
   * is nothing to scan; a host that refuses the write is logged and skipped.
   *
   * @return the number of hosts asked
   */
  int rescan() {
    if (!Files.isDirectory(scsiHostPath)) {
      return 0;
    }
    int scanned = 0;
    try (DirectoryStream<Path> hosts = Files.newDirectoryStream(scsiHostPath)) {
      for (Path host : hosts) {
        Path scan = host.resolve("scan");
        if (!Files.exists(scan)) {
          continue;
        }
        try {
          Files.write(scan, SCAN_ALL);
          scanned++;
        } catch (IOException e) {
          LOG.warn("cannot ask SCSI host {} to scan: {}", host.getFileName(), e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list SCSI hosts under {}: {}", scsiHostPath, e.toString());
    }
    return scanned;
  }

  /**
   * Returns the block device of a medium attached to this VM, if the guest sees it now. Reads
   * only directory listings, links and small sysfs files; never blocks.
   *
   * @param medium the medium's UUID (the volume ID)
   * @return the device, such as {@code /dev/sdb}
   */
  Optional<Path> locate(MediumUuid medium) {
    Optional<Path> byId = locateById(medium);
    return byId.isPresent() ? byId : locateBySysfs(medium);
  }

  /**
   * Returns the block device of an attachment: the disk whose serial is its volume's, the
   * medium UUID. An attachment whose volume ID is no medium UUID has none.
   *
   * @param attachment the attachment
   * @return the device, if the guest sees it now
   */
  @Override
  public Optional<Path> locate(Attachment attachment) {
    return MediumUuid.parse(attachment.volumeId().value()).flatMap(this::locate);
  }

  /**
   * Returns the directories whose changes may reveal a newly attached disk: udev's link
   * directory and the device directory.
   *
   * @return the directories; the caller skips missing ones
   */
  @Override
  public List<Path> watchDirectories() {
    return List.of(diskIdPath, devPath);
  }

  private Optional<Path> locateById(MediumUuid medium) {
    if (!Files.isDirectory(diskIdPath)) {
      return Optional.empty();
    }
    List<Candidate> candidates = new ArrayList<>();
    try (DirectoryStream<Path> links = Files.newDirectoryStream(diskIdPath)) {
      for (Path link : links) {
        String name = link.getFileName().toString();
        if (!name.startsWith(BY_ID_PREFIX) || name.contains("-part")) {
          continue;
        }
        String serial = name.substring(BY_ID_PREFIX.length());
        if (startsWithIgnoreCase(serial, medium.serialPrefix())) {
          try {
            candidates.add(new Candidate(link.toRealPath(), serial));
          } catch (IOException e) {
            LOG.debug("link {} points nowhere yet: {}", link, e.toString());
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", diskIdPath, e.toString());
    }
    return choose(medium, candidates);
  }

  private Optional<Path> locateBySysfs(MediumUuid medium) {
    if (!Files.isDirectory(sysBlockPath)) {
      return Optional.empty();
    }
    List<Candidate> candidates = new ArrayList<>();
    try (DirectoryStream<Path> disks = Files.newDirectoryStream(sysBlockPath)) {
      for (Path disk : disks) {
        Optional<String> serial = serialOf(disk.resolve("device"), medium);
        Path node = devPath.resolve(disk.getFileName().toString());
        if (serial.isPresent() && Files.exists(node)) {
          candidates.add(new Candidate(node, serial.get()));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", sysBlockPath, e.toString());
    }
    return choose(medium, candidates);
  }

  /** Reads the unit serial number page, else searches the device identification page. */
  private static Optional<String> serialOf(Path device, MediumUuid medium) {
    Optional<byte[]> pg80 = read(device.resolve("vpd_pg80"));
    if (pg80.isPresent()) {
      byte[] page = pg80.get();
      if (page.length > VPD_HEADER && (page[1] & 0xff) == 0x80) {
        int length = Math.min(((page[2] & 0xff) << 8) | (page[3] & 0xff),
            page.length - VPD_HEADER);
        String serial = ascii(page, VPD_HEADER, length).strip();
        return startsWithIgnoreCase(serial, medium.serialPrefix()) ? Optional.of(serial)
            : Optional.empty();
      }
    }
    return read(device.resolve("vpd_pg83")).flatMap(page -> {
      String text = ascii(page, 0, page.length);
      int at = text.toLowerCase(Locale.ROOT).indexOf(
          medium.serialPrefix().toLowerCase(Locale.ROOT));
      if (at < 0) {
        return Optional.empty();
      }
      int end = at;
      while (end < text.length() && text.charAt(end) > ' ' && text.charAt(end) < 0x7f) {
        end++;
      }
      return Optional.of(text.substring(at, end));
    });
  }

  private static Optional<Path> choose(MediumUuid medium, List<Candidate> candidates) {
    if (candidates.size() <= 1) {
      return candidates.stream().map(Candidate::device).findFirst();
    }
    List<Path> exact = candidates.stream()
        .filter(c -> c.serial().equalsIgnoreCase(medium.serial()))
        .map(Candidate::device).distinct().toList();
    if (exact.size() == 1) {
      return Optional.of(exact.get(0));
    }
    List<Path> devices = candidates.stream().map(Candidate::device).distinct().toList();
    if (devices.size() == 1) {
      return Optional.of(devices.get(0));
    }
    LOG.warn("several disks match medium {}: {}; none is chosen", medium, devices);
    return Optional.empty();
  }

  private static Optional<byte[]> read(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String ascii(byte[] bytes, int offset, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = offset; i < offset + length; i++) {
      int b = bytes[i] & 0xff;
      out.append(b >= 0x20 && b < 0x7f ? (char) b : ' ');
    }
    return out.toString();
  }

  private static boolean startsWithIgnoreCase(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** A disk whose serial matches the medium's prefix. */
  private record Candidate(Path device, String serial) {}
}
