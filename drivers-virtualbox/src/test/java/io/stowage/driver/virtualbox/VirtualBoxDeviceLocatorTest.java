package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The locator over a temporary /dev and sysfs tree shaped like a VirtualBox guest's. */
class VirtualBoxDeviceLocatorTest {
  private static final MediumUuid DATA = new MediumUuid("3f2a6c1e-7b0d-4e5f-9a8b-1c2d3e4f5a6b");
  private static final MediumUuid OTHER = new MediumUuid("0c1d2e3f-1111-2222-3333-444455556666");

  @TempDir
  Path root;
  Path dev;
  Path byId;
  Path sysBlock;
  Path scsiHosts;
  VirtualBoxDeviceLocator locator;

  @BeforeEach
  void tree() throws IOException {
    dev = Files.createDirectories(root.resolve("dev"));
    byId = root.resolve("dev/disk/by-id");
    sysBlock = Files.createDirectories(root.resolve("sys/block"));
    scsiHosts = root.resolve("sys/class/scsi_host");
    for (String disk : List.of("sda", "sdb", "sdc")) {
      Files.createFile(dev.resolve(disk));
    }
    locator = new VirtualBoxDeviceLocator(byId, scsiHosts, sysBlock, dev);
  }

  @Test
  void findsTheDiskThroughUdevsLinkBySerial() throws IOException {
    Files.createDirectories(byId);
    Files.createSymbolicLink(byId.resolve("ata-VBOX_HARDDISK_" + OTHER.serial()),
        Path.of("../../sda"));
    Files.createSymbolicLink(byId.resolve("ata-VBOX_HARDDISK_" + DATA.serial()),
        Path.of("../../sdb"));
    Files.createSymbolicLink(byId.resolve("ata-VBOX_HARDDISK_" + DATA.serial() + "-part1"),
        Path.of("../../sdb1"));

    assertEquals(Optional.of(dev.resolve("sdb").toRealPath()), locator.locate(DATA));
    assertEquals(Optional.of(dev.resolve("sda").toRealPath()), locator.locate(OTHER));
  }

  @Test
  void withoutUdevFindsTheDiskThroughTheUnitSerialNumberPageInSysfs() throws IOException {
    // what libata answers for VPD page 0x80: the 20-character ATA serial, space padded
    vpd(sysBlock.resolve("sda/device"), "vpd_pg80", pg80(OTHER.serial() + " "));
    vpd(sysBlock.resolve("sdc/device"), "vpd_pg80", pg80(DATA.serial() + " "));
    Files.createDirectories(sysBlock.resolve("loop0"));

    assertEquals(Optional.of(dev.resolve("sdc")), locator.locate(DATA));
    assertEquals(Optional.of(dev.resolve("sda")), locator.locate(OTHER));
  }

  @Test
  void kernelsWithOnlyTheDeviceIdentificationPageAreSearchedThere() throws IOException {
    // libata's T10 vendor designator: "ATA     " + model (40) + serial (20)
    String designator = String.format("ATA     %-40s%-20s", "VBOX HARDDISK", DATA.serial());
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    page.write(new byte[] {0, (byte) 0x83, 0, (byte) (designator.length() + 4), 2, 1, 0,
        (byte) designator.length()});
    page.write(designator.getBytes(StandardCharsets.US_ASCII));
    vpd(sysBlock.resolve("sdb/device"), "vpd_pg83", page.toByteArray());

    assertEquals(Optional.of(dev.resolve("sdb")), locator.locate(DATA));
  }

  @Test
  void aDiskTheGuestDoesNotSeeYetIsNotFound() throws IOException {
    vpd(sysBlock.resolve("sda/device"), "vpd_pg80", pg80(OTHER.serial()));

    assertEquals(Optional.empty(), locator.locate(DATA));
  }

  @Test
  void twoDisksWithTheSamePrefixAreToldApartByTheWholeSerial() throws IOException {
    MediumUuid twin = new MediumUuid("3f2a6c1e-0000-4000-8000-000000000001");
    vpd(sysBlock.resolve("sda/device"), "vpd_pg80", pg80(twin.serial()));
    vpd(sysBlock.resolve("sdb/device"), "vpd_pg80", pg80(DATA.serial()));

    assertEquals(Optional.of(dev.resolve("sdb")), locator.locate(DATA));
    assertEquals(Optional.of(dev.resolve("sda")), locator.locate(twin));
  }

  @Test
  void rescanAsksEverySCSIHostToScan() throws IOException {
    for (String host : List.of("host0", "host1")) {
      Files.createDirectories(scsiHosts.resolve(host));
      Files.writeString(scsiHosts.resolve(host).resolve("scan"), "");
    }
    Files.createDirectories(scsiHosts.resolve("host2"));

    assertEquals(2, locator.rescan());
    assertEquals("- - -", Files.readString(scsiHosts.resolve("host0/scan")));
    assertEquals("- - -", Files.readString(scsiHosts.resolve("host1/scan")));
  }

  @Test
  void withoutSCSIHostsThereIsNothingToScan() {
    assertEquals(0, locator.rescan());
  }

  @Test
  void watchesUdevsLinksAndTheDeviceDirectory() {
    assertEquals(List.of(byId, dev), locator.watchDirectories());
  }

  private static byte[] pg80(String serial) {
    byte[] text = serial.getBytes(StandardCharsets.US_ASCII);
    byte[] page = new byte[4 + text.length];
    page[1] = (byte) 0x80;
    page[3] = (byte) text.length;
    System.arraycopy(text, 0, page, 4, text.length);
    return page;
  }

  private static void vpd(Path device, String page, byte[] content) throws IOException {
    Files.createDirectories(device);
    Files.write(device.resolve(page), content);
  }
}
