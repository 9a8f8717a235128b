package io.stowage.driver.ebs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.BackendException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.VolumeNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Volume;

/** The poller's batching, backoff, deadlines and shutdown, over an in-memory lookup. */
class StatePollerTest {
  private static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofMillis(20),
      Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(20));

  /** Volumes whose state the test sets; records every lookup's IDs. */
  private static final class Lookup implements StatePoller.BatchLookup<Volume> {
    final Map<String, String> states = new ConcurrentHashMap<>();
    final List<List<String>> lookups = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile RuntimeException failure;

    @Override
    public Map<String, Volume> describe(List<String> ids) {
      lookups.add(List.copyOf(ids));
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw failure;
      }
      Map<String, Volume> found = new ConcurrentHashMap<>();
      for (String id : ids) {
        String state = states.get(id);
        if (state != null) {
          found.put(id, Volume.builder().volumeId(id).state(state).build());
        }
      }
      return found;
    }
  }

  private static boolean available(Optional<Volume> v) {
    return v.isPresent() && v.get().stateAsString().equals("available");
  }

  @Test
  void aThousandAndOneWaitsArePolledIn500s() throws Exception {
    Lookup lookup = new Lookup();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      ids.add("vol-" + i);
      lookup.states.put("vol-" + i, "creating");
    }
    // One blocked caller per wait.
    ExecutorService pool = Executors.newFixedThreadPool(ids.size());
    // Every round takes every pending wait: the batch window is the interval.
    PollSchedule everyRound = new PollSchedule(Duration.ofMillis(20), Duration.ofMillis(50),
        Duration.ofMillis(50), Duration.ofMillis(50));
    try (StatePoller<Volume> poller = new StatePoller<>("volumes", StatePoller.VOLUME_BATCH, lookup, everyRound)) {
      List<Future<Optional<Volume>>> waits = new ArrayList<>();
      for (String id : ids) {
        waits.add(pool.submit(() -> poller.await(id, StatePollerTest::available,
            Duration.ofSeconds(20), id)));
      }
      while (poller.pending() < ids.size()) {
        Thread.sleep(5);
      }
      ids.forEach(id -> lookup.states.put(id, "available"));
      for (Future<Optional<Volume>> wait : waits) {
        assertEquals("available", wait.get(20, TimeUnit.SECONDS).orElseThrow().stateAsString());
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(lookup.lookups.stream().allMatch(l -> l.size() <= StatePoller.VOLUME_BATCH));
    // Once every wait is pending, a round polls them all: 500, 500 and 1 IDs.
    assertTrue(lookup.lookups.stream().anyMatch(l -> l.size() == StatePoller.VOLUME_BATCH));
  }

  @Test
  void aWaitBacksOffToTheLongestInterval() {
    Lookup lookup = new Lookup();
    lookup.states.put("vol-1", "creating");
    try (StatePoller<Volume> poller = new StatePoller<>("volumes", StatePoller.VOLUME_BATCH, lookup, SCHEDULE)) {
      assertThrows(OperationTimeoutException.class, () -> poller.await("vol-1",
          StatePollerTest::available, Duration.ofMillis(1200), "vol-1"));
    }
    // Polls at 20 ms, then +50, +100, +200, +200 ...: about 7 in 1.2 s, not 24 at 50 ms.
    assertTrue(lookup.lookups.size() >= 5 && lookup.lookups.size() <= 9,
        "polls: " + lookup.lookups.size());
    assertEquals(Duration.ofMillis(200), SCHEDULE.delayAfter(3));
    assertEquals(Duration.ofMillis(100), SCHEDULE.delayAfter(2));
  }

  @Test
  void aCheckCanEndTheWaitWithItsOwnFailure() {
    Lookup lookup = new Lookup();
    try (StatePoller<Volume> poller = new StatePoller<>("volumes", StatePoller.VOLUME_BATCH, lookup, SCHEDULE)) {
      assertThrows(VolumeNotFoundException.class, () -> poller.await("vol-gone", v -> {
        if (v.isEmpty()) {
          throw new VolumeNotFoundException("vol-gone");
        }
        return true;
      }, Duration.ofSeconds(5), "vol-gone"));
    }
  }

  @Test
  void passingLookupFailuresArePolledThroughAndOthersEndTheWait() throws Exception {
    Lookup lookup = new Lookup();
    lookup.states.put("vol-1", "available");
    lookup.failure = new BackendException("throttled", true, "req-1", null);
    lookup.failuresLeft.set(2);
    try (StatePoller<Volume> poller = new StatePoller<>("volumes", StatePoller.VOLUME_BATCH, lookup, SCHEDULE)) {
      assertTrue(poller.await("vol-1", StatePollerTest::available, Duration.ofSeconds(5),
          "vol-1").isPresent());
      assertEquals(3, lookup.lookups.size());

      lookup.failure = new BackendException("denied", false, "req-2", null);
      lookup.failuresLeft.set(1);
      BackendException e = assertThrows(BackendException.class, () -> poller.await("vol-1",
          StatePollerTest::available, Duration.ofSeconds(5), "vol-1"));
      assertEquals(Optional.of("req-2"), e.requestId());
    }
  }

  @Test
  void closeFailsPendingWaitsAndStopsTheThread() throws Exception {
    Lookup lookup = new Lookup();
    lookup.states.put("vol-1", "creating");
    StatePoller<Volume> poller = new StatePoller<>("volumes", StatePoller.VOLUME_BATCH, lookup, SCHEDULE);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<Volume>> wait = pool.submit(() -> poller.await("vol-1",
          StatePollerTest::available, Duration.ofSeconds(30), "vol-1"));
      while (poller.pending() == 0) {
        Thread.sleep(5);
      }
      poller.close();
      java.util.concurrent.ExecutionException e = assertThrows(
          java.util.concurrent.ExecutionException.class, () -> wait.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof BackendException, e.getCause().toString());
      assertFalse(poller.running(), "the poller thread has ended");
      assertThrows(BackendException.class, () -> poller.await("vol-1",
          StatePollerTest::available, Duration.ofSeconds(1), "vol-1"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aScheduleWithAShorterLongestIntervalIsRefused() {
    assertThrows(io.stowage.exception.ConfigurationException.class, () -> new PollSchedule(
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO));
  }
}
