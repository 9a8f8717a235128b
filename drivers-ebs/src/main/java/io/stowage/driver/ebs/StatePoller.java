package io.stowage.driver.ebs;

import io.stowage.exception.BackendException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
/**
 * Waits on the states of EC2 resources of one kind (volumes, snapshots, volume modifications)
 * for many callers with few EC2 calls: one thread polls every pending wait in rounds, each round
 * one describe call per batch of IDs (500 volumes, 1000 snapshots), as the Kubernetes EBS CSI
 * driver's batcher does. Rounds are at least {@link PollSchedule#interval()} apart, so with up
 * to a batch of concurrent waits there is at most one call per interval; each wait backs off on
 * its own schedule and ends at its deadline.
 *
 * <p>Thread-safe. Time is the JVM's monotonic clock: the waits block on a condition. The thread
 * starts with the poller and ends on {@link #close()}, which fails the waits still pending.
 *
 * @param <T> the SDK's type of the resource
 */
final class StatePoller<T> implements AutoCloseable {
  /** The most volume IDs in one {@code DescribeVolumes} or modifications call. */
  static final int VOLUME_BATCH = 500;
  /** The most snapshot IDs in one {@code DescribeSnapshots} call. */
  static final int SNAPSHOT_BATCH = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(StatePoller.class);

  /**
   * One batched lookup.
   *
   * @param <T> the SDK's type of the resource
   */
  @FunctionalInterface
  interface BatchLookup<T> {
    /**
     * Describes resources.
     *
     * @param ids at most a batch of IDs
     * @return the resources that exist, by ID; a missing one is absent
     * @throws StowageException when the lookup fails
     */
    Map<String, T> describe(List<String> ids);
  }

  /**
   * What a wait waits for.
   *
   * @param <T> the SDK's type of the resource
   */
  @FunctionalInterface
  interface Check<T> {
    /**
     * Decides whether the wait is over.
     *
     * @param resource the resource as the last poll saw it, empty when it does not exist
     * @return true when the wait is over
     * @throws StowageException to end the wait with that failure
     */
    boolean done(Optional<T> resource);
  }

  private final String kind;
  private final int maxBatch;
  private final BatchLookup<T> lookup;
  private final PollSchedule schedule;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Waiter<T>> waiters = new ArrayList<>();
  private final Thread thread;
  private boolean closed;
  private long lastRound;

  /**
   * Creates the poller and starts its thread.
   *
   * @param kind what it polls, plural ({@code volumes}), for logs and its thread's name
   * @param maxBatch the most IDs in one lookup
   * @param lookup the batched lookup, such as one {@code DescribeVolumes}
   * @param schedule when to poll
   */
  StatePoller(String kind, int maxBatch, BatchLookup<T> lookup, PollSchedule schedule) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.maxBatch = maxBatch;
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.lastRound = System.nanoTime() - schedule.interval().toNanos();
    this.thread = new Thread(this::run, "stowage-ebs-poller-" + kind);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Blocks until a resource's state satisfies a check, the check fails, or the timeout passes.
   *
   * @param id the resource
   * @param check what to wait for
   * @param timeout the deadline, from now
   * @param what what is awaited, for the timeout's message
   * @return the resource as the poll that ended the wait saw it
   * @throws OperationTimeoutException when the deadline passes (or the thread is interrupted)
   * @throws StowageException the check's or the lookup's failure
   */
  Optional<T> await(String id, Check<T> check, Duration timeout, String what) {
    long now = System.nanoTime();
    Waiter<T> waiter = new Waiter<>(id, check, what, timeout, now + timeout.toNanos(),
        now + Math.min(schedule.firstPoll().toNanos(), timeout.toNanos()));
    lock.lock();
    try {
      if (closed) {
        throw closedFailure(what);
      }
      waiters.add(waiter);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      return waiter.result.get();
    } catch (InterruptedException e) {
      remove(waiter);
      Thread.currentThread().interrupt();
      throw new OperationTimeoutException(what + " (interrupted)",
          Duration.ofNanos(System.nanoTime() - now));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StowageException failure) {
        throw failure;
      }
      throw new BackendException("waiting for " + what + " failed", false, null, e.getCause());
    }
  }

  /**
   * Returns how many waits are pending.
   *
   * @return the number of waits
   */
  int pending() {
    lock.lock();
    try {
      return waiters.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether the polling thread is alive.
   *
   * @return false once {@link #close()} has stopped it
   */
  boolean running() {
    return thread.isAlive();
  }

  /** Stops the thread and fails the pending waits. Idempotent. */
  @Override
  public void close() {
    List<Waiter<T>> pending;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      pending = new ArrayList<>(waiters);
      waiters.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    pending.forEach(w -> w.result.completeExceptionally(closedFailure(w.what)));
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      List<Waiter<T>> batch;
      long roundStart;
      lock.lock();
      try {
        while (true) {
          if (closed) {
            return;
          }
          if (waiters.isEmpty()) {
            changed.await();
            continue;
          }
          long now = System.nanoTime();
          long roundAt = Math.max(earliestDue(), lastRound + schedule.interval().toNanos());
          if (roundAt - now > 0) {
            changed.awaitNanos(roundAt - now);
            continue;
          }
          long horizon = now + schedule.batchWindow().toNanos();
          batch = waiters.stream().filter(w -> w.due - horizon <= 0).toList();
          roundStart = now;
          lastRound = now;
          break;
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      poll(batch, roundStart);
    }
  }

  private long earliestDue() {
    long earliest = waiters.get(0).due;
    for (Waiter<T> w : waiters) {
      if (w.due - earliest < 0) {
        earliest = w.due;
      }
    }
    return earliest;
  }

  private void poll(List<Waiter<T>> batch, long roundStart) {
    Map<String, List<Waiter<T>>> byId = new LinkedHashMap<>();
    batch.forEach(w -> byId.computeIfAbsent(w.id, k -> new ArrayList<>()).add(w));
    List<String> ids = new ArrayList<>(byId.keySet());
    for (int from = 0; from < ids.size(); from += maxBatch) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + maxBatch));
      Map<String, T> found;
      try {
        found = lookup.describe(chunk);
      } catch (RuntimeException e) {
        boolean passing = e instanceof OperationTimeoutException
            || (e instanceof BackendException b && b.retryable());
        LOG.warn("polling {} {} failed{}: {}", chunk.size(), kind,
            passing ? ", polling again later" : "", e.getMessage());
        for (String id : chunk) {
          byId.get(id).forEach(w -> {
            if (passing) {
              reschedule(w, roundStart);
            } else {
              finish(w, null, e instanceof StowageException s ? s
                  : new BackendException("polling " + id + " failed", false, null, e));
            }
          });
        }
        continue;
      }
      for (String id : chunk) {
        Optional<T> resource = Optional.ofNullable(found.get(id));
        for (Waiter<T> w : byId.get(id)) {
          try {
            if (w.check.done(resource)) {
              finish(w, resource, null);
            } else {
              reschedule(w, roundStart);
            }
          } catch (StowageException e) {
            finish(w, null, e);
          }
        }
      }
    }
  }

  private void reschedule(Waiter<T> w, long roundStart) {
    lock.lock();
    try {
      w.polls++;
      if (System.nanoTime() - w.deadline >= 0) {
        waiters.remove(w);
        w.result.completeExceptionally(new OperationTimeoutException(w.what, w.timeout));
        return;
      }
      long next = roundStart + schedule.delayAfter(w.polls).toNanos();
      w.due = next - w.deadline > 0 ? w.deadline : next;
    } finally {
      lock.unlock();
    }
  }

  private void finish(Waiter<T> w, Optional<T> resource, StowageException failure) {
    remove(w);
    if (failure == null) {
      w.result.complete(resource);
    } else {
      w.result.completeExceptionally(failure);
    }
  }

  private void remove(Waiter<T> w) {
    lock.lock();
    try {
      waiters.remove(w);
    } finally {
      lock.unlock();
    }
  }

  private static BackendException closedFailure(String what) {
    return new BackendException("the EBS back end was closed while waiting for " + what, false,
        null, null);
  }

  /** One pending wait; its mutable fields are guarded by the poller's lock. */
  private static final class Waiter<T> {
    final String id;
    final Check<T> check;
    final String what;
    final Duration timeout;
    final long deadline;
    final CompletableFuture<Optional<T>> result = new CompletableFuture<>();
    long due;
    int polls;

    Waiter(String id, Check<T> check, String what, Duration timeout, long deadline,
        long due) {
      this.id = id;
      this.check = check;
      this.what = what;
      this.timeout = timeout;
      this.deadline = deadline;
      this.due = due;
    }
  }
}
