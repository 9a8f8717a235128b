package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Hosts;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import io.stowage.model.InstanceId;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.HostOs;
import io.stowage.spi.Snapshots;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots, restores and resizes of the fake driver on real loop devices, with real ext4 file
 * systems mounted on the real host (needs root and /dev/loop-control; asserted under CI=true).
 */
class SnapshotsOnLoopDevicesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final HostOs host = Hosts.linux();
  private final List<Path> mounted = new ArrayList<>();
  private FakeDriver driver;
  private InstanceId here;

  @BeforeEach
  void setUp() {
    LoopEnvironment.require();
    driver = new FakeDriver(FakeSettings.of(dir.resolve("store"), DeviceMode.LOOP)
        .withInstanceId("host-a"), Contexts.linux(dir));
    here = driver.localInstance().id();
  }

  @AfterEach
  void tearDown() {
    mounted.forEach(host::unmount);
    if (driver == null) {
      return;
    }
    Snapshots snapshots = driver.snapshots().orElseThrow();
    snapshots.list().forEach(s -> snapshots.remove(s.id()));
    for (Volume v : driver.list()) {
      for (Attachment a : v.attachments()) {
        driver.detach(v.id(), a.instanceId(), true);
      }
      driver.remove(v.id());
    }
  }

  /**
   * A file written on ext4 before the snapshot is in a volume restored from it, and one written
   * after is not: the snapshot of a mounted volume is taken while its file system is frozen
   * ({@code fsfreeze}), and holds exactly the point in time of the create call.
   */
  @Test
  void aRestoredVolumeHoldsTheFilesWrittenBeforeTheSnapshotOnly() throws IOException {
    Volume source = create("pgdata", "256MiB");
    Path device = attach(source);
    host.format(device, FsType.EXT4);
    Path data = mount(device, "pgdata");
    Files.writeString(data.resolve("before.txt"), "written before", StandardCharsets.UTF_8);

    Snapshots snapshots = driver.snapshots().orElseThrow();
    Snapshot snapshot;
    Hosts.commands().run(List.of("fsfreeze", "--freeze", data.toString()), TIMEOUT);
    try {
      snapshot = snapshots.create(source.id(), SnapshotRequest.named("nightly")
          .withTags(Map.of("team", "db")));
    } finally {
      Hosts.commands().run(List.of("fsfreeze", "--unfreeze", data.toString()), TIMEOUT);
    }
    Files.writeString(data.resolve("after.txt"), "written after", StandardCharsets.UTF_8);
    assertTrue(snapshot.completed(), "a fake snapshot is complete when taken");
    assertEquals(source.size(), snapshot.size());
    assertEquals(List.of(snapshot.id()), snapshots.list().stream().map(Snapshot::id).toList());

    Volume restored = driver.create(VolumeName.of("pgdata-restored"),
        VolumeOptions.parse(Map.of("snapshotname", "nightly")));
    assertEquals(source.size(), restored.size());
    assertEquals("snapshot " + snapshot.id(), restored.fields().get("createdFrom"));
    Path copy = mount(attach(restored), "restored");
    assertEquals("written before", Files.readString(copy.resolve("before.txt"),
        StandardCharsets.UTF_8));
    assertFalse(Files.exists(copy.resolve("after.txt")), "a file written after the snapshot");
  }

  /** A volume grows while its loop device is attached and mounted: the device sees it. */
  @Test
  void anAttachedLoopDeviceSeesTheNewSize() throws IOException {
    Volume volume = create("grows", "128MiB");
    Path device = attach(volume);
    host.format(device, FsType.EXT4);
    Path data = mount(device, "grows");
    assertEquals(128L << 20, deviceBytes(device));

    Volume grown = driver.resizer().orElseThrow().grow(volume.id(), ByteSize.parse("384MiB"));
    assertEquals(ByteSize.parse("384MiB"), grown.size());
    assertEquals(384L << 20, deviceBytes(device), "blockdev --getsize64 " + device);
    assertEquals(384L << 20, Files.size(driver.imageOf(volume.id())), "the image");
    assertEquals(List.of(here), driver.find(volume.id()).orElseThrow().attachments().stream()
        .map(Attachment::instanceId).toList(), "still attached");
    Files.writeString(data.resolve("still.txt"), "mounted", StandardCharsets.UTF_8);
    assertEquals("mounted", Files.readString(data.resolve("still.txt"), StandardCharsets.UTF_8));

    assertThrows(InvalidArgumentException.class,
        () -> driver.resizer().orElseThrow().grow(volume.id(), ByteSize.parse("256MiB")));
    assertEquals(384L << 20, deviceBytes(device), "a refused shrink leaves the device");
  }

  private Volume create(String name, String size) {
    return driver.create(VolumeName.of(name), VolumeOptions.parse(Map.of("size", size)));
  }

  private Path attach(Volume volume) {
    return driver.deviceLocator().await(driver.attach(volume.id(), here, false), TIMEOUT);
  }

  private Path mount(Path device, String name) throws IOException {
    Path mountPoint = Files.createDirectories(dir.resolve("mnt").resolve(name));
    host.mount(device, mountPoint, FsType.EXT4);
    mounted.add(0, mountPoint);
    return mountPoint;
  }

  private static long deviceBytes(Path device) {
    return Long.parseLong(Hosts.commands().run(List.of("blockdev", "--getsize64",
        device.toString()), TIMEOUT).stdout().strip());
  }
}
