package io.stowage.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumeTest {
  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

  private static Volume volume(Optional<Instant> createdAt) {
    return new Volume(VolumeId.of("vol-1"), VolumeName.of("pg"), ByteSize.ofGiB(1),
        Optional.empty(), Optional.empty(), Optional.empty(), false,
        VolumeStatus.of(VolumeStatus.Phase.AVAILABLE), List.of(), Map.of(), createdAt);
  }

  @Test
  void aBackEndWithoutCreationTimesUsesTheShorterConstructor() {
    Volume v = new Volume(VolumeId.of("vol-1"), VolumeName.of("pg"), ByteSize.ofGiB(1),
        Optional.empty(), Optional.empty(), Optional.empty(), false,
        VolumeStatus.of(VolumeStatus.Phase.AVAILABLE), List.of(), Map.of());
    assertEquals(volume(Optional.empty()), v);
  }

  @Test
  void withAttachmentsKeepsEverythingElse() {
    Attachment a = new Attachment(VolumeId.of("vol-1"), InstanceId.of("i-1"), "/dev/xvdf");
    Volume attached = volume(Optional.of(CREATED)).withAttachments(List.of(a));
    assertEquals(List.of(a), attached.attachments());
    assertEquals(Optional.of(CREATED), attached.createdAt());
    assertEquals(volume(Optional.of(CREATED)), attached.withAttachments(List.of()));
  }
}
