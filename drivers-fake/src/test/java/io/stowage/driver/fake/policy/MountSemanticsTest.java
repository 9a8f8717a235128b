package io.stowage.driver.fake.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.VolumeService;
import io.stowage.driver.fake.Operation;
import io.stowage.exception.BackendException;
import io.stowage.exception.CommandFailedException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.MountEntry;
import io.stowage.internal.state.VolumeRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mount semantics of DESIGN.md "Mount algorithm", one example each, on two simulated
 * instances over the fake driver and the {@link io.stowage.driver.fake.SimulatedHost}.
 */
class MountSemanticsTest {
  private SimulatedCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private VolumeService open(Map<String, String> settings) {
    cluster = SimulatedCluster.open(2, settings);
    return cluster.volumes(0);
  }

  private VolumeService open() {
    return open(Map.of());
  }

  private static MountRequest by(String caller) {
    return MountRequest.builder().caller(caller).build();
  }

  private Set<String> callers(int instance, String volume) {
    return cluster.state(instance).byName().get(volume).callers().stream()
        .map(Caller::value).collect(Collectors.toSet());
  }

  private List<String> attachedTo(String volume) {
    return cluster.volumes(0).find(volume).orElseThrow().attachments().stream()
        .map(a -> a.instanceId().value()).toList();
  }

  private boolean mountedOn(int instance, String volume) {
    Path mountPoint = cluster.mountRoot(instance).resolve(volume);
    return cluster.host().mounts().stream().anyMatch(m -> m.mountPoint().equals(mountPoint));
  }

  @Test
  void implicitCreateTakesTheRequestsOptionsOverTheConfiguredDefaults() {
    VolumeService volumes = open(Map.of(
        "stowage.volume.create.default.size", "3",
        "stowage.volume.create.default.type", "gp2",
        "stowage.volume.create.default.fsType", "xfs"));
    Mount pg = volumes.mount("pg", MountRequest.builder().caller("task-1")
        .options(VolumeOptions.parse(Map.of("size", "5"))).build());
    assertTrue(pg.created());
    assertTrue(pg.formatted());
    assertEquals(ByteSize.ofGiB(5), pg.volume().size());
    assertEquals(Optional.of("gp2"), pg.volume().volumeType());
    assertEquals(Optional.of("xfs"), cluster.host().fileSystemType(pg.device()));

    Mount logs = volumes.mount("logs", MountRequest.builder()
        .options(VolumeOptions.parse(Map.of("newfstype", "ext4", "type", "io1"))).build());
    assertEquals(ByteSize.ofGiB(3), logs.volume().size());
    assertEquals(Optional.of("io1"), logs.volume().volumeType());
    assertEquals(Optional.of("ext4"), cluster.host().fileSystemType(logs.device()));
    assertEquals(cluster.dataPath(0, "pg"), pg.path());
    assertTrue(Files.isDirectory(pg.path()));
  }

  @Test
  void aVolumeInUseByAnotherInstanceIsReportedNeverCreatedAgainNorNotFound() {
    cluster = SimulatedCluster.open(2, Map.of("stowage.volume.create.implicit", "true"));
    cluster.volumes(0).mount("pg", by("task-1"));
    for (VolumeService other : List.of(cluster.volumes(1))) {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> other.mount("pg", by("task-2")));
      assertEquals("i0", e.holder());
      assertTrue(e.getMessage().contains("in use by instance i0"), e.getMessage());
    }
    assertEquals(1, cluster.volumes(1).list().size());
    assertEquals(List.of("i0"), attachedTo("pg"));
    assertTrue(cluster.state(1).records().isEmpty());
  }

  @Test
  void withoutImplicitCreateAVolumeAttachedElsewhereIsStillInUseNotMissing() {
    cluster = SimulatedCluster.open(2, Map.of("stowage.volume.create.implicit", "false"));
    cluster.volumes(0).create("pg", VolumeOptions.NONE);
    cluster.volumes(0).mount("pg", by("task-1"));
    assertThrows(VolumeInUseException.class, () -> cluster.volumes(1).mount("pg", by("t2")));
    // By its back-end ID as well.
    String id = cluster.volumes(1).find("pg").orElseThrow().id().value();
    assertThrows(VolumeInUseException.class, () -> cluster.volumes(1).mount(id, by("t2")));
  }

  @Test
  void preemptTakesTheVolumeAndItsContentOver() throws IOException {
    VolumeService a = open();
    Mount first = a.mount("pg", by("task-1"));
    Files.writeString(first.path().resolve("hello"), "from i0");
    Mount taken = cluster.volumes(1).mount("pg",
        MountRequest.builder().caller("task-2").preempt(true).build());
    assertEquals("from i0", Files.readString(taken.path().resolve("hello")));
    assertEquals(List.of("i1"), attachedTo("pg"));
    // The former holder: no path, and its unmount succeeds without touching the new holder.
    assertEquals(Optional.empty(), a.path("pg"));
    a.unmount("pg", UnmountRequest.caller("task-1"));
    assertTrue(cluster.state(0).records().isEmpty());
    assertEquals(List.of("i1"), attachedTo("pg"));
    assertEquals(Optional.of(taken.path()), cluster.volumes(1).path("pg"));
  }

  @Test
  void mountIsIdempotentPerCaller() {
    VolumeService volumes = open();
    Mount first = volumes.mount("pg", by("task-1"));
    Mount again = volumes.mount("pg", by("task-1"));
    assertEquals(first.path(), again.path());
    assertFalse(again.created());
    assertEquals(Set.of("task-1"), callers(0, "pg"));
    volumes.unmount("pg", UnmountRequest.caller("task-1"));
    assertFalse(mountedOn(0, "pg"));
    assertEquals(List.of(), attachedTo("pg"));
  }

  @Test
  void twoCallersThenUnmountingOneLeavesItMounted() {
    VolumeService volumes = open();
    volumes.mount("pg", by("task-1"));
    volumes.mount("pg", by("task-2"));
    assertEquals(Set.of("task-1", "task-2"), callers(0, "pg"));
    volumes.unmount("pg", UnmountRequest.caller("task-1"));
    assertTrue(mountedOn(0, "pg"));
    assertEquals(List.of("i0"), attachedTo("pg"));
    assertEquals(Set.of("task-2"), callers(0, "pg"));
    volumes.unmount("pg", UnmountRequest.caller("task-2"));
    assertFalse(mountedOn(0, "pg"));
    assertEquals(List.of(), attachedTo("pg"));
    assertTrue(cluster.state(0).records().isEmpty());
  }

  @Test
  void ignoreUsedCountUnmountsAtOnce() {
    VolumeService volumes = open();
    volumes.mount("pg", by("task-1"));
    volumes.mount("pg", by("task-2"));
    volumes.unmount("pg", UnmountRequest.caller("task-1").withIgnoreUsedCount(true));
    assertFalse(mountedOn(0, "pg"));
    assertEquals(List.of(), attachedTo("pg"));
    assertEquals(Optional.empty(), volumes.path("pg"));
    assertTrue(cluster.state(0).records().isEmpty());
  }

  @Test
  void ignoreUsedCountFromTheConfigurationUnmountsAtOnce() {
    VolumeService volumes = open(Map.of("stowage.volume.unmount.ignoreUsedCount", "true"));
    volumes.mount("pg", by("task-1"));
    volumes.mount("pg", by("task-2"));
    volumes.unmount("pg", UnmountRequest.caller("task-2"));
    assertFalse(mountedOn(0, "pg"));
  }

  @Test
  void unmountingAnUnknownCallerOfAVolumeNotMountedSucceedsAndChangesNothing() {
    VolumeService volumes = open();
    volumes.create("pg", VolumeOptions.NONE);
    volumes.unmount("pg", UnmountRequest.caller("nobody"));
    volumes.unmount("pg", UnmountRequest.DEFAULT);
    assertEquals(List.of(), attachedTo("pg"));
    assertTrue(cluster.state(0).records().isEmpty());
    // An unknown caller of a mounted volume leaves it mounted for the others.
    volumes.mount("pg", by("task-1"));
    volumes.unmount("pg", UnmountRequest.caller("nobody"));
    assertEquals(Set.of("task-1"), callers(0, "pg"));
    assertTrue(mountedOn(0, "pg"));
  }

  @Test
  void aCallWithoutACallerCountsAsOneAnonymousUse() {
    VolumeService volumes = open();
    volumes.mount("pg", MountRequest.DEFAULT);
    volumes.mount("pg", by("task-1"));
    assertEquals(Set.of(Caller.ANONYMOUS.value(), "task-1"), callers(0, "pg"));
    volumes.unmount("pg", UnmountRequest.DEFAULT);
    assertTrue(mountedOn(0, "pg"));
  }

  @Test
  void restartKeepsEveryAcknowledgedUse() throws IOException {
    VolumeService volumes = open();
    Mount pg = volumes.mount("pg", by("task-1"));
    volumes.mount("pg", by("task-2"));
    Files.writeString(pg.path().resolve("kept"), "yes");
    List<VolumeRecord> before = cluster.state(0).records();
    cluster.restart(0);
    assertEquals(before, cluster.state(0).records());
    VolumeService restarted = cluster.volumes(0);
    assertEquals(Optional.of(pg.path()), restarted.path("pg"));
    assertEquals("yes", Files.readString(pg.path().resolve("kept")));
    restarted.unmount("pg", UnmountRequest.caller("task-1"));
    assertTrue(mountedOn(0, "pg"));
  }

  /** The n-th call fails: the volumes mounted before stay, the failing mount leaves nothing. */
  @ParameterizedTest
  @EnumSource(value = Operation.class, names = {"ATTACH", "FORMAT", "MOUNT"})
  void aFailedMountUndoesWhatItDidAndRemovesTheVolumeItCreated(Operation op) {
    Map<String, String> failOn = op == Operation.ATTACH
        ? Map.of("fake.failOn", "attach:3") : Map.of();
    VolumeService volumes = open(failOn);
    if (op != Operation.ATTACH) {
      cluster.host().faults().failNth(op, 3);
    }
    volumes.mount("one", by("task-1"));
    volumes.mount("two", by("task-1"));
    Snapshot before = snapshot();
    StowageException e = assertThrows(StowageException.class,
        () -> volumes.mount("three", by("task-1")));
    assertEquals(op == Operation.ATTACH, e instanceof BackendException, e.toString());
    assertEquals(op != Operation.ATTACH, e instanceof CommandFailedException, e.toString());
    assertEquals(before, snapshot());
    assertEquals(Optional.empty(), volumes.find("three"));
    // Only the n-th call failed: the next mount goes through.
    assertTrue(volumes.mount("three", by("task-1")).created());
  }

  @ParameterizedTest
  @EnumSource(value = Operation.class, names = {"ATTACH", "MOUNT"})
  void aFailedMountOfAnExistingVolumeLeavesItAsItWasWithItsContent(Operation op)
      throws IOException {
    VolumeService volumes = open();
    Mount first = volumes.mount("pg", by("task-1"));
    Files.writeString(first.path().resolve("kept"), "yes");
    volumes.unmount("pg", UnmountRequest.caller("task-1"));
    if (op == Operation.ATTACH) {
      cluster.driver(0).faults().failNth(op, 1);
    } else {
      cluster.host().faults().failNth(op, 1);
    }
    Snapshot before = snapshot();
    assertThrows(StowageException.class, () -> volumes.mount("pg", by("task-2")));
    assertEquals(before, snapshot());
    assertEquals(List.of(), attachedTo("pg"));
    Mount again = cluster.volumes(1).mount("pg", by("task-3"));
    assertEquals("yes", Files.readString(again.path().resolve("kept")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/b", "a\u0000b", "..", "/abs", ""})
  void aNameWithPathCharactersIsATypedErrorAndTouchesNothing(String name) {
    VolumeService volumes = open();
    Snapshot before = snapshot();
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> volumes.mount(name, by("task-1")));
    assertTrue(e.getMessage().contains("volume") || e.getMessage().contains("name"),
        e.getMessage());
    assertEquals(before, snapshot());
    assertEquals(List.of(), volumes.list());
    assertEquals(List.of(), cluster.host().mounts());
  }

  @Test
  void badOptionsAreTypedErrorsNamingTheOptionAndTouchNothing() {
    VolumeService volumes = open();
    Snapshot before = snapshot();
    InvalidArgumentException fs = assertThrows(InvalidArgumentException.class,
        () -> volumes.mount("pg", MountRequest.builder()
            .options(VolumeOptions.parse(Map.of("newfstype", "zfs"))).build()));
    assertTrue(fs.getMessage().contains("zfs"), fs.getMessage());
    InvalidArgumentException overwrite = assertThrows(InvalidArgumentException.class,
        () -> volumes.mount("pg", MountRequest.builder()
            .options(VolumeOptions.parse(Map.of("overwritefs", "maybe"))).build()));
    assertEquals("overwritefs", overwrite.field());
    assertTrue(overwrite.getMessage().contains("maybe"), overwrite.getMessage());
    InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class,
        () -> VolumeOptions.parse(Map.of("newfsype", "ext4")));
    assertTrue(unknown.getMessage().contains("newfsype"), unknown.getMessage());
    // A known file system the host cannot create is refused before anything is created.
    assertThrows(UnsupportedCapabilityException.class, () -> volumes.mount("pg",
        MountRequest.builder().options(VolumeOptions.parse(Map.of("newfstype", "btrfs")))
            .build()));
    assertEquals(before, snapshot());
    assertEquals(List.of(), volumes.list());
  }

  @Test
  void aDeviceThatNeverAppearsTimesOutNamingTheDeviceAndTheWaitAndIsDetached() {
    VolumeService volumes = open();
    Volume pg = volumes.create("pg", VolumeOptions.NONE);
    cluster.driver(0).faults().stuckAttach(true);
    Snapshot before = snapshot();
    OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
        () -> volumes.mount("pg", MountRequest.builder().caller("task-1")
            .timeout(Duration.ofMillis(700)).build()));
    assertEquals(Duration.ofMillis(700), e.waited());
    assertTrue(e.getMessage().contains("devices/" + pg.id().value()), e.getMessage());
    assertTrue(e.getMessage().contains("700 ms"), e.getMessage());
    assertEquals(before, snapshot());
    assertEquals(List.of(), attachedTo("pg"));

    // A volume the stuck mount created is removed again.
    assertThrows(OperationTimeoutException.class, () -> volumes.mount("fresh",
        MountRequest.builder().caller("task-1").timeout(Duration.ofMillis(300)).build()));
    assertEquals(Optional.empty(), volumes.find("fresh"));
    cluster.driver(0).faults().stuckAttach(false);
    assertTrue(volumes.mount("pg", by("task-1")).formatted());
  }

  /** What a failed call must leave unchanged: volumes, attachments, mounts and records. */
  /** What a failed call must leave as it was, mount point directories included. */
  private record Snapshot(List<String> volumes, List<MountEntry> mounts,
      List<VolumeRecord> state0, List<VolumeRecord> state1, List<String> mountPoints0) {}

  private Snapshot snapshot() {
    Supplier<List<String>> volumes = () -> cluster.volumes(0).list().stream()
        .map(v -> v.name() + "@" + v.attachments().stream()
            .map(a -> a.instanceId().value()).toList())
        .toList();
    List<String> mountPoints;
    try (Stream<Path> entries = Files.isDirectory(cluster.mountRoot(0))
        ? Files.list(cluster.mountRoot(0)) : Stream.empty()) {
      mountPoints = entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Snapshot(volumes.get(), cluster.host().mounts(), cluster.state(0).records(),
        cluster.state(1).records(), mountPoints);
  }
}
