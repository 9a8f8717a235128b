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
    assertEquals(new VolumeRecord("fake", NAME, ID, Optional.of(Path.of("/dev/xvdf")),
        Optional.of(Path.of("/m/pgdata")), Optional.of(Path.of("/m/pgdata/data")), Set.of(),
        Optional.of(Intent.unmounting(Path.of("/m/pgdata"), NOW))), record);
    assertEquals(VolumeKey.of("fake", NAME), record.key());
    assertEquals(Optional.empty(), record.withoutIntent().intent());
    assertEquals(VolumeId.of("vol-2"), record.withVolumeId(VolumeId.of("vol-2")).volumeId());
    assertEquals(Optional.empty(), record.withDevice(Optional.empty()).device());
  }

  @Test
  void rejectsMalformedRecords() {
    assertEquals("driver name", assertThrows(InvalidArgumentException.class,
        () -> VolumeRecord.of("Fake", NAME, ID)).field());
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
    Intent attaching = Intent.attaching(InstanceId.of("i-1"), NOW);
    assertEquals(Intent.Step.ATTACHING, attaching.step());
    assertEquals(Optional.of(InstanceId.of("i-1")), attaching.instance());
    Intent mounting = Intent.mounting(Path.of("/dev/xvdf"), Path.of("/m/x"), NOW)
        .withCaller(Caller.of("task-1")).withDetail("fsType", "ext4");
    assertEquals(Optional.of(Path.of("/dev/xvdf")), mounting.device());
    assertEquals(Optional.of(Path.of("/m/x")), mounting.mountPoint());
    assertEquals(Optional.of(Caller.of("task-1")), mounting.caller());
    assertEquals(Map.of("fsType", "ext4"), mounting.details());
    Intent detaching = Intent.detaching(InstanceId.of("i-2"), NOW).withDevice(Path.of("/dev/x"))
        .withMountPoint(Path.of("/m/y")).withInstance(InstanceId.of("i-3"));
    assertEquals(Intent.Step.DETACHING, detaching.step());
    assertEquals(Optional.of(InstanceId.of("i-3")), detaching.instance());
    assertEquals(NOW, detaching.startedAt());
  }

  @Test
  void intentDetailsAreSortedCopiesAndValidated() {
    Map<String, String> details = new HashMap<>(Map.of("b", "2", "a", "1"));
    Intent intent = new Intent(Intent.Step.MOUNTING, NOW, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), details);
    details.put("c", "3");
    assertEquals(List.of("a", "b"), List.copyOf(intent.details().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> intent.details().put("x", "y"));
    assertThrows(InvalidArgumentException.class, () -> intent.withDetail("with space", "v"));
    assertThrows(InvalidArgumentException.class, () -> intent.withDetail("", "v"));
    assertThrows(InvalidArgumentException.class, () -> intent.withDetail("k", "v".repeat(4097)));
    assertThrows(InvalidArgumentException.class, () -> intent.withDevice(Path.of("relative")));
  }

  @Test
  void keysValidateAndOrderByDriverThenName() {
    VolumeKey a = VolumeKey.of("ebs", VolumeName.of("z"));
    VolumeKey b = VolumeKey.of("fake", VolumeName.of("a"));
    assertTrue(a.compareTo(b) < 0);
    assertEquals("ebs/z", a.toString());
    assertTrue(VolumeKey.isLegalDriverName("my-driver2"));
    assertFalse(VolumeKey.isLegalDriverName("My"));
    assertFalse(VolumeKey.isLegalDriverName(null));
    assertThrows(InvalidArgumentException.class, () -> VolumeKey.of("a.b", NAME));
  }
}
