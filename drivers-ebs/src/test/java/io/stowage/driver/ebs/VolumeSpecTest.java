package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.model.ByteSize;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotId;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateVolumeRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Volume options become one CreateVolume request, or a typed error before any call. */
class VolumeSpecTest {
  private static final VolumeName NAME = VolumeName.of("pgdata");
  private static final String ZONE = "eu-west-1b";

  private static VolumeSpec spec(Map<String, String> options) {
    return VolumeSpec.of(NAME, VolumeOptions.parse(options, VolumeSpec.OPTION_KEYS), ZONE,
        Optional.empty());
  }

  private static InvalidArgumentException refused(Map<String, String> options) {
    return assertThrows(InvalidArgumentException.class, () -> spec(options));
  }

  @Test
  void defaultsAreGp3Of16GiBInTheInstancesZone() {
    CreateVolumeRequest request = spec(Map.of()).toRequest(Optional.empty());
    assertEquals("gp3", request.volumeTypeAsString());
    assertEquals(16, request.size());
    assertEquals(ZONE, request.availabilityZone());
    assertEquals(false, request.encrypted());
    assertNull(request.iops());
    assertNull(request.throughput());
    assertNull(request.kmsKeyId());
  }

  @Test
  void tagsAreSetInTheCreateRequest() {
    CreateVolumeRequest request = spec(Map.of()).toRequest(Optional.of("prod"));
    assertEquals(1, request.tagSpecifications().size());
    assertEquals(ResourceType.VOLUME, request.tagSpecifications().get(0).resourceType());
    assertEquals(List.of(Tag.builder().key("Name").value("pgdata").build(),
        Tag.builder().key("rexraySet").value("prod").build()),
        request.tagSpecifications().get(0).tags());
    assertEquals(List.of(Tag.builder().key("Name").value("pgdata").build()),
        spec(Map.of()).toRequest(Optional.empty()).tagSpecifications().get(0).tags());
  }

  @Test
  void provisionedIopsAndThroughputArePassed() {
    CreateVolumeRequest request = spec(Map.of("volumetype", "gp3", "size", "100", "iops",
        "6000", "throughput", "500")).toRequest(Optional.empty());
    assertEquals(6000, request.iops());
    assertEquals(500, request.throughput());
    CreateVolumeRequest io2 = spec(Map.of("type", "IO2", "size", "4", "iops", "4000"))
        .toRequest(Optional.empty());
    assertEquals("io2", io2.volumeTypeAsString());
    assertEquals(4000, io2.iops());
  }

  @ParameterizedTest
  @CsvSource({"gp2,1,16384", "gp3,1,16384", "io1,4,16384", "io2,4,65536", "st1,125,16384",
      "sc1,125,16384", "standard,1,1024"})
  void sizesAreCheckedAgainstTheTypesRange(String type, int min, int max) {
    Map<String, String> iops = type.startsWith("io") ? Map.of("iops", "100") : Map.of();
    assertEquals(min, spec(with(iops, "volumetype", type, "size", Integer.toString(min)))
        .sizeGiB());
    assertEquals(max, spec(with(iops, "volumetype", type, "size", Integer.toString(max)))
        .sizeGiB());
    if (min > 1) {
      InvalidArgumentException below = refused(with(iops, "volumetype", type, "size",
          Integer.toString(min - 1)));
      assertEquals("size", below.field());
      assertTrue(below.getMessage().contains(min + " to " + max + " GiB"), below.getMessage());
    }
    if (max < 65536) {
      assertEquals("size", refused(with(iops, "volumetype", type, "size",
          Integer.toString(max + 1))).field());
    }
  }

  @Test
  void aTypeWithAMinimumAboveTheDefaultSizeGetsItsMinimum() {
    assertEquals(125, spec(Map.of("volumetype", "st1")).sizeGiB());
  }

  @ParameterizedTest
  @CsvSource({"gp2", "st1", "sc1", "standard"})
  void iopsOnATypeThatTakesNoneIsRefused(String type) {
    InvalidArgumentException e = refused(Map.of("volumetype", type, "size", "500", "iops",
        "3000"));
    assertEquals("iops", e.field());
    assertTrue(e.getMessage().contains("takes no provisioned IOPS"), e.getMessage());
  }

  @Test
  void provisionedIopsTypesNeedIops() {
    InvalidArgumentException e = refused(Map.of("volumetype", "io1", "size", "10"));
    assertEquals("iops", e.field());
    assertTrue(e.getMessage().contains("100 to 64000"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"gp3,100,2999", "gp3,100,16001", "io1,100,99", "io1,2000,64001",
      "io2,300,256001"})
  void iopsOutsideTheTypesRangeAreRefused(String type, int size, int iops) {
    assertEquals("iops", refused(Map.of("volumetype", type, "size", Integer.toString(size),
        "iops", Integer.toString(iops))).field());
  }

  @Test
  void iopsPerGiBAreLimited() {
    InvalidArgumentException io1 = refused(Map.of("volumetype", "io1", "size", "10", "iops",
        "1000"));
    assertTrue(io1.getMessage().contains("raise size to 20 GiB"), io1.getMessage());
    assertEquals(500, spec(Map.of("volumetype", "io1", "size", "10", "iops", "500")).iops()
        .orElseThrow());
    // gp3 gives 3000 IOPS at any size; more need 500 per GiB.
    assertEquals(3000, spec(Map.of("volumetype", "gp3", "size", "1", "iops", "3000")).iops()
        .orElseThrow());
    refused(Map.of("volumetype", "gp3", "size", "7", "iops", "4000"));
  }

  @Test
  void throughputIsForGp3WithinItsRangeAndIopsRatio() {
    assertEquals(THROUGHPUT, refused(Map.of("volumetype", "gp2", "throughput", "200"))
        .field());
    assertEquals(THROUGHPUT, refused(Map.of("throughput", "124")).field());
    assertEquals(THROUGHPUT, refused(Map.of("throughput", "1001")).field());
    assertEquals(THROUGHPUT, refused(Map.of("throughput", "fast")).field());
    InvalidArgumentException ratio = refused(Map.of("throughput", "1000"));
    assertTrue(ratio.getMessage().contains("raise iops to 4000"), ratio.getMessage());
    assertEquals(750, spec(Map.of("throughput", "750")).throughput().orElseThrow());
  }

  private static final String THROUGHPUT = VolumeSpec.THROUGHPUT;

  @Test
  void encryptionUsesTheGivenKeyElseTheConfiguredOne() {
    VolumeSpec withDefault = VolumeSpec.of(NAME, VolumeOptions.parse(Map.of("encrypted",
        "true")), ZONE, Optional.of("alias/stowage"));
    assertEquals(Optional.of("alias/stowage"), withDefault.kmsKeyId());
    assertTrue(withDefault.toRequest(Optional.empty()).encrypted());

    VolumeSpec given = VolumeSpec.of(NAME, VolumeOptions.parse(Map.of("encryptionkey",
        "arn:aws:kms:eu-west-1:123456789012:key/abc")), ZONE, Optional.of("alias/stowage"));
    assertTrue(given.encrypted(), "a key implies encryption");
    assertEquals("arn:aws:kms:eu-west-1:123456789012:key/abc",
        given.toRequest(Optional.empty()).kmsKeyId());
    assertFalse(given.toString().contains("key/abc"), given.toString());

    VolumeSpec plain = VolumeSpec.of(NAME, VolumeOptions.NONE, ZONE,
        Optional.of("alias/stowage"));
    assertEquals(Optional.empty(), plain.kmsKeyId(), "the configured key encrypts nothing alone");

    InvalidArgumentException e = refused(Map.of("encrypted", "false", "encryptionkey",
        "alias/x"));
    assertEquals("encryptionkey", e.field());
    assertFalse(e.getMessage().contains("alias/x"));
  }

  @Test
  void copiesOfVolumesAreUnsupported() {
    assertThrows(UnsupportedCapabilityException.class,
        () -> spec(Map.of("volumename", "other")));
  }

  @Test
  void aVolumeFromASnapshotHasAtLeastItsSize() {
    Snapshot snapshot = new Snapshot(SnapshotId.of("snap-0123456789abcdef0"),
        SnapshotName.of("nightly"), Optional.empty(), ByteSize.ofGiB(20),
        SnapshotStatus.of(SnapshotStatus.Phase.COMPLETED), Optional.of("us-east-1"), Map.of(),
        Map.of(), Optional.empty());
    VolumeOptions restore = VolumeOptions.parse(Map.of("snapshotid", snapshot.id().value()));
    VolumeSpec same = VolumeSpec.of(NAME, restore, ZONE, Optional.empty(),
        Optional.of(snapshot));
    assertEquals(20, same.sizeGiB());
    assertEquals(Optional.of(snapshot.id()), same.snapshot());
    assertEquals("snap-0123456789abcdef0", same.toRequest(Optional.empty()).snapshotId());
    assertEquals(125, VolumeSpec.of(NAME, VolumeOptions.parse(Map.of("snapshotid",
        snapshot.id().value(), "volumetype", "st1")), ZONE, Optional.empty(),
        Optional.of(snapshot)).sizeGiB(), "at least the type's smallest size");
    assertEquals(32, VolumeSpec.of(NAME, VolumeOptions.parse(Map.of("snapshotid",
        snapshot.id().value(), "size", "32")), ZONE, Optional.empty(),
        Optional.of(snapshot)).sizeGiB());
    InvalidArgumentException small = assertThrows(InvalidArgumentException.class,
        () -> VolumeSpec.of(NAME, VolumeOptions.parse(Map.of("snapshotid",
            snapshot.id().value(), "size", "19")), ZONE, Optional.empty(),
            Optional.of(snapshot)));
    assertEquals("size", small.field());
    assertTrue(small.getMessage().contains("smaller than snapshot snap-0123456789abcdef0"),
        small.getMessage());
  }

  @Test
  void unknownTypesAndDriverOptionsAreRefused() {
    InvalidArgumentException type = refused(Map.of("volumetype", "gp4"));
    assertEquals("volumetype", type.field());
    assertTrue(type.getMessage().contains("gp2, gp3, io1, io2, st1, sc1, standard"));
    assertThrows(InvalidArgumentException.class, () -> VolumeSpec.of(NAME,
        VolumeOptions.parse(Map.of("speed", "fast"), Set.of("speed")), ZONE, Optional.empty()));
  }

  @Test
  void sizesAreRoundedUpToWholeGiB() {
    assertEquals(1, spec(Map.of("size", "512MiB")).sizeGiB());
    assertEquals(2048, spec(Map.of("size", "2TiB")).sizeGiB());
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> map = new HashMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
