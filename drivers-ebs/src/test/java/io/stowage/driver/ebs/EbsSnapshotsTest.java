package io.stowage.driver.ebs;

import static io.stowage.driver.ebs.EbsFixture.OTHER_REGION;
import static io.stowage.driver.ebs.EbsFixture.REGION;
import static io.stowage.driver.ebs.EbsFixture.ZONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.InvalidStateException;
import io.stowage.model.ByteSize;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotName;
import io.stowage.model.SnapshotRequest;
import io.stowage.model.SnapshotStatus;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EBS snapshots against the EC2 double through the real SDK client: tags set in the call,
 * pending to completed through the shared poller, the namespace, copies between regions, and
 * the refusals that change nothing.
 */
class EbsSnapshotsTest {
  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();
  private final Ec2Double ec2 = fixture.ec2;

  @Test
  void aSnapshotIsTaggedInItsCallAndCompletesThroughThePoller() {
    ec2.snapshotDelay(Duration.ofMillis(350));
    String volume = ec2.volume("pgdata", ZONE, Map.of());
    EbsBackendOptions options = new EbsBackendOptions(Optional.of("team-a"), Optional.empty(),
        Duration.ofSeconds(10), EbsFixture.FAST);
    try (EbsBackend backend = fixture.backend(options, new Random(1))) {
      EbsSnapshots snapshots = backend.snapshots();
      Snapshot taken = snapshots.create(VolumeId.of(volume), SnapshotRequest.named("nightly")
          .withTags(Map.of("team", "db")));
      assertEquals(Map.of("CreateSnapshot", 1), ec2.counts(), "one call takes the snapshot");
      assertEquals(SnapshotStatus.Phase.PENDING, taken.status().phase());
      assertEquals(Map.of("Name", "nightly", VolumeSpec.NAMESPACE_TAG, "team-a", "team", "db"),
          ec2.snapshotTags(taken.id().value()).orElseThrow(), "tags set in CreateSnapshot");
      assertEquals(Map.of("team", "db"), taken.tags());
      assertEquals(Optional.of(REGION), taken.region());
      assertEquals(ByteSize.ofGiB(8), taken.size());

      Snapshot done = snapshots.await(taken.id(), Duration.ofSeconds(10));
      assertTrue(done.completed());
      int polls = ec2.count("DescribeSnapshots");
      assertTrue(polls >= 2 && polls <= 4, "polls at 100, 200, 400 ms: " + polls);

      ec2.resetCounts();
      assertEquals(List.of(taken.id()), snapshots.findByName(SnapshotName.of("nightly"))
          .stream().map(Snapshot::id).toList());
      assertEquals(Map.of("DescribeSnapshots", 1), ec2.counts());
    }
  }

  @Test
  void theNamespaceTagFiltersEveryLookup() {
    String volume = ec2.volume("pgdata", ZONE, Map.of());
    try (EbsBackend theirs = fixture.backend(new EbsBackendOptions(Optional.of("team-b"),
        Optional.empty(), Duration.ofSeconds(10), EbsFixture.FAST), new Random(2));
        EbsBackend ours = fixture.backend(new EbsBackendOptions(Optional.of("team-a"),
            Optional.empty(), Duration.ofSeconds(10), EbsFixture.FAST), new Random(3))) {
      Snapshot other = theirs.snapshots().create(VolumeId.of(volume),
          SnapshotRequest.named("shared-name"));
      Snapshot mine = ours.snapshots().create(VolumeId.of(volume),
          SnapshotRequest.named("shared-name"));
      assertEquals(List.of(mine.id()), ours.snapshots().list().stream().map(Snapshot::id)
          .toList());
      assertEquals(List.of(mine.id()), ours.snapshots().findByName(
          SnapshotName.of("shared-name")).stream().map(Snapshot::id).toList());
      assertEquals(Optional.empty(), ours.snapshots().find(other.id()));
      assertThrows(io.stowage.exception.SnapshotNotFoundException.class,
          () -> ours.create(VolumeName.of("restored"), VolumeOptions.parse(Map.of(
              "snapshotid", other.id().value()))));
      assertEquals(0, ec2.count("CreateVolume"));
    }
  }

  @Test
  void aSnapshotOfAVolumeBeingCreatedIsRefusedAndTakesNothing() {
    String creating = ec2.creatingVolume("fresh", ZONE);
    try (EbsBackend backend = fixture.backend()) {
      InvalidStateException e = assertThrows(InvalidStateException.class,
          () -> backend.snapshots().create(VolumeId.of(creating),
              SnapshotRequest.named("too-early")));
      assertEquals(creating, e.subject());
      assertEquals("creating", e.state());
      assertTrue(e.retryable());
      assertEquals(List.of(), ec2.snapshotIds(REGION));
      assertEquals(Map.of("CreateSnapshot", 1, "DescribeVolumes", 1), ec2.counts(),
          "the refusal, then one lookup of the volume's state");
    }
  }

  @Test
  void restoresOfPendingOrTooLargeSnapshotsAreRefusedBeforeCreateVolume() {
    ec2.snapshotDelay(Duration.ofHours(1));
    String volume = ec2.volume("pgdata", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      Snapshot pending = backend.snapshots().create(VolumeId.of(volume),
          SnapshotRequest.named("pending"));
      InvalidStateException notYet = assertThrows(InvalidStateException.class,
          () -> backend.create(VolumeName.of("early"), VolumeOptions.parse(Map.of(
              "snapshotid", pending.id().value()))));
      assertEquals("pending", notYet.state());
      assertThrows(InvalidStateException.class, () -> backend.snapshots().copy(pending.id(),
          OTHER_REGION, SnapshotRequest.named("copy")));
      assertEquals(0, ec2.count("CreateVolume"));
      assertEquals(0, ec2.count("CopySnapshot"));
    }
    ec2.snapshotDelay(Duration.ZERO);
    try (EbsBackend backend = fixture.backend()) {
      Snapshot done = backend.snapshots().create(VolumeId.of(volume),
          SnapshotRequest.named("done"));
      ec2.resetCounts();
      InvalidArgumentException small = assertThrows(InvalidArgumentException.class,
          () -> backend.create(VolumeName.of("small"), VolumeOptions.parse(Map.of(
              "snapshotid", done.id().value(), "size", "4"))));
      assertEquals("size", small.field());
      assertEquals(Map.of("DescribeSnapshots", 1), ec2.counts(), "no CreateVolume");

      ec2.resetCounts();
      assertEquals(ByteSize.ofGiB(8), backend.create(VolumeName.of("restored"),
          VolumeOptions.parse(Map.of("snapshotname", "done"))).size());
      assertEquals(Map.of("DescribeSnapshots", 1, "DescribeVolumes", 2, "CreateVolume", 1),
          ec2.counts());
    }
  }

  @Test
  void copiesGoToRegionsOfTheAccountOnly() {
    String volume = ec2.volume("pgdata", ZONE, Map.of());
    try (EbsBackend backend = fixture.backend()) {
      EbsSnapshots snapshots = backend.snapshots();
      Snapshot snapshot = snapshots.create(VolumeId.of(volume), SnapshotRequest.named("s"));
      ec2.resetCounts();
      InvalidArgumentException nowhere = assertThrows(InvalidArgumentException.class,
          () -> snapshots.copy(snapshot.id(), "eu-west-9", SnapshotRequest.named("c")));
      assertEquals("region", nowhere.field());
      assertTrue(nowhere.getMessage().contains(OTHER_REGION), nowhere.getMessage());
      assertEquals(Map.of("DescribeRegions", 1), ec2.counts(), "nothing copied");
      assertThrows(InvalidArgumentException.class, () -> snapshots.copy(snapshot.id(),
          OTHER_REGION, new SnapshotRequest(SnapshotName.of("c"), Map.of("Name", "x"))),
          "a tag the driver keeps for itself");

      ec2.resetCounts();
      Snapshot copy = snapshots.copy(snapshot.id(), OTHER_REGION, SnapshotRequest.named("c"));
      assertEquals(Map.of("DescribeSnapshots", 1, "CopySnapshot", 1), ec2.counts(),
          "the regions were asked once");
      assertEquals(List.of(copy.id().value()), ec2.snapshotIds(OTHER_REGION));
      assertEquals(Optional.of(OTHER_REGION), copy.region());
      assertEquals(Map.of("Name", "c"), ec2.snapshotTags(copy.id().value()).orElseThrow());
      assertTrue(snapshots.inRegion(OTHER_REGION).await(copy.id(), Duration.ofSeconds(5))
          .completed());
    }
  }

  @Test
  void concurrentWaitsShareTheDescribeSnapshotsPolls() throws Exception {
    ec2.snapshotDelay(Duration.ofMillis(1500));
    List<String> volumes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      volumes.add(ec2.volume("v" + i, ZONE, Map.of()));
    }
    Duration interval = Duration.ofMillis(250);
    EbsBackendOptions options = new EbsBackendOptions(Optional.empty(), Optional.empty(),
        Duration.ofSeconds(30), new PollSchedule(Duration.ofMillis(200), interval, interval,
            Duration.ofMillis(100)));
    ExecutorService pool = Executors.newFixedThreadPool(volumes.size());
    try (EbsBackend backend = fixture.backend(options, new Random(7))) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Snapshot>> waits = new ArrayList<>();
      for (String volume : volumes) {
        waits.add(pool.submit(() -> {
          go.await();
          Snapshot s = backend.snapshots().create(VolumeId.of(volume),
              SnapshotRequest.named("s-" + volume));
          return backend.snapshots().await(s.id(), Duration.ofSeconds(30));
        }));
      }
      go.countDown();
      for (Future<Snapshot> wait : waits) {
        assertTrue(wait.get(60, TimeUnit.SECONDS).completed());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20, ec2.count("CreateSnapshot"));
    List<Ec2Double.Call> polls = ec2.calls().stream()
        .filter(c -> c.action().equals("DescribeSnapshots")).toList();
    int largest = polls.stream().mapToInt(c -> (int) c.params().keySet().stream()
        .filter(k -> k.startsWith("SnapshotId.")).count()).max().orElse(0);
    System.out.printf("20 concurrent snapshot waits: %d DescribeSnapshots polls, largest batch"
        + " %d IDs%n", polls.size(), largest);
    assertTrue(polls.size() <= 12, "polls: " + polls.size());
    assertTrue(largest > 1, "polls carry many snapshot IDs: " + largest);
  }
}
