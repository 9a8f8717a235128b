package io.stowage.driver.fake.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.VolumeService;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.Caller;
import io.stowage.model.MountOptions;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.MountEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Read-only and mount options through the mount policy, on the fake driver with simulated
 * devices: options kept with a volume at create apply to every mount, a mount may override them
 * except for a restriction, callers of a mounted volume share one mode, and every bad input is a
 * typed error that changes nothing: no volume, no attachment, no mount, no record, no kept
 * options.
 */
class MountOptionsPolicyTest {
  private final SimulatedCluster cluster = SimulatedCluster.open(1);
  private final VolumeService volumes = cluster.volumes(0);

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void optionsGivenAtCreateApplyToAMountThatSaysNothing() {
    volumes.create("pgdata", VolumeOptions.parse(Map.of("size", "1", "ro", "true",
        "mountoptions", "nodev+noatime")));
    MountOptions kept = MountOptions.parseJoined("ro+nodev+noatime");
    assertEquals(kept, cluster.mountDefaults(0, "pgdata"));

    volumes.mount("pgdata", MountRequest.builder().caller("docker-id-1").build());
    assertEquals(List.of("ro", "noatime", "nodev"), entry("pgdata").options());
    assertEquals(kept, record("pgdata").mount());

    cluster.restart(0);
    cluster.volumes(0).mount("pgdata", MountRequest.builder().caller("docker-id-2").build());
    assertEquals(Set.of(Caller.of("docker-id-1"), Caller.of("docker-id-2")),
        record("pgdata").callers());
  }

  @Test
  void aMountOverridesTheModeAndOptionsButNotARestriction() {
    volumes.create("pgdata", VolumeOptions.parse(Map.of("ro", "yes",
        "mountoptions", "noexec+relatime")));
    volumes.mount("pgdata", MountRequest.builder().caller("writer").readOnly(false)
        .mountOption("noatime").build());
    assertEquals(List.of("rw", "noatime", "noexec"), entry("pgdata").options());
    volumes.unmount("pgdata", UnmountRequest.caller("writer"));

    Snapshot before = snapshot();
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> volumes.mount("pgdata", MountRequest.builder().caller("t").mountOption("exec")
            .build()));
    assertTrue(e.getMessage().contains("created with noexec"), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void aReadWriteCallerOfAReadOnlyMountIsRefusedNamingBoth() {
    volumes.mount("pgdata", MountRequest.builder().caller("reader-1").readOnly(true).build());
    volumes.mount("pgdata", MountRequest.builder().caller("reader-2").readOnly(true).build());
    Snapshot before = snapshot();

    VolumeInUseException e = assertThrows(VolumeInUseException.class,
        () -> volumes.mount("pgdata", MountRequest.builder().caller("writer").build()));
    assertTrue(e.getMessage().contains("read-only by [reader-1, reader-2]")
        && e.getMessage().contains("caller writer asks for read-write"), e.getMessage());
    assertEquals(before, snapshot());

    VolumeInUseException sameCaller = assertThrows(VolumeInUseException.class,
        () -> volumes.mount("pgdata", MountRequest.builder().caller("reader-1")
            .readOnly(false).build()));
    assertTrue(sameCaller.getMessage().contains("caller reader-1 asks for read-write"),
        sameCaller.getMessage());
    VolumeInUseException otherOptions = assertThrows(VolumeInUseException.class,
        () -> volumes.mount("pgdata", MountRequest.builder().caller("reader-3")
            .readOnly(true).mountOption("noatime").build()));
    assertTrue(otherOptions.getMessage().contains("read-only with [noatime]"),
        otherOptions.getMessage());
    assertEquals(before, snapshot());

    volumes.unmount("pgdata", UnmountRequest.caller("reader-1"));
    volumes.unmount("pgdata", UnmountRequest.caller("reader-2"));
    volumes.mount("pgdata", MountRequest.builder().caller("writer").build());
    assertEquals(List.of("rw", "relatime"), entry("pgdata").options());
  }

  @Test
  void badInputChangesNothing() {
    volumes.create("noexec-vol", VolumeOptions.parse(Map.of("mountoptions", "noexec+nosuid")));
    volumes.mount("xfs-vol", MountRequest.builder().caller("t")
        .options(VolumeOptions.parse(Map.of("newfstype", "xfs"))).build());
    assertEquals("xfs", entry("xfs-vol").fsType());
    volumes.unmount("xfs-vol", UnmountRequest.caller("t"));
    Map<String, Supplier<Object>> bad = Map.of(
        "exec,suid on a volume created noexec,nosuid", () -> volumes.mount("noexec-vol",
            MountRequest.builder().options(VolumeOptions.parse(Map.of("mountoptions",
                "exec+suid"))).build()),
        "data=ordered on an existing xfs volume, found on attach", () -> volumes.mount(
            "xfs-vol", MountRequest.builder().mountOption("data=ordered").build()),
        "data=ordered for a new xfs volume, implicit create", () -> volumes.mount("new-1",
            MountRequest.builder().options(VolumeOptions.parse(Map.of("newfstype", "xfs")))
                .mountOption("data=ordered").build()),
        "data=journal at create of an xfs volume", () -> volumes.create("new-2",
            VolumeOptions.parse(Map.of("newfstype", "xfs", "mountoptions", "data=journal"))),
        "ro with rw", () -> volumes.mount("new-3", MountRequest.builder().readOnly(true)
            .options(VolumeOptions.parse(Map.of("mountoptions", "rw"))).build()));
    Snapshot before = snapshot();
    for (Map.Entry<String, Supplier<Object>> e : bad.entrySet()) {
      assertThrows(InvalidArgumentException.class, e.getValue()::get, e.getKey());
      assertEquals(before, snapshot(), e.getKey());
    }
    assertEquals(MountOptions.NONE, cluster.mountDefaults(0, "new-1"));
    assertEquals(MountOptions.NONE, cluster.mountDefaults(0, "new-2"));
  }

  @Test
  void requestsThatCannotBeBuiltNeverReachTheService() {
    for (String option : List.of("exec,suid", "noatime,nodev", "nosuid=0", "bind", "",
        "x-mount.mkdir=0700", "ro\nrw")) {
      assertThrows(InvalidArgumentException.class,
          () -> MountRequest.builder().mountOption(option).build(), option);
    }
    assertThrows(InvalidArgumentException.class,
        () -> MountRequest.builder().mountOption("ro").readOnly(false).build());
  }

  @Test
  void removingAVolumeForgetsItsOptions() {
    volumes.create("pgdata", VolumeOptions.parse(Map.of("ro", "true")));
    volumes.remove("pgdata", false);
    assertEquals(MountOptions.NONE, cluster.mountDefaults(0, "pgdata"));
    volumes.create("pgdata", VolumeOptions.NONE);
    volumes.mount("pgdata", MountRequest.builder().caller("t").build());
    assertFalse(record("pgdata").mount().readOnlyOrFalse());
  }

  @Test
  void theModeOfAMountSurvivesARestart() {
    volumes.mount("pgdata", MountRequest.builder().caller("reader").readOnly(true).build());
    cluster.restart(0);
    assertThrows(VolumeInUseException.class, () -> cluster.volumes(0).mount("pgdata",
        MountRequest.builder().caller("writer").readOnly(false).build()));
    assertEquals(Set.of(Caller.of("reader")), record("pgdata").callers());
  }

  /** What a refused call must leave as it was. */
  private record Snapshot(List<String> volumes, List<MountEntry> mounts,
      List<VolumeRecord> records) {}

  private Snapshot snapshot() {
    return new Snapshot(cluster.volumes(0).list().stream()
        .map(v -> v.name() + " " + v.attachments()).toList(), cluster.host().mounts(),
        cluster.state(0).records());
  }

  private VolumeRecord record(String volume) {
    return cluster.state(0).byName().get(volume);
  }

  private MountEntry entry(String volume) {
    return cluster.host().mountsAt(cluster.mountRoot(0).resolve(volume)).get(0);
  }
}
