package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stowage.Hosts;
import io.stowage.driver.virtualbox.DoubleModel.Vm;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriverProvider;
import io.stowage.tck.StorageDriverContractTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on the VirtualBox driver against the vboxwebsrv double, with a second
 * running VM as the other instance; the guest shows attached disks as loop devices, so the
 * kit's mounts are real. Needs root and loop devices; asserts them under {@code CI=true}.
 */
class VirtualBoxDriverContractTest extends StorageDriverContractTest {
  @TempDir
  static Path dir;
  static VboxFixture fixture;
  static GuestDisks guest;
  static Vm other;

  @BeforeAll
  static void start() {
    boolean loopDevices = GuestDisks.loopDevicesAvailable();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(loopDevices, "CI runs this test as root with /dev/loop-control");
    }
    assumeTrue(loopDevices, "needs root and loop devices");
    fixture = new VboxFixture(VboxWebServiceDouble.V7_1, dir);
    other = fixture.vbox.addVm("node-2", "Running", "PIIX3");
    fixture.vbox.addController(other, "SATA", "SATA", 30);
    guest = fixture.watchGuest(true);
  }

  @AfterAll
  static void stop() {
    if (fixture == null) {
      return;
    }
    try (VboxFixture closing = fixture; GuestDisks tree = guest) {
      fixture.assertRequestsValid();
    }
  }

  @Override
  protected StorageDriverProvider provider() {
    return new VirtualBoxDriverProvider();
  }

  /** VDI, which VirtualBox resizes: the kit grows volumes (VMDK refusals: VirtualBoxResizeTest). */
  @Override
  protected Map<String, ?> settings() {
    Map<String, Object> section = fixture.section(guest);
    section.put("mediumFormat", "VDI");
    return section;
  }

  @Override
  protected HostOs host() {
    return Hosts.linux();
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of(other.uuid));
  }

  @Override
  protected VolumeId missingVolumeId() {
    return VolumeId.of(UUID.randomUUID().toString());
  }
}
