package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.InvalidStateException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.ByteSize;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Growing EBS volumes against the EC2 double: ModifyVolume, then the modification awaited
 * from {@code modifying} to {@code optimizing}, when the new size is usable; and the refusals
 * that send nothing or change nothing.
 */
class EbsResizeTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();
  private final Ec2Double ec2 = fixture.ec2;

  @Test
  void anAttachedVolumeGrowsOnceTheModificationIsOptimizing() {
    ec2.modificationDelays(Duration.ofMillis(450), Duration.ofHours(1));
    String id = ec2.volume("pgdata", ZONE, Map.of());
    ec2.attachNow(id, INSTANCE, "/dev/xvdba");
    try (EbsBackend backend = fixture.backend()) {
      Volume grown = backend.grow(VolumeId.of(id), ByteSize.ofGiB(20));
      assertEquals(ByteSize.ofGiB(20), grown.size());
      assertEquals(1, grown.attachments().size(), "still attached");
      assertEquals(Optional.of(20), ec2.size(id));
      assertEquals(1, ec2.count("DescribeVolumes"));
      assertEquals(1, ec2.count("ModifyVolume"));
      int polls = ec2.count("DescribeVolumesModifications");
      assertTrue(polls >= 2 && polls <= 4, "polls while modifying, until optimizing: " + polls);

      InvalidStateException busy = assertThrows(InvalidStateException.class,
          () -> backend.grow(VolumeId.of(id), ByteSize.ofGiB(30)),
          "a grow while the last one is optimizing");
      assertEquals(Ec2Errors.INCORRECT_MODIFICATION_STATE, busy.state());
      assertEquals(Optional.of(20), ec2.size(id));
    }
  }

  @Test
  void shrinkingAndGrowingToTheSameSizeSendNoModification() {
    String id = ec2.volume("pgdata", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      InvalidArgumentException shrink = assertThrows(InvalidArgumentException.class,
          () -> backend.grow(VolumeId.of(id), ByteSize.ofGiB(4)));
      assertEquals("size", shrink.field());
      assertEquals(ByteSize.ofGiB(8), backend.grow(VolumeId.of(id), ByteSize.parse("7681MiB"))
          .size(), "7.5 GiB rounds up to the 8 the volume has");
      assertThrows(InvalidArgumentException.class,
          () -> backend.grow(VolumeId.of(id), ByteSize.parse("17TiB")), "gp3 is at most 16 TiB");
      assertThrows(VolumeNotFoundException.class,
          () -> backend.grow(VolumeId.of("vol-0000000000000dead"), ByteSize.ofGiB(9)));
      assertEquals(0, ec2.count("ModifyVolume"));
      assertEquals(Optional.of(8), ec2.size(id));
    }
  }
}
