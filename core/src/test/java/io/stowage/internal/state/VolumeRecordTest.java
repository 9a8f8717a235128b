package io.stowage.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VolumeRecordTest {
  private static final VolumeName NAME = VolumeName.of("pgdata");
  private static final VolumeId ID = VolumeId.of("vol-1");
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.123456789Z");

  @Test
  void callersAreSortedAndUnmodifiable() {
    Set<Caller> callers = new HashSet<>(Set.of(Caller.of("b"), Caller.of("c"), Caller.of("a")));
    VolumeRecord record = VolumeRecord.of("fake", NAME, ID).withCallers(callers);
    callers.clear();
    assertEquals(List.of(Caller.of("a"), Caller.of("b"), Caller.of("c")),
        List.copyOf(record.callers()));
    assertThrows(UnsupportedOperationException.class, () -> record.callers().add(Caller.of("d")));
    assertEquals(Set.of(Caller.of("a"), Caller.of("b"), Caller.of("c")), record.callers());
  }

  @Test
  void addingAndRemovingCallersIsIdempotent() {
    VolumeRecord empty = VolumeRecord.of("fake", NAME, ID);
    assertFalse(empty.inUse());
    VolumeRecord used = empty.withCaller(Caller.of("task-1"));
    assertTrue(used.inUse());
    assertSame(used, used.withCaller(Caller.of("task-1")));
    assertEquals(empty, used.withoutCaller(Caller.of("task-1")));
    assertSame(empty, empty.withoutCaller(Caller.of("task-1")));
  }

  @Test
  void withersChangeOneField() {
    VolumeRecord record = VolumeRecord.of("fake", NAME, ID)
        .withDevice(Optional.of(Path.of("/dev/xvdf")))
        .withMountPoint(Optional.of(Path.of("/m/pgdata")))
        .withDataPath(Optional.of(Path.of("/m/pgdata/data")))
        .withIntent(Intent.unmounting(Path.of("/m/pgdata"), NOW));
    assertEquals(new VolumeRecord("fake", "fake", NAME, ID, Optional.of(Path.of("/dev/xvdf")),
        Optional.of(Path.of("/m/pgdata")), Optional.of(Path.of("/m/pgdata/data")), Set.of(),
        Optional.of(Intent.unmounting(Path.of("/m/pgdata"), NOW))), record);
    assertEquals(VolumeKey.of("fake", NAME), record.key());
    assertEquals(Optional.empty(), record.withoutIntent().intent());
    assertEquals(VolumeId.of("vol-2"), record.withVolumeId(VolumeId.of("vol-2")).volumeId());
    assertEquals(Optional.empty(), record.withDevice(Optional.empty()).device());
  }

  @Test
  void rejectsMalformedRecords() {
    assertEquals("service name", assertThrows(InvalidArgumentException.class,
        () -> VolumeRecord.of("Fake", NAME, ID)).field());
    assertEquals("storage driver name", assertThrows(InvalidArgumentException.class,
        () -> VolumeRecord.of("platform-1", "fake-2", NAME, ID)).field());
    assertEquals(VolumeKey.of("platform-1", NAME),
        VolumeRecord.of("platform-1", "fake", NAME, ID).key());
    assertEquals("device", assertThrows(InvalidArgumentException.class,
        () -> VolumeRecord.of("fake", NAME, ID).withDevice(Optional.of(Path.of("xvdf"))))
        .field());
    assertEquals("mount point", assertThrows(InvalidArgumentException.class,
        () -> VolumeRecord.of("fake", NAME, ID).withMountPoint(Optional.of(Path.of("m"))))
        .field());
    assertEquals("data path", assertThrows(InvalidArgumentException.class,
        () -> VolumeRecord.of("fake", NAME, ID).withDataPath(Optional.of(Path.of("d"))))
        .field());
    assertThrows(NullPointerException.class, () -> VolumeRecord.of("fake", null, ID));
    assertThrows(NullPointerException.class, () -> VolumeRecord.of("fake", NAME, null));
    Set<Caller> withNull = new HashSet<>();
    withNull.add(null);
    assertThrows(NullPointerException.class,
        () -> VolumeRecord.of("fake", NAME, ID).withCallers(withNull));
  }

  @Test
  void intentsNameWhatTheirStepNeeds() {
    Intent attaching = Intent.attaching(InstanceId.of("i-1"), Path.of("/m/x"), NOW);
    assertEquals(Intent.Step.ATTACHING, attaching.step());
    assertEquals(Optional.of(InstanceId.of("i-1")), attaching.instance());
    assertEquals(Path.of("/m/x"), attaching.mountPoint());
    Intent unmounting = Intent.unmounting(Path.of("/m/y"), NOW);
    assertEquals(Intent.Step.UNMOUNTING, unmounting.step());
    assertEquals(Optional.empty(), unmounting.instance());
    assertEquals(NOW, unmounting.startedAt());
    assertThrows(InvalidArgumentException.class,
        () -> Intent.unmounting(Path.of("relative"), NOW));
  }

  @Test
  void keysValidateAndOrderByOwnerThenName() {
    VolumeKey a = VolumeKey.of("ebs", VolumeName.of("z"));
    VolumeKey b = VolumeKey.of("fake", VolumeName.of("a"));
    assertTrue(a.compareTo(b) < 0);
    assertEquals("ebs/z", a.toString());
    assertTrue(VolumeKey.isLegalOwner("mydriver2"));
    assertTrue(VolumeKey.isLegalOwner("default-docker"));
    assertFalse(VolumeKey.isLegalOwner("my_driver"));
    assertFalse(VolumeKey.isLegalOwner("My"));
    assertFalse(VolumeKey.isLegalOwner("-x"));
    assertFalse(VolumeKey.isLegalOwner(null));
    assertThrows(InvalidArgumentException.class, () -> VolumeKey.of("a.b", NAME));
    assertThrows(InvalidArgumentException.class, () -> VolumeKey.requireDriverName("my-driver"));
  }
}
