package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
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
 * Concurrent waits share the poller's batched {@code DescribeVolumes} calls: 50 concurrent
 * attaches of different volumes cost at most 2 polls per polling interval, not 50.
 */
class BatchedPollingTest {
  private static final int ATTACHES = 50;
  private static final Duration INTERVAL = Duration.ofMillis(250);

  @RegisterExtension
  final EbsFixture fixture = new EbsFixture();

  @Test
  void fiftyConcurrentAttachesShareThePolls() throws Exception {
    fixture.ec2.delays(Duration.ZERO, Duration.ofMillis(1500), Duration.ZERO, Duration.ZERO);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ATTACHES; i++) {
      ids.add(fixture.ec2.volume("v" + i, EbsFixture.ZONE, Map.of()));
    }
    PollSchedule schedule = new PollSchedule(Duration.ofMillis(200), INTERVAL, INTERVAL,
        Duration.ofMillis(100));
    EbsBackendOptions options = new EbsBackendOptions(Optional.empty(), Optional.empty(),
        Duration.ofSeconds(30), schedule);
    ExecutorService pool = Executors.newFixedThreadPool(ATTACHES);
    try (EbsBackend backend = fixture.backend(options, new Random(7))) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Attachment>> attaches = new ArrayList<>();
      for (String id : ids) {
        attaches.add(pool.submit(() -> {
          go.await();
          return backend.attach(VolumeId.of(id), InstanceId.of(EbsFixture.INSTANCE), false);
        }));
      }
      go.countDown();
      for (Future<Attachment> attach : attaches) {
        attach.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(ATTACHES, fixture.ec2.attachedDevices(EbsFixture.INSTANCE).size());
    assertEquals(ATTACHES, fixture.ec2.count("AttachVolume"));

    List<Ec2Double.Call> polls = fixture.ec2.calls().stream()
        .filter(c -> c.action().equals("DescribeVolumes")).toList();
    int mostInOneInterval = 0;
    for (Ec2Double.Call first : polls) {
      long inWindow = polls.stream().filter(c -> c.nanoTime() - first.nanoTime() >= 0
          && c.nanoTime() - first.nanoTime() < INTERVAL.toNanos()).count();
      mostInOneInterval = Math.max(mostInOneInterval, (int) inWindow);
    }
    int largestBatch = polls.stream().mapToInt(c -> c.volumeIds().size()).max().orElse(0);
    long spanMillis = (polls.get(polls.size() - 1).nanoTime() - polls.get(0).nanoTime())
        / 1_000_000;
    System.out.printf("%d concurrent attaches: %d DescribeVolumes polls over %d ms"
        + " (interval %d ms), at most %d in any interval, largest batch %d IDs%n", ATTACHES,
        polls.size(), spanMillis, INTERVAL.toMillis(), mostInOneInterval, largestBatch);
    assertTrue(mostInOneInterval <= 2, "polls in one interval: " + mostInOneInterval);
    assertTrue(polls.size() <= 2 * (spanMillis / INTERVAL.toMillis() + 1),
        polls.size() + " polls in " + spanMillis + " ms");
    assertTrue(largestBatch > 1, "polls carry many volume IDs: " + largestBatch);
  }
}
