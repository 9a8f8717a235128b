package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.SnapshotService;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.ByteSize;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resizes and snapshots through the public API on real loop devices, with real ext4 and xfs
 * file systems mounted by the real host layer (needs root and /dev/loop-control; asserted
 * under CI=true).
 */
class LifecycleOnLoopDevicesTest {
  private static final long GIB = ByteSize.GIB;

  @TempDir
  Path work;

  private final List<Stowage> open = new ArrayList<>();

  @BeforeEach
  void requireLoopDevices() {
    LoopEnvironment.require();
  }

  @AfterEach
  void closeAndCheckNothingLeaked() {
    open.forEach(Stowage::close);
    assertEquals(List.of(), new WorkTree(work).releaseLeaks(),
        "the test leaked (cleaned up now)");
  }

  /**
   * A mounted volume grows from 1 to 2 GiB while a file is being written to it: the mount
   * stays (same mount ID), statfs shows the new size, and the file holds every byte written.
   * Where the process lacks CAP_SYS_RESOURCE (containers drop it), the kernel refuses to grow a
   * mounted ext4, and the resize is refused before anything changes.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ext4", "xfs"})
  void aMountedVolumeGrowsOnlineWhileAFileIsWritten(String fsType) throws Exception {
    VolumeService volumes = host();
    Mount mount = volumes.mount("grows", MountRequest.builder().caller("writer")
        .options(VolumeOptions.parse(Map.of("size", "1", "newfstype", fsType))).build());
    long before = Files.getFileStore(mount.path()).getTotalSpace();
    int mountId = mountIdOf(mount.mountPoint());
    assertTrue(before < GIB, "a 1 GiB file system shows " + before);

    Path file = mount.path().resolve("stream.bin");
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<byte[]> writer = CompletableFuture.supplyAsync(() -> write(file, stop));
    // The resize starts while the writer is writing.
    while (!Files.exists(file) || Files.size(file) < (1 << 20)) {
      assertFalse(writer.isDone(), "the writer stopped early");
      Thread.sleep(5);
    }
    if (fsType.equals("ext4") && !mayGrowMountedExt()) {
      // The kernel grows a mounted ext4 only for a process with CAP_SYS_RESOURCE.
      UnsupportedCapabilityException refused = assertThrows(
          UnsupportedCapabilityException.class, () -> volumes.resize("grows", ByteSize.ofGiB(2)));
      assertTrue(refused.getMessage().contains("CAP_SYS_RESOURCE"), refused.getMessage());
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      assertEquals(ByteSize.ofGiB(1), volumes.find("grows").orElseThrow().size(),
          "a refused resize leaves the volume");
      assertEquals(before, Files.getFileStore(mount.path()).getTotalSpace());
      volumes.unmount("grows", UnmountRequest.caller("writer"));
      return;
    }
    var grown = volumes.resize("grows", ByteSize.ofGiB(2));
    stop.set(true);
    byte[] written = writer.get(60, TimeUnit.SECONDS);

    assertEquals(ByteSize.ofGiB(2), grown.size());
    long after = Files.getFileStore(mount.path()).getTotalSpace();
    assertTrue(after > before + GIB * 9 / 10, "statfs after the grow: " + after + " bytes, "
        + "before: " + before);
    assertEquals(mountId, mountIdOf(mount.mountPoint()), "the volume was never unmounted");
    assertArrayEquals(written, digest(Files.readAllBytes(file)), "the file written during the"
        + " grow holds every byte written");
    assertEquals(ByteSize.ofGiB(2), volumes.find("grows").orElseThrow().size());
    volumes.unmount("grows", UnmountRequest.caller("writer"));
  }

  /** A shrink is refused with a typed error, and nothing changes. */
  @Test
  void aShrinkIsRefusedAndChangesNothing() throws IOException {
    VolumeService volumes = host();
    Mount mount = volumes.mount("stays", MountRequest.builder().caller("t")
        .options(VolumeOptions.parse(Map.of("size", "1"))).build());
    long before = Files.getFileStore(mount.path()).getTotalSpace();
    InvalidArgumentException refused = assertThrows(InvalidArgumentException.class,
        () -> volumes.resize("stays", ByteSize.ofMiB(512)));
    assertEquals("size", refused.field());
    assertEquals(ByteSize.ofGiB(1), volumes.find("stays").orElseThrow().size());
    assertEquals(before, Files.getFileStore(mount.path()).getTotalSpace());
    volumes.unmount("stays", UnmountRequest.caller("t"));
  }

  /** A volume grown while it is not mounted gets its file system grown at its next mount. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ext4", "xfs"})
  void anUnmountedVolumeGrowsItsFileSystemAtTheNextMount(String fsType) throws IOException {
    VolumeService volumes = host();
    Mount first = volumes.mount("later", MountRequest.builder().caller("t")
        .options(VolumeOptions.parse(Map.of("size", "1", "newfstype", fsType))).build());
    Files.writeString(first.path().resolve("kept.txt"), "kept");
    long before = Files.getFileStore(first.path()).getTotalSpace();
    volumes.unmount("later", UnmountRequest.caller("t"));

    assertEquals(ByteSize.ofGiB(2), volumes.resize("later", ByteSize.ofGiB(2)).size());
    Mount second = volumes.mount("later", MountRequest.builder().caller("t").build());
    assertFalse(second.formatted());
    assertTrue(Files.getFileStore(second.path()).getTotalSpace() > before + GIB * 9 / 10);
    assertEquals("kept", Files.readString(second.path().resolve("kept.txt")));
    volumes.unmount("later", UnmountRequest.caller("t"));
  }

  /**
   * A snapshot of a mounted volume (its file system frozen around it), listed, found by name,
   * restored into a new volume that holds the data; then removed.
   */
  @Test
  void aSnapshotOfAMountedVolumeRestoresIntoANewVolume() throws IOException {
    VolumeService volumes = host();
    SnapshotService snapshots = volumes.snapshots();
    Mount source = volumes.mount("pgdata", MountRequest.builder().caller("db")
        .options(VolumeOptions.parse(Map.of("size", "1"))).build());
    Files.writeString(source.path().resolve("table"), "rows before");

    Snapshot taken = snapshots.create("pgdata", SnapshotRequest.named("nightly")
        .withTags(Map.of("team", "db")));
    Files.writeString(source.path().resolve("table"), "rows after");
    Files.writeString(source.path().resolve("late"), "written after");
    assertEquals("written after", Files.readString(source.path().resolve("late")),
        "writes go on after the thaw");

    assertEquals(List.of(taken.id()), snapshots.list().stream().map(Snapshot::id).toList());
    assertEquals(taken.id(), snapshots.find("nightly").orElseThrow().id());
    assertEquals(Map.of("team", "db"), snapshots.find(taken.id().value()).orElseThrow().tags());
    Snapshot complete = snapshots.await("nightly", java.time.Duration.ofSeconds(30));
    assertTrue(complete.completed());

    volumes.create("restored", VolumeOptions.parse(Map.of("snapshotname", "nightly")));
    Mount restored = volumes.mount("restored", MountRequest.builder().caller("check").build());
    assertFalse(restored.formatted(), "a restored volume keeps its file system");
    assertEquals("rows before", Files.readString(restored.path().resolve("table")));
    assertFalse(Files.exists(restored.path().resolve("late")));

    snapshots.remove("nightly");
    assertEquals(List.of(), snapshots.list());
    assertThrows(SnapshotNotFoundException.class, () -> snapshots.remove("nightly"));
    assertEquals("rows before", Files.readString(restored.path().resolve("table")),
        "a restored volume outlives its snapshot");
    volumes.unmount("restored", UnmountRequest.caller("check"));
    volumes.unmount("pgdata", UnmountRequest.caller("db"));
  }

  /** A copy of a volume is a new volume holding the same data. */
  @Test
  void aCopyOfAVolumeHoldsItsData() throws IOException {
    VolumeService volumes = host();
    Mount source = volumes.mount("original", MountRequest.builder().caller("t")
        .options(VolumeOptions.parse(Map.of("size", "1"))).build());
    Files.writeString(source.path().resolve("f"), "same");
    volumes.unmount("original", UnmountRequest.caller("t"));

    volumes.create("copy", VolumeOptions.parse(Map.of("volumename", "original")));
    Mount copy = volumes.mount("copy", MountRequest.builder().caller("t").build());
    assertEquals("same", Files.readString(copy.path().resolve("f")));
    volumes.unmount("copy", UnmountRequest.caller("t"));
  }

  private VolumeService host() {
    Stowage stowage = Instances.builder(work, "host-a", DeviceMode.LOOP).build();
    open.add(stowage);
    return stowage.volumes();
  }

  /** Whether this process has CAP_SYS_RESOURCE (bit 24 of CapEff), as online ext4 grows need. */
  private static boolean mayGrowMountedExt() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
      }
    }
    return false;
  }

  private int mountIdOf(Path mountPoint) {
    return new WorkTree(work).mounts().stream().filter(m -> m.mountPoint().equals(mountPoint))
        .mapToInt(MountEntry::mountId).findFirst().orElse(-1);
  }

  /**
   * Writes 64 KiB blocks, each numbered, until told to stop, forcing them to the device every
   * few blocks; returns the SHA-256 of everything written.
   */
  private static byte[] write(Path file, AtomicBoolean stop) {
    try (OutputStream out = Files.newOutputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] block = new byte[64 * 1024];
      for (long n = 0; !stop.get() || n < 32; n++) {
        java.util.Arrays.fill(block, (byte) n);
        java.nio.ByteBuffer.wrap(block).putLong(n);
        out.write(block);
        digest.update(block);
        if (n % 16 == 15) {
          out.flush();
        }
      }
      return digest.digest();
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] digest(byte[] bytes) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
