package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.OTHER_INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stowage.Hosts;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.Snapshots;
import io.stowage.spi.StorageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 calls of each driver operation, as docs/drivers/ebs.md lists them, when the first
 * poll of each wait already sees the change (the double changes state at once). Each
 * measurement is printed as a table row.
 */
class Ec2CallCountTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  private StorageDriver driver;
  private InstanceId here;
  private final InstanceId there = InstanceId.of(OTHER_INSTANCE);

  @BeforeEach
  void openDriver() {
    LocalDisks disks = new LocalDisks(work.resolve("host"), EbsFixture.INSTANCE,
        LocalDisks.Style.NVME, false);
    fixture.ec2.onAttachments(disks);
    driver = new EbsDriverProvider(disks.sysRoot(), disks.devRoot()).create(
        DriverConfig.of(EbsDriverProvider.NAME, fixture.settings()), Hosts.context(work));
    here = driver.localInstance().id();
    assertEquals(Map.of(), fixture.ec2.counts(), "opening the driver calls no EC2 action");
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void lookups() {
    VolumeId id = VolumeId.of(fixture.ec2.volume("data", ZONE, Map.of()));
    measure("list", Map.of("DescribeVolumes", 1), () -> driver.list());
    measure("findByName", Map.of("DescribeVolumes", 1),
        () -> driver.findByName(VolumeName.of("data")));
    measure("find (by ID)", Map.of("DescribeVolumes", 1), () -> driver.find(id));
  }

  @Test
  void createAndRemove() {
    VolumeId[] id = new VolumeId[1];
    measure("create", Map.of("DescribeVolumes", 2, "CreateVolume", 1),
        () -> id[0] = driver.create(VolumeName.of("new"), VolumeOptions.NONE).id());
    measure("remove", Map.of("DeleteVolume", 1), () -> driver.remove(id[0]));
    VolumeId attached = VolumeId.of(fixture.ec2.volume("held", ZONE, Map.of()));
    fixture.ec2.attachNow(attached.value(), OTHER_INSTANCE, "/dev/xvdba");
    measure("remove, attached (refused)", Map.of("DeleteVolume", 1, "DescribeVolumes", 1),
        () -> assertThrows(VolumeInUseException.class, () -> driver.remove(attached)));
  }

  @Test
  void attachAndDetachHere() {
    VolumeId id = VolumeId.of(fixture.ec2.volume("data", ZONE, Map.of()));
    measure("attach (this instance)", Map.of("AttachVolume", 1, "DescribeVolumes", 1),
        () -> driver.attach(id, here, false));
    measure("attach, already attached here", Map.of("AttachVolume", 1, "DescribeVolumes", 1),
        () -> driver.attach(id, here, false));
    measure("detach", Map.of("DetachVolume", 1, "DescribeVolumes", 1),
        () -> driver.detach(id, here, false));
    measure("detach, not attached", Map.of("DetachVolume", 1, "DescribeVolumes", 1),
        () -> driver.detach(id, here, false));
  }

  @Test
  void attachElsewhereAndPreempt() {
    VolumeId id = VolumeId.of(fixture.ec2.volume("data", ZONE, Map.of()));
    measure("attach (another instance, first time)",
        Map.of("DescribeInstances", 1, "AttachVolume", 1, "DescribeVolumes", 1),
        () -> driver.attach(id, there, false));
    measure("attach, attached elsewhere (refused)",
        Map.of("AttachVolume", 1, "DescribeVolumes", 1),
        () -> assertThrows(VolumeInUseException.class, () -> driver.attach(id, here, false)));
    measure("attach with force, attached elsewhere",
        Map.of("AttachVolume", 2, "DescribeVolumes", 3, "DetachVolume", 1),
        () -> driver.attach(id, here, true));
  }

  @Test
  void snapshots() {
    VolumeId volume = VolumeId.of(fixture.ec2.volume("data", ZONE, Map.of()));
    Snapshots snapshots = driver.snapshots().orElseThrow();
    Snapshot[] taken = new Snapshot[2];
    measure("snapshot create", Map.of("CreateSnapshot", 1),
        () -> taken[0] = snapshots.create(volume, SnapshotRequest.named("nightly")));
    measure("snapshot await (complete at the first poll)", Map.of("DescribeSnapshots", 1),
        () -> snapshots.await(taken[0].id(), Duration.ofSeconds(10)));
    measure("snapshot list", Map.of("DescribeSnapshots", 1), snapshots::list);
    measure("snapshot find (by ID)", Map.of("DescribeSnapshots", 1),
        () -> snapshots.find(taken[0].id()));
    measure("snapshot findByName", Map.of("DescribeSnapshots", 1),
        () -> snapshots.findByName(SnapshotName.of("nightly")));
    measure("snapshot copy (first to another region)",
        Map.of("DescribeRegions", 1, "DescribeSnapshots", 1, "CopySnapshot", 1),
        () -> taken[1] = snapshots.copy(taken[0].id(), EbsFixture.OTHER_REGION,
            SnapshotRequest.named("west")));
    measure("snapshot copy (again)", Map.of("DescribeSnapshots", 1, "CopySnapshot", 1),
        () -> snapshots.copy(taken[0].id(), EbsFixture.OTHER_REGION,
            SnapshotRequest.named("west-2")));
    measure("create from a snapshot",
        Map.of("DescribeSnapshots", 1, "DescribeVolumes", 2, "CreateVolume", 1),
        () -> driver.create(VolumeName.of("restored"), VolumeOptions.parse(Map.of(
            "snapshotid", taken[0].id().value()))));
    measure("snapshot remove", Map.of("DeleteSnapshot", 1),
        () -> snapshots.remove(taken[0].id()));
  }

  @Test
  void grow() {
    VolumeId id = VolumeId.of(fixture.ec2.volume("data", ZONE, Map.of()));
    measure("grow (served at the first poll)",
        Map.of("DescribeVolumes", 1, "ModifyVolume", 1, "DescribeVolumesModifications", 1),
        () -> driver.resizer().orElseThrow().grow(id, ByteSize.ofGiB(16)));
    measure("grow to the size it has", Map.of("DescribeVolumes", 1),
        () -> driver.resizer().orElseThrow().grow(id, ByteSize.ofGiB(16)));
  }

  private void measure(String operation, Map<String, Integer> expected, Runnable call) {
    fixture.ec2.resetCounts();
    call.run();
    Map<String, Integer> counts = fixture.ec2.counts();
    System.out.printf("| %s | %d | %s |%n", operation, fixture.ec2.total(), counts);
    assertEquals(expected, counts, operation);
  }
}
