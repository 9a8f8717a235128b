package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.FsType;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverContext;
import io.stowage.spi.Snapshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake driver's snapshots on a {@link SimulatedHost}, where the host keeps what the
 * devices hold: regions shared over one store, and refusals that change nothing.
 */
class FakeSnapshotsTest {
  @TempDir
  Path dir;

  private FakeDriver driver(String region, SimulatedHost host) {
    FakeSettings settings = io.stowage.spi.DriverConfig.of("fake", Map.of(
        "root", dir.resolve("store"), "instanceId", "host-" + region, "devices", "simulated",
        "region", region, "regions", List.of(region.equals("east") ? "west" : "east")))
        .bind(FakeSettings.class);
    return new FakeDriver(settings, new DriverContext(Clock.systemUTC(), dir.resolve("state"),
        host, io.stowage.Hosts.commands()));
  }

  @Test
  void aCopyInAnotherRegionIsRestoredThereWithItsFiles() throws IOException {
    SimulatedHost host = new SimulatedHost(dir.resolve("host"));
    try (FakeDriver east = driver("east", host); FakeDriver west = driver("west", host)) {
      Volume volume = east.create(VolumeName.of("pg"), VolumeOptions.parse(Map.of("size",
          "64MiB")));
      Path device = east.deviceLocator().await(east.attach(volume.id(),
          east.localInstance().id(), false), Duration.ofSeconds(5));
      host.format(device, FsType.EXT4);
      Path mnt = Files.createDirectories(dir.resolve("mnt"));
      host.mount(device, mnt, FsType.EXT4);
      Files.writeString(mnt.resolve("table"), "rows", StandardCharsets.UTF_8);
      // Taken while mounted: the snapshot copies what the mount point holds.
      Snapshot snapshot = east.snapshots().orElseThrow().create(volume.id(),
          SnapshotRequest.named("nightly"));
      host.unmount(mnt);

      Snapshot copy = east.snapshots().orElseThrow().copy(snapshot.id(), "west",
          SnapshotRequest.named("nightly-west"));
      assertEquals(Optional.of("west"), copy.region());
      assertEquals(List.of(copy.id()), west.snapshots().orElseThrow().list().stream()
          .map(Snapshot::id).toList());
      assertEquals(List.of(snapshot.id()), east.snapshots().orElseThrow().list().stream()
          .map(Snapshot::id).toList());

      Volume restored = west.create(VolumeName.of("pg-west"),
          VolumeOptions.parse(Map.of("snapshotid", copy.id().value())));
      Path copyDevice = west.deviceLocator().await(west.attach(restored.id(),
          west.localInstance().id(), false), Duration.ofSeconds(5));
      assertEquals(Optional.of("ext4"), host.fileSystemType(copyDevice));
      Path mntWest = Files.createDirectories(dir.resolve("mnt-west"));
      host.mount(copyDevice, mntWest, FsType.EXT4);
      assertEquals("rows", Files.readString(mntWest.resolve("table"), StandardCharsets.UTF_8));
      host.unmount(mntWest);
    }
  }

  @Test
  void refusedRestoresCopiesAndResizesChangeNothing() {
    SimulatedHost host = new SimulatedHost(dir.resolve("host"));
    try (FakeDriver east = driver("east", host)) {
      Snapshots snapshots = east.snapshots().orElseThrow();
      Volume volume = east.create(VolumeName.of("pg"), VolumeOptions.parse(Map.of("size",
          "2")));
      Snapshot snapshot = snapshots.create(volume.id(), SnapshotRequest.named("s"));
      snapshots.create(volume.id(), SnapshotRequest.named("s"));

      assertEquals("region", assertThrows(InvalidArgumentException.class,
          () -> snapshots.copy(snapshot.id(), "mars", SnapshotRequest.named("c"))).field());
      assertEquals("size", assertThrows(InvalidArgumentException.class,
          () -> east.create(VolumeName.of("small"), VolumeOptions.parse(Map.of(
              "snapshotid", snapshot.id().value(), "size", "1")))).field());
      assertEquals("snapshotname", assertThrows(InvalidArgumentException.class,
          () -> east.create(VolumeName.of("which"), VolumeOptions.parse(Map.of(
              "snapshotname", "s")))).field());
      assertEquals("size", assertThrows(InvalidArgumentException.class,
          () -> east.resizer().orElseThrow().grow(volume.id(),
              io.stowage.model.ByteSize.ofGiB(1))).field());
      assertEquals("volume options", assertThrows(InvalidArgumentException.class,
          () -> east.create(VolumeName.of("both"), VolumeOptions.parse(Map.of(
              "snapshotid", snapshot.id().value(), "volumeid", volume.id().value()))))
          .field());

      east.faults().failNth(Operation.SNAPSHOT, 1);
      assertThrows(BackendException.class, () -> snapshots.create(volume.id(),
          SnapshotRequest.named("failed")));
      assertEquals(List.of(volume.id()), east.list().stream().map(Volume::id).toList());
      assertEquals(2, snapshots.list().size());
      assertTrue(snapshots.findByName(io.stowage.model.SnapshotName.of("failed")).isEmpty());
      assertEquals(io.stowage.model.ByteSize.ofGiB(2), east.find(volume.id()).orElseThrow()
          .size());
      assertEquals(3, east.faults().calls(Operation.SNAPSHOT));
    }
  }
}
