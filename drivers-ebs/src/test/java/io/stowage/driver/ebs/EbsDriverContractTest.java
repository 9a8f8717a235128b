package io.stowage.driver.ebs;

import io.stowage.Hosts;
import io.stowage.model.Capability;
import io.stowage.model.InstanceId;
import io.stowage.model.SnapshotId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriverProvider;
import io.stowage.tck.StorageDriverContractTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on the EBS driver, through the real AWS SDK client, against a fresh EC2
 * double and IMDSv2 double per test. The local instance is a Nitro instance: when EC2 attaches
 * a volume to it, an NVMe namespace with the volume's serial appears in a temporary sysfs and
 * {@code /dev} tree, backed by a real loop device, so the kit's formats and mounts on the real
 * host are real. Needs root and loop devices; asserts them under {@code CI=true}.
 */
class EbsDriverContractTest extends StorageDriverContractTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path dir;

  private LocalDisks disks;

  @BeforeAll
  static void requireLoopDevices() {
    LoopDevices.require();
  }

  private LocalDisks disks() {
    if (disks == null) {
      disks = fixture.disks(dir.resolve("host"), LocalDisks.Style.NVME, true);
    }
    return disks;
  }

  @Override
  protected StorageDriverProvider provider() {
    return new EbsDriverProvider(disks().sysRoot(), disks().devRoot());
  }

  @Override
  protected Map<String, ?> settings() {
    return fixture.settings();
  }

  @Override
  protected HostOs host() {
    return Hosts.linux();
  }

  @Override
  protected Optional<InstanceId> otherInstance() {
    return Optional.of(InstanceId.of(EbsFixture.OTHER_INSTANCE));
  }

  @Override
  protected Duration deviceTimeout() {
    return Duration.ofSeconds(10);
  }

  /** EBS checks these: io1 takes 100 IOPS from 2 GiB, and the zone must exist. */
  @Override
  protected Map<String, String> optionsNeeding(Capability capability, Volume source) {
    return switch (capability) {
      case IOPS -> Map.of("volumetype", "io1", "iops", "100", "size", "4");
      case VOLUME_TYPES -> Map.of("volumetype", "gp2");
      case AVAILABILITY_ZONES -> Map.of("availabilityzone", EbsFixture.OTHER_ZONE);
      default -> super.optionsNeeding(capability, source);
    };
  }

  @Override
  protected Optional<String> otherRegion() {
    return Optional.of(EbsFixture.OTHER_REGION);
  }

  @Override
  protected SnapshotId missingSnapshotId() {
    return SnapshotId.of("snap-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
        .nextLong()).substring(0, 16) + "f");
  }

  @Override
  protected VolumeId missingVolumeId() {
    return VolumeId.of("vol-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
        .nextLong()).substring(0, 16) + "f");
  }
}
