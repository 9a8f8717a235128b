package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The locator over temporary sysfs and /dev trees laid out as Xen and Nitro hosts have them. */
class EbsDeviceLocatorTest {
  private static final String VOLUME = "vol-0123456789abcdef0";
  private static final InstanceId INSTANCE = InstanceId.of("i-0123456789abcdef0");

  @TempDir
  Path root;
  private Path sys;
  private Path dev;
  private EbsDeviceLocator locator;

  @BeforeEach
  void trees() throws IOException {
    sys = Files.createDirectories(root.resolve("sys"));
    dev = Files.createDirectories(root.resolve("dev"));
    locator = new EbsDeviceLocator(sys, dev);
  }

  private static Attachment attachment(String device) {
    return new Attachment(VolumeId.of(VOLUME), INSTANCE, device);
  }

  private Path device(String name) throws IOException {
    return Files.createFile(dev.resolve(name));
  }

  /**
   * Lays out one NVMe controller and namespace as the kernel does: the block device links to
   * the namespace under the controller, whose {@code device} link points back to the
   * controller holding {@code serial} (space padded to 20 characters).
   */
  private void nvme(int controller, String serial) throws IOException {
    Path ctrl = Files.createDirectories(sys.resolve("devices/pci0000:00/0000:00:1f.0/nvme/nvme"
        + controller));
    Files.writeString(ctrl.resolve("serial"), String.format("%-20s%n", serial));
    Files.writeString(ctrl.resolve("model"), "Amazon Elastic Block Store              \n");
    Path namespace = Files.createDirectories(ctrl.resolve("nvme" + controller + "n1"));
    Files.createSymbolicLink(namespace.resolve("device"), ctrl);
    Files.createDirectories(sys.resolve("block"));
    Files.createSymbolicLink(sys.resolve("block/nvme" + controller + "n1"), namespace);
    Files.createDirectories(sys.resolve("class/nvme"));
    Files.createSymbolicLink(sys.resolve("class/nvme/nvme" + controller), ctrl);
    device("nvme" + controller + "n1");
  }

  @Test
  void nitroFindsTheNamespaceWhoseSerialIsTheVolumeId() throws IOException {
    nvme(0, "vol0aaaaaaaaaaaaaaaa");
    nvme(1, "vol0123456789abcdef0");
    assertEquals(Optional.of(dev.resolve("nvme1n1")), locator.locate(attachment("/dev/xvdba")));
  }

  @Test
  void nitroWithoutTheBlockLinksUsesTheControllerClass() throws IOException {
    Path ctrl = Files.createDirectories(sys.resolve("class/nvme/nvme3"));
    Files.writeString(ctrl.resolve("serial"), "vol0123456789abcdef0\n");
    Files.createDirectories(ctrl.resolve("nvme3n1"));
    device("nvme3n1");
    assertEquals(Optional.of(dev.resolve("nvme3n1")), locator.locate(attachment("/dev/xvdba")));
  }

  @Test
  void aNamespaceWhoseDeviceNodeIsNotThereYetIsNotReturned() throws IOException {
    nvme(1, "vol0123456789abcdef0");
    Files.delete(dev.resolve("nvme1n1"));
    assertEquals(Optional.empty(), locator.locate(attachment("/dev/xvdba")));
  }

  @Test
  void udevsByIdLinkIsUsedWhereItExists() throws IOException {
    Path target = device("nvme4n1");
    Path byId = Files.createDirectories(dev.resolve("disk/by-id"));
    Files.createSymbolicLink(byId.resolve("nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"),
        Path.of("../../nvme4n1"));
    assertEquals(Optional.of(target.toRealPath()), locator.locate(attachment("/dev/xvdba")));
  }

  @Test
  void xenShowsTheDeviceUnderEitherSpelling() throws IOException {
    Path xvdf = device("xvdf");
    Path sdg = device("sdg");
    Path xvdba = device("xvdba");
    assertEquals(Optional.of(xvdf), locator.locate(attachment("/dev/sdf")));
    assertEquals(Optional.of(xvdf), locator.locate(attachment("/dev/xvdf")));
    assertEquals(Optional.of(sdg), locator.locate(attachment("/dev/xvdg")));
    assertEquals(Optional.of(xvdba), locator.locate(attachment("/dev/xvdba")));
    assertEquals(Optional.empty(), locator.locate(attachment("/dev/xvdh")));
  }

  @Test
  void anotherVolumesNamespaceIsNotMistakenForThisOne() throws IOException {
    nvme(0, "vol0aaaaaaaaaaaaaaaa");
    assertEquals(Optional.empty(), locator.locate(attachment("/dev/xvdba")));
  }

  @Test
  void oddDeviceNamesAreNotFollowedOutOfTheDeviceTree() throws IOException {
    Files.createFile(root.resolve("escape"));
    assertEquals(Optional.empty(), locator.locate(attachment("/dev/../escape")));
    assertEquals(Optional.empty(), locator.locate(attachment("")));
  }

  @Test
  void missingTreesFindNothing() {
    EbsDeviceLocator nowhere = new EbsDeviceLocator(root.resolve("none"), root.resolve("nodev"));
    assertEquals(Optional.empty(), nowhere.locate(attachment("/dev/xvdf")));
  }

  @Test
  void localDeviceNamesAreSeenInBothSpellings() throws IOException {
    device("sdba");
    assertTrue(locator.hasDeviceName("xvdba"));
    assertFalse(locator.hasDeviceName("xvdbb"));
  }

  @Test
  void itWatchesTheDeviceTreeAndTheByIdLinks() {
    assertEquals(List.of(dev, dev.resolve("disk/by-id")), locator.watchDirectories());
  }
}
