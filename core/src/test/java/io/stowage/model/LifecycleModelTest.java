package io.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The values of snapshots and of volumes created from a source. */
class LifecycleModelTest {
  @Test
  void optionsNameAtMostOneSource() {
    assertEquals(Optional.empty(), VolumeOptions.parse(Map.of("size", "2")).source());
    assertEquals(Optional.of(new VolumeSource(VolumeSource.Kind.SNAPSHOT_NAME, "nightly")),
        VolumeOptions.parse(Map.of("SnapshotName", "nightly")).source());
    assertEquals(Optional.of(new VolumeSource(VolumeSource.Kind.VOLUME_ID, "vol-1")),
        VolumeOptions.parse(Map.of("volumeid", "vol-1")).source());
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> VolumeOptions.parse(Map.of("snapshotid", "snap-1", "volumename", "pg")).source());
    assertEquals("volume options", e.field());
    assertTrue(e.getMessage().contains("snapshotid, volumename"), e.getMessage());
  }

  @Test
  void sourceKindsNameTheirOptions() {
    assertEquals(List.of("snapshotid", "snapshotname", "volumeid", "volumename"),
        List.of(VolumeSource.Kind.values()).stream().map(VolumeSource.Kind::option).toList());
    assertTrue(VolumeSource.Kind.SNAPSHOT_NAME.snapshot());
    assertTrue(!VolumeSource.Kind.VOLUME_NAME.snapshot());
  }

  @Test
  void snapshotRequestsCheckTheirTags() {
    SnapshotRequest request = SnapshotRequest.named("nightly")
        .withTags(Map.of("team", "db", "cost-centre", "42"));
    assertEquals(List.of("cost-centre", "team"), List.copyOf(request.tags().keySet()));
    for (String key : List.of("", "aws:created", "AWS:x", "bad\nkey", "x".repeat(129))) {
      assertThrows(InvalidArgumentException.class,
          () -> new SnapshotRequest(SnapshotName.of("s"), Map.of(key, "v")), key);
    }
    assertThrows(InvalidArgumentException.class,
        () -> new SnapshotRequest(SnapshotName.of("s"), Map.of("k", "v".repeat(257))));
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= SnapshotRequest.MAX_TAGS; i++) {
      many.put("k" + i, "v");
    }
    assertThrows(InvalidArgumentException.class,
        () -> new SnapshotRequest(SnapshotName.of("s"), many));
    assertThrows(InvalidArgumentException.class, () -> SnapshotRequest.named("../x"));
  }

  @Test
  void snapshotStatusKeepsProgressInRange() {
    assertEquals("pending", SnapshotStatus.of(SnapshotStatus.Phase.PENDING).raw());
    assertEquals(Optional.of(40), new SnapshotStatus(SnapshotStatus.Phase.PENDING, "pending",
        Optional.of(40)).progress());
    assertThrows(InvalidArgumentException.class, () -> new SnapshotStatus(
        SnapshotStatus.Phase.PENDING, "pending", Optional.of(101)));
  }

  @Test
  void aSnapshotIsCompleteInItsCompletedPhase() {
    Snapshot pending = new Snapshot(SnapshotId.of("snap-1"), SnapshotName.of("s"),
        Optional.of(VolumeId.of("vol-1")), ByteSize.ofGiB(1),
        SnapshotStatus.of(SnapshotStatus.Phase.PENDING), Optional.empty(), Map.of(), Map.of(),
        Optional.empty());
    assertTrue(!pending.completed());
    assertThrows(InvalidArgumentException.class, () -> SnapshotId.of("snap 1"));
  }
}
