package io.stowage.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.OperationTimeoutException;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class StateStoreLockTest {
  private static final VolumeName X = VolumeName.of("x");
  private static final VolumeName Y = VolumeName.of("y");
  private static final Duration SHORT = Duration.ofMillis(50);
  private static final Duration LONG = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void differentVolumesAreHeldAtTheSameTime() throws Exception {
    try (StateStore store = StateStore.open(dir)) {
      CountDownLatch bothHeld = new CountDownLatch(2);
      Callable<Boolean> holdX = () -> holdUntil(store, X, bothHeld);
      Callable<Boolean> holdY = () -> holdUntil(store, Y, bothHeld);
      Future<Boolean> x = pool.submit(holdX);
      Future<Boolean> y = pool.submit(holdY);
      assertTrue(x.get(), "x was held while y was");
      assertTrue(y.get(), "y was held while x was");
    }
  }

  /** Takes the lock, counts down, and waits until the other thread has its lock too. */
  private static boolean holdUntil(StateStore store, VolumeName name, CountDownLatch bothHeld)
      throws InterruptedException {
    VolumeLock lock = store.lock("fake", name, LONG);
    try {
      bothHeld.countDown();
      return bothHeld.await(LONG.toSeconds(), TimeUnit.SECONDS);
    } finally {
      lock.close();
    }
  }

  @Test
  void theSameVolumeIsExclusive() throws Exception {
    try (StateStore store = StateStore.open(dir)) {
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder = pool.submit(() -> {
        VolumeLock lock = store.lock("fake", X, LONG);
        try {
          held.countDown();
          return release.await(LONG.toSeconds(), TimeUnit.SECONDS);
        } finally {
          lock.close();
        }
      });
      assertTrue(held.await(LONG.toSeconds(), TimeUnit.SECONDS));

      OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
          () -> store.lock("fake", X, SHORT));
      assertEquals(SHORT, e.waited());
      assertTrue(e.getMessage().contains("fake/x"), e.getMessage());
      assertEquals(Optional.empty(), store.tryLock("fake", X));
      VolumeLock y = store.lock("fake", Y, SHORT);
      try {
        assertEquals(VolumeKey.of("fake", Y), y.key());
      } finally {
        y.close();
      }
      VolumeLock otherDriver = store.lock("ebs", X, SHORT);
      otherDriver.close();

      Future<VolumeKey> waiter = pool.submit(() -> {
        VolumeLock lock = store.lock("fake", X, LONG);
        try {
          return lock.key();
        } finally {
          lock.close();
        }
      });
      release.countDown();
      holder.get();
      assertEquals(VolumeKey.of("fake", X), waiter.get());
    }
  }

  @Test
  void twoStoresOfOneProcessExcludeEachOther() throws Exception {
    try (StateStore first = StateStore.open(dir); StateStore second = StateStore.open(dir)) {
      VolumeLock lock = first.lock("fake", X, SHORT);
      try {
        assertThrows(OperationTimeoutException.class, () -> second.lock("fake", X, SHORT));
      } finally {
        lock.close();
      }
      VolumeLock again = second.lock("fake", X, SHORT);
      again.close();
    }
  }

  @Test
  void readModifyWriteUnderTheLockLosesNoUpdate() throws Exception {
    int threads = 4;
    int increments = 25;
    try (StateStore first = StateStore.open(dir); StateStore second = StateStore.open(dir)) {
      first.put(VolumeRecord.of("fake", X, VolumeId.of("0")));
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        StateStore store = t % 2 == 0 ? first : second;
        workers.add(pool.submit(() -> {
          for (int i = 0; i < increments; i++) {
            VolumeLock lock = store.lock("fake", X, LONG);
            try {
              VolumeRecord record = store.get("fake", X).orElseThrow();
              int next = Integer.parseInt(record.volumeId().value()) + 1;
              store.put(record.withVolumeId(VolumeId.of(Integer.toString(next))));
            } finally {
              lock.close();
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      assertEquals(VolumeId.of(Integer.toString(threads * increments)),
          first.get("fake", X).orElseThrow().volumeId());
    }
  }

  @Test
  void theLockIsReentrantAndReleasedByTheLastClose() throws Exception {
    try (StateStore store = StateStore.open(dir)) {
      VolumeLock outer = store.lock("fake", X, SHORT);
      VolumeLock inner = store.lock("fake", X, Duration.ZERO);
      store.put(VolumeRecord.of("fake", X, VolumeId.of("v")));
      inner.close();
      inner.close();
      assertFalse(pool.submit(() -> store.tryLock("fake", X).isPresent()).get(),
          "still held after the inner close");
      outer.close();
      assertTrue(pool.submit(() -> {
        Optional<VolumeLock> lock = store.tryLock("fake", X);
        lock.ifPresent(VolumeLock::close);
        return lock.isPresent();
      }).get());
    }
  }

  @Test
  void onlyTheOwningThreadMayClose() throws Exception {
    try (StateStore store = StateStore.open(dir)) {
      VolumeLock lock = store.lock("fake", X, SHORT);
      try {
        Future<?> stranger = pool.submit(() -> {
          lock.close();
          return null;
        });
        java.util.concurrent.ExecutionException e =
            assertThrows(java.util.concurrent.ExecutionException.class, stranger::get);
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertFalse(pool.submit(() -> store.tryLock("fake", X).isPresent()).get(),
            "still held after a stranger's close");
      } finally {
        lock.close();
      }
    }
  }

  @Test
  void putWaitsForAVolumeLockedByAnotherThread() throws Exception {
    try (StateStore store = StateStore.open(dir)) {
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder = pool.submit(() -> {
        VolumeLock lock = store.lock("fake", X, LONG);
        try {
          held.countDown();
          return release.await(LONG.toSeconds(), TimeUnit.SECONDS);
        } finally {
          lock.close();
        }
      });
      assertTrue(held.await(LONG.toSeconds(), TimeUnit.SECONDS));
      Future<?> writer = pool.submit(() -> {
        store.put(VolumeRecord.of("fake", X, VolumeId.of("written")));
        return null;
      });
      assertEquals(Optional.empty(), store.get("fake", X),
          "the write cannot happen while another thread holds the lock");
      release.countDown();
      holder.get();
      writer.get();
      assertEquals(VolumeId.of("written"), store.get("fake", X).orElseThrow().volumeId());
    }
  }

  @Test
  void anInterruptedWaitFailsAndKeepsTheInterrupt() throws Exception {
    try (StateStore store = StateStore.open(dir)) {
      VolumeLock lock = store.lock("fake", X, SHORT);
      try {
        Future<Boolean> waiter = pool.submit(() -> {
          Thread.currentThread().interrupt();
          assertThrows(StateStoreException.class, () -> store.lock("fake", X, LONG));
          return Thread.currentThread().isInterrupted();
        });
        assertTrue(waiter.get());
      } finally {
        lock.close();
      }
    }
  }
}
