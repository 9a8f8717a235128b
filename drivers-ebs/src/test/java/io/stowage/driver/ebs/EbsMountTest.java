package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.Stowage;
import io.stowage.exception.InvalidStateException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.MountEntry;
import io.stowage.spi.StorageDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mounts through {@code Stowage.builder()} with the EBS driver, the real AWS SDK, the EC2 and
 * IMDSv2 doubles, and a real ext4 on a real loop device that the local instance's device tree
 * (NVMe serial or Xen name) shows once EC2 attaches the volume. It measures the EC2 calls of
 * a mount and an unmount. Needs root and loop devices (asserted under CI=true).
 */
class EbsMountTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @TempDir
  Path work;

  private LocalDisks disks;

  @BeforeEach
  void requireLoopDevices() {
    LoopDevices.require();
  }

  @AfterEach
  void tearDownAndCheckNothingLeaked() {
    List<String> leaks = new ArrayList<>();
    for (MountEntry m : mountsUnderWork()) {
      leaks.add("mount " + m.mountPoint());
      Hosts.commands().run(List.of("umount", "-l", m.mountPoint().toString()), TIMEOUT);
    }
    if (disks != null) {
      disks.loopDevices().forEach(loop -> leaks.add("loop device " + loop));
      disks.close();
    }
    assertEquals(List.of(), leaks, "the test leaked (cleaned up now)");
  }

  @ParameterizedTest
  @EnumSource(LocalDisks.Style.class)
  void mountAndUnmountAnExistingVolumeWithTheFewestEc2Calls(LocalDisks.Style style)
      throws IOException {
    disks = new LocalDisks(work.resolve("host"), INSTANCE, style, true);
    fixture.ec2.onAttachments(disks);
    String id = fixture.ec2.volume("pgdata", ZONE, Map.of());

    try (Stowage stowage = fixture.stowage(work, disks).build()) {
      assertEquals(Map.of(), fixture.ec2.counts(), "opening Stowage calls no EC2 action");

      Mount first = stowage.volumes().mount("pgdata", request("task-1"));
      // One DescribeVolumes finds it, AttachVolume, one DescribeVolumes poll sees it attached.
      assertEquals(Map.of("DescribeVolumes", 2, "AttachVolume", 1), fixture.ec2.counts());
      assertFalse(first.created());
      assertTrue(first.formatted(), "a new EBS volume has no file system");
      assertEquals(id, first.volume().id().value());
      assertEquals(List.of(id), disks.present());
      assertEquals(disks.loopDevices(), List.of(first.device()),
          "the device found is the loop device behind the " + style + " entry");
      MountEntry mounted = only(mountsUnderWork());
      assertEquals("ext4", mounted.fsType());
      assertEquals(work.resolve("volumes/pgdata"), mounted.mountPoint());
      Files.writeString(first.path().resolve("kept"), "on EBS", StandardCharsets.UTF_8);

      fixture.ec2.resetCounts();
      stowage.volumes().unmount("pgdata", UnmountRequest.caller("task-1"));
      assertEquals(1, fixture.ec2.count("DetachVolume"));
      assertEquals(fixture.ec2.total(), 1 + fixture.ec2.count("DescribeVolumes"),
          "the unmount is DetachVolume and polls: " + fixture.ec2.counts());
      assertTrue(fixture.ec2.count("DescribeVolumes") >= 1, fixture.ec2.counts().toString());
      assertEquals(List.of(), mountsUnderWork());
      assertEquals(List.of(), disks.present(), "the detach removed the device");
      assertEquals(List.of(), disks.loopDevices());
      assertEquals(List.of(), fixture.ec2.attachedDevices(INSTANCE));

      fixture.ec2.resetCounts();
      Mount again = stowage.volumes().mount("pgdata", request("task-2"));
      assertEquals(Map.of("DescribeVolumes", 2, "AttachVolume", 1), fixture.ec2.counts());
      assertFalse(again.formatted(), "an existing file system is never formatted");
      assertEquals("on EBS", Files.readString(again.path().resolve("kept"),
          StandardCharsets.UTF_8));
      stowage.volumes().unmount("pgdata", UnmountRequest.caller("task-2"));
      assertEquals(List.of(), mountsUnderWork());
      assertEquals(List.of(), disks.loopDevices());
    }
  }

  @Test
  void implicitCreateAndPreemptionCost() {
    disks = new LocalDisks(work.resolve("host"), INSTANCE, LocalDisks.Style.NVME, true);
    fixture.ec2.onAttachments(disks);
    String held = fixture.ec2.volume("held", ZONE, Map.of());
    fixture.ec2.attachNow(held, EbsFixture.OTHER_INSTANCE, "/dev/xvdba");

    try (Stowage stowage = fixture.stowage(work, disks).build()) {
      Mount created = stowage.volumes().mount("fresh", MountRequest.builder().caller("t")
          .options(VolumeOptions.parse(Map.of("size", "1"))).build());
      assertTrue(created.created() && created.formatted());
      // The core's lookup; the driver's name check, CreateVolume and a poll; attach and a poll.
      assertEquals(Map.of("DescribeVolumes", 4, "CreateVolume", 1, "AttachVolume", 1),
          fixture.ec2.counts());
      stowage.volumes().unmount("fresh", UnmountRequest.caller("t"));

      fixture.ec2.resetCounts();
      Mount taken = stowage.volumes().mount("held", MountRequest.builder().caller("t")
          .preempt(true).build());
      assertEquals(INSTANCE, taken.volume().attachments().get(0).instanceId().value());
      // The lookup; AttachVolume refused, a DescribeVolumes naming the holder, DetachVolume
      // with force and a poll; AttachVolume and a poll.
      assertEquals(Map.of("DescribeVolumes", 4, "AttachVolume", 2, "DetachVolume", 1),
          fixture.ec2.counts());
      stowage.volumes().unmount("held", UnmountRequest.caller("t"));
      assertEquals(List.of(), mountsUnderWork());
      assertEquals(List.of(), disks.loopDevices());
    }
  }

  @ParameterizedTest
  @EnumSource(LocalDisks.Style.class)
  void anotherProcessCannotDetachAMountedVolumeWithoutForce(LocalDisks.Style style) {
    disks = new LocalDisks(work.resolve("host"), INSTANCE, style, true);
    fixture.ec2.onAttachments(disks);
    String id = fixture.ec2.volume("busy", ZONE, Map.of());
    try (Stowage stowage = fixture.stowage(work, disks).build();
        StorageDriver other = new EbsDriverProvider(disks.sysRoot(), disks.devRoot()).create(
            DriverConfig.of(EbsDriverProvider.NAME, fixture.settings()),
            Hosts.context(work.resolve("other")))) {
      stowage.volumes().mount("busy", request("t"));
      fixture.ec2.resetCounts();
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> other.detach(VolumeId.of(id), other.localInstance().id(), false));
      assertEquals("busy", e.volume());
      assertEquals(INSTANCE, e.holder());
      assertTrue(e.getMessage().contains(work.resolve("volumes/busy").toString()),
          e.getMessage());
      // Nitro finds the device by the volume ID; Xen asks EC2 for the attachment's name. Each
      // asks EC2 for the name the refusal reports, and detaches nothing.
      assertEquals(Map.of("DescribeVolumes", style == LocalDisks.Style.NVME ? 1 : 2),
          fixture.ec2.counts());
      assertEquals(List.of(id), disks.present());
      stowage.volumes().unmount("busy", UnmountRequest.caller("t"));
    }
  }

  /**
   * A snapshot of a mounted volume through {@code Stowage} costs one {@code CreateSnapshot}
   * besides the volume's lookup, with the ext4 frozen around it; the snapshot completes
   * through one {@code DescribeSnapshots} and restores into a new volume holding the file. A
   * snapshot of a volume still being created is refused before anything is frozen or taken.
   */
  @Test
  void aSnapshotOfAMountedVolumeRestoresWithItsData() throws IOException {
    disks = new LocalDisks(work.resolve("host"), INSTANCE, LocalDisks.Style.NVME, true);
    fixture.ec2.onAttachments(disks).onData(disks);
    fixture.ec2.volume("pgdata", ZONE, Map.of());
    fixture.ec2.creatingVolume("fresh", ZONE);
    try (Stowage stowage = fixture.stowage(work, disks).build()) {
      Mount source = stowage.volumes().mount("pgdata", request("db"));
      Files.writeString(source.path().resolve("table"), "rows", StandardCharsets.UTF_8);

      fixture.ec2.resetCounts();
      Snapshot taken = stowage.volumes().snapshots().create("pgdata",
          SnapshotRequest.named("nightly").withTags(Map.of("team", "db")));
      assertEquals(Map.of("DescribeVolumes", 1, "CreateSnapshot", 1), fixture.ec2.counts(),
          "the volume's lookup under its lock, and CreateSnapshot with the tags");
      Files.writeString(source.path().resolve("late"), "after the thaw");

      fixture.ec2.resetCounts();
      Snapshot complete = stowage.volumes().snapshots().await("id:" + taken.id().value(),
          TIMEOUT);
      assertTrue(complete.completed());
      assertEquals(Map.of("DescribeSnapshots", 2), fixture.ec2.counts(),
          "the lookup by ID, and one poll of the shared poller");
      assertEquals(List.of(taken.id()), stowage.volumes().snapshots().list().stream()
          .map(Snapshot::id).toList());

      stowage.volumes().create("restored", VolumeOptions.parse(Map.of("snapshotname",
          "nightly")));
      Mount restored = stowage.volumes().mount("restored", request("check"));
      assertFalse(restored.formatted());
      assertEquals("rows", Files.readString(restored.path().resolve("table"),
          StandardCharsets.UTF_8));
      assertFalse(Files.exists(restored.path().resolve("late")));

      fixture.ec2.resetCounts();
      InvalidStateException refused = assertThrows(InvalidStateException.class,
          () -> stowage.volumes().snapshots().create("fresh", SnapshotRequest.named("x")));
      assertEquals("fresh", refused.subject());
      assertEquals(0, fixture.ec2.count("CreateSnapshot"));
      assertEquals(List.of(taken.id().value()), fixture.ec2.snapshotIds(EbsFixture.REGION),
          "no snapshot was taken of the volume being created");

      stowage.volumes().unmount("restored", UnmountRequest.caller("check"));
      stowage.volumes().unmount("pgdata", UnmountRequest.caller("db"));
    }
  }

  private static MountRequest request(String caller) {
    return MountRequest.builder().caller(caller).build();
  }

  private List<MountEntry> mountsUnderWork() {
    return Hosts.linux().mounts().stream().filter(m -> m.mountPoint().startsWith(work))
        .toList();
  }

  private static MountEntry only(List<MountEntry> mounts) {
    assertEquals(1, mounts.size(), mounts.toString());
    return mounts.get(0);
  }
}
