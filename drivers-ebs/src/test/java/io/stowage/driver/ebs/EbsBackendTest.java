package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.OTHER_INSTANCE;
import static io.stowage.driver.ebs.EbsFixture.OTHER_ZONE;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import io.stowage.model.VolumeStatus.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The back end against the EC2 double through the real SDK client: behaviour and call counts. */
class EbsBackendTest {
  private static final InstanceId HERE = InstanceId.of(INSTANCE);
  private static final InstanceId THERE = InstanceId.of(OTHER_INSTANCE);

  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();
  private final Ec2Double ec2 = fixture.ec2;

  @Test
  void identityComesFromImdsV2() {
    try (EbsBackend backend = fixture.backend()) {
      assertEquals(new InstanceIdentity(HERE, EbsFixture.REGION, ZONE), backend.localInstance());
      assertEquals(1, fixture.imds.tokenRequests());
      assertEquals(0, fixture.imds.refused());
      assertEquals(0, ec2.total(), "identity costs no EC2 call");
    }
  }

  @Test
  void listReadsTheRegionInPagesOf500() {
    for (int i = 0; i < 1201; i++) {
      ec2.volume("v" + i, i % 2 == 0 ? ZONE : OTHER_ZONE, Map.of());
    }
    try (EbsBackend backend = fixture.backend()) {
      List<Volume> volumes = backend.list();
      assertEquals(1201, volumes.size());
      assertEquals(Map.of("DescribeVolumes", 3), ec2.counts());
      assertTrue(ec2.calls().stream().allMatch(c -> "500".equals(c.params().get("MaxResults"))));
      assertTrue(volumes.stream().anyMatch(v -> v.availabilityZone().orElse("").equals(OTHER_ZONE)),
          "every zone of the region is listed");
    }
  }

  @Test
  void listOfAnEmptyRegionIsOneCall() {
    try (EbsBackend backend = fixture.backend()) {
      assertEquals(List.of(), backend.list());
      assertEquals(Map.of("DescribeVolumes", 1), ec2.counts());
    }
  }

  @Test
  void theNamespaceTagFiltersEveryLookupAndIsSetOnCreate() {
    String ours = ec2.volume("data", ZONE, Map.of(VolumeSpec.NAMESPACE_TAG, "team-a"));
    String theirs = ec2.volume("data", ZONE, Map.of(VolumeSpec.NAMESPACE_TAG, "team-b"));
    String untagged = ec2.volume("loose", ZONE, Map.of());
    EbsBackendOptions options = new EbsBackendOptions(Optional.of("team-a"), Optional.empty(),
        Duration.ofSeconds(10), EbsFixture.FAST);
    try (EbsBackend backend = fixture.backend(options, new Random(1))) {
      assertEquals(List.of(ours), backend.list().stream().map(v -> v.id().value()).toList());
      assertEquals(List.of(ours), backend.findByName(VolumeName.of("data")).stream()
          .map(v -> v.id().value()).toList());
      assertEquals(Optional.empty(), backend.find(VolumeId.of(theirs)));
      assertEquals(Optional.empty(), backend.find(VolumeId.of(untagged)));
      assertTrue(backend.find(VolumeId.of(ours)).isPresent());

      Volume created = backend.create(VolumeName.of("fresh"), VolumeOptions.NONE);
      assertEquals(Map.of("Name", "fresh", VolumeSpec.NAMESPACE_TAG, "team-a"),
          ec2.tags(created.id().value()).orElseThrow());
    }
  }

  @Test
  void findByNameAndByIdAreOneCallEach() {
    String id = ec2.volume("pgdata", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      List<Volume> named = backend.findByName(VolumeName.of("pgdata"));
      assertEquals(1, named.size());
      Volume v = named.get(0);
      assertEquals(id, v.id().value());
      assertEquals(VolumeName.of("pgdata"), v.name());
      assertEquals(ByteSize.ofGiB(8), v.size());
      assertEquals(Phase.AVAILABLE, v.status().phase());
      assertEquals(Optional.of(ZONE), v.availabilityZone());
      assertEquals(Map.of("DescribeVolumes", 1), ec2.counts());

      assertEquals(Optional.of(v), backend.find(VolumeId.of(id)));
      assertEquals(Map.of("DescribeVolumes", 2), ec2.counts());
      assertEquals(Optional.empty(), backend.find(VolumeId.of("vol-0000000000000dead")));
      assertEquals(Map.of("DescribeVolumes", 3), ec2.counts());
    }
  }

  @Test
  void aReferenceThatIsNoVolumeIdCostsNoCall() {
    try (EbsBackend backend = fixture.backend()) {
      assertEquals(Optional.empty(), backend.find(VolumeId.of("pgdata")));
      assertThrows(VolumeNotFoundException.class, () -> backend.remove(VolumeId.of("pgdata")));
      assertEquals(0, ec2.total());
    }
  }

  @Test
  void createSetsTheTagsInCreateVolumeAndWaitsUntilAvailable() {
    ec2.delays(Duration.ofMillis(50), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    try (EbsBackend backend = fixture.backend()) {
      Volume v = backend.create(VolumeName.of("logs"), VolumeOptions.parse(Map.of("size", "20",
          "volumetype", "io2", "iops", "3000", "encrypted", "true")));
      assertEquals(Phase.AVAILABLE, v.status().phase());
      assertEquals(ByteSize.ofGiB(20), v.size());
      assertEquals(Optional.of("io2"), v.volumeType());
      assertEquals(Optional.of(3000L), v.iops());
      assertTrue(v.encrypted());
      assertEquals(Optional.of(ZONE), v.availabilityZone(), "the instance's zone by default");
      assertEquals(Map.of("Name", "logs"), ec2.tags(v.id().value()).orElseThrow());
      // One lookup of the name, CreateVolume, one poll that sees it available.
      assertEquals(Map.of("DescribeVolumes", 2, "CreateVolume", 1), ec2.counts());
    }
  }

  @Test
  void createPollsUntilTheVolumeLeavesCreating() {
    ec2.delays(Duration.ofMillis(450), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    try (EbsBackend backend = fixture.backend()) {
      Volume v = backend.create(VolumeName.of("slow"), VolumeOptions.NONE);
      assertEquals(Phase.AVAILABLE, v.status().phase());
      int polls = ec2.count("DescribeVolumes") - 1;
      assertTrue(polls >= 2 && polls <= 4, "polls at 100, 200, 400, 800 ms: " + polls);
    }
  }

  @Test
  void aNameTakenInAnotherZoneIsReportedNeverDuplicated() {
    String elsewhere = ec2.volume("shared", OTHER_ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      VolumeAlreadyExistsException e = assertThrows(VolumeAlreadyExistsException.class,
          () -> backend.create(VolumeName.of("shared"), VolumeOptions.NONE));
      assertTrue(e.getMessage().contains(elsewhere), e.getMessage());
      assertTrue(e.getMessage().contains(OTHER_ZONE), e.getMessage());
      assertEquals(0, ec2.count("CreateVolume"));
    }
  }

  @Test
  void badOptionsAreRefusedBeforeAnyCall() {
    try (EbsBackend backend = fixture.backend()) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> backend.create(VolumeName.of("x"), VolumeOptions.parse(Map.of(
              "volumetype", "gp2", "iops", "3000"))));
      assertEquals("iops", e.field());
      assertThrows(InvalidArgumentException.class, () -> backend.create(VolumeName.of("x"),
          VolumeOptions.parse(Map.of("volumetype", "sc1", "size", "100"))));
      assertEquals(0, ec2.total());
    }
  }

  @Test
  void anUnknownZoneIsATypedErrorNamingIt() {
    try (EbsBackend backend = fixture.backend()) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> backend.create(VolumeName.of("x"), VolumeOptions.parse(Map.of(
              "availabilityzone", "us-east-1z"))));
      assertEquals("availabilityzone", e.field());
      assertTrue(e.getMessage().contains("InvalidZone.NotFound"), e.getMessage());
      assertTrue(e.getMessage().contains("request id"), e.getMessage());
    }
  }

  @Test
  void removeIsOneCallAndTheNameIsFreeAtOnce() {
    ec2.delays(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30));
    String id = ec2.volume("scratch", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      backend.remove(VolumeId.of(id));
      assertEquals(Map.of("DeleteVolume", 1), ec2.counts());
      assertEquals(Optional.of("deleting"), ec2.state(id));
      assertEquals(List.of(), backend.findByName(VolumeName.of("scratch")),
          "a volume being deleted is gone for lookups");
      Volume again = backend.create(VolumeName.of("scratch"), VolumeOptions.NONE);
      assertFalse(again.id().value().equals(id));
    }
  }

  @Test
  void removeRefusesAnAttachedVolumeNamingTheInstance() {
    String id = ec2.volume("busy", ZONE, Map.of());
    ec2.attachNow(id, OTHER_INSTANCE, "/dev/xvdf");
    try (EbsBackend backend = fixture.backend()) {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> backend.remove(VolumeId.of(id)));
      assertEquals(OTHER_INSTANCE, e.holder());
      assertEquals(Optional.of("in-use"), ec2.state(id));
      assertThrows(VolumeNotFoundException.class,
          () -> backend.remove(VolumeId.of("vol-0000000000000dead")));
    }
  }

  @Test
  void findAttachAndSeenAttachedTakeThreeCalls() {
    ec2.delays(Duration.ZERO, Duration.ofMillis(30), Duration.ZERO, Duration.ZERO);
    String id = ec2.volume("pgdata", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      Volume found = backend.findByName(VolumeName.of("pgdata")).get(0);
      Attachment a = backend.attach(found.id(), HERE, false);
      assertEquals(id, a.volumeId().value());
      assertEquals(HERE, a.instanceId());
      assertTrue(a.device().matches("/dev/xvd[b-z][a-z]"), a.device());
      assertEquals(List.of(a.device()), ec2.attachedDevices(INSTANCE));
      assertEquals(Map.of("DescribeVolumes", 2, "AttachVolume", 1), ec2.counts());
      assertEquals(3, ec2.total());
    }
  }

  @Test
  void devicesTakenByTheLaunchMappingsAreSkippedWithoutAnEc2Call() {
    try (EbsFixture mapped = new EbsFixture(Map.of("root", "/dev/xvda", "ebs1", "sdba"))) {
      String id = mapped.ec2.volume("v", ZONE, Map.of());
      try (EbsBackend backend = mapped.backend(EbsFixture.options(EbsFixture.FAST),
          new EbsFixture.FirstChoice())) {
        Attachment a = backend.attach(VolumeId.of(id), HERE, false);
        assertEquals("/dev/xvdbb", a.device(), "xvdba is mapped (as sdba)");
        assertEquals(0, mapped.ec2.count("DescribeInstances"));
      }
    }
  }

  @Test
  void aDeviceNameEc2CallsTakenIsReplacedAfterOneDescribeInstances() {
    String first = ec2.volume("a", ZONE, Map.of());
    // Attached after launch, so IMDS's block-device-mapping does not show it.
    ec2.attachNow(first, INSTANCE, "/dev/xvdba");
    String second = ec2.volume("b", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend(EbsFixture.options(EbsFixture.FAST),
        new EbsFixture.FirstChoice())) {
      Attachment a = backend.attach(VolumeId.of(second), HERE, false);
      assertEquals("/dev/xvdbb", a.device());
      assertEquals(2, ec2.count("AttachVolume"));
      assertEquals(1, ec2.count("DescribeInstances"));
      // The refreshed mappings hold: the next attach needs no further refresh.
      String third = ec2.volume("c", ZONE, Map.of());
      assertEquals("/dev/xvdbc", backend.attach(VolumeId.of(third), HERE, false).device());
      assertEquals(3, ec2.count("AttachVolume"));
      assertEquals(1, ec2.count("DescribeInstances"));
    }
  }

  @Test
  void attachingAVolumeAttachedHereReturnsItsAttachment() {
    String id = ec2.volume("twice", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      Attachment first = backend.attach(VolumeId.of(id), HERE, false);
      Attachment second = backend.attach(VolumeId.of(id), HERE, false);
      assertEquals(first, second);
      assertEquals(1, ec2.attachedDevices(INSTANCE).size());
    }
  }

  @Test
  void attachRefusesAVolumeAttachedElsewhereUnlessForced() {
    String id = ec2.volume("moving", ZONE, Map.of());
    ec2.attachNow(id, OTHER_INSTANCE, "/dev/xvdf");
    try (EbsBackend backend = fixture.backend()) {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> backend.attach(VolumeId.of(id), HERE, false));
      assertEquals(OTHER_INSTANCE, e.holder());
      assertEquals(List.of("/dev/xvdf"), ec2.attachedDevices(OTHER_INSTANCE));

      ec2.resetCounts();
      Attachment a = backend.attach(VolumeId.of(id), HERE, true);
      assertEquals(HERE, a.instanceId());
      assertEquals(List.of(), ec2.attachedDevices(OTHER_INSTANCE));
      assertEquals(List.of(a.device()), ec2.attachedDevices(INSTANCE));
      assertEquals(1, ec2.count("DetachVolume"));
      assertTrue(ec2.calls().stream().anyMatch(c -> c.action().equals("DetachVolume")
          && "true".equals(c.params().get("Force"))
          && OTHER_INSTANCE.equals(c.params().get("InstanceId"))));
    }
  }

  @Test
  void detachNamesTheInstanceAndWaits() {
    ec2.delays(Duration.ZERO, Duration.ZERO, Duration.ofMillis(30), Duration.ZERO);
    String id = ec2.volume("d", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      backend.attach(VolumeId.of(id), HERE, false);
      ec2.resetCounts();
      backend.detach(VolumeId.of(id), HERE, false);
      assertEquals(Map.of("DetachVolume", 1, "DescribeVolumes", 1), ec2.counts());
      assertEquals(INSTANCE, ec2.calls().get(0).params().get("InstanceId"));
      assertEquals(Optional.of("available"), ec2.state(id));

      ec2.resetCounts();
      backend.detach(VolumeId.of(id), HERE, false);
      assertEquals(Optional.of("available"), ec2.state(id), "not attached: nothing changes");
      assertThrows(VolumeNotFoundException.class,
          () -> backend.detach(VolumeId.of("vol-0000000000000dead"), HERE, false));
    }
  }

  @Test
  void detachFromAnotherInstanceLeavesTheAttachmentAlone() {
    String id = ec2.volume("theirs", ZONE, Map.of());
    ec2.attachNow(id, OTHER_INSTANCE, "/dev/xvdf");
    try (EbsBackend backend = fixture.backend()) {
      backend.detach(VolumeId.of(id), HERE, false);
      assertEquals(List.of("/dev/xvdf"), ec2.attachedDevices(OTHER_INSTANCE));
    }
  }

  @Test
  void aWaitEndsAtTheStatusTimeoutNamingTheVolume() {
    ec2.delays(Duration.ZERO, Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO);
    String id = ec2.volume("stuck", ZONE, Map.of());
    EbsBackendOptions options = new EbsBackendOptions(Optional.empty(), Optional.empty(),
        Duration.ofMillis(700), EbsFixture.FAST);
    try (EbsBackend backend = fixture.backend(options, new Random(3))) {
      long start = System.nanoTime();
      OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
          () -> backend.attach(VolumeId.of(id), HERE, false));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(e.getMessage().contains(id), e.getMessage());
      assertEquals(Duration.ofMillis(700), e.waited());
      assertTrue(millis < 5_000, "bounded: " + millis + " ms");
    }
  }

  @Test
  void ec2ErrorsKeepTheirRequestId() {
    ec2.failNext("AttachVolume", 403, "UnauthorizedOperation",
        "You are not authorized to perform this operation.");
    String id = ec2.volume("locked", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      BackendException e = assertThrows(BackendException.class,
          () -> backend.attach(VolumeId.of(id), HERE, false));
      assertFalse(e.retryable());
      assertTrue(e.requestId().isPresent());
      assertTrue(e.getMessage().contains("ec2:AttachVolume"), e.getMessage());
    }
  }
}
