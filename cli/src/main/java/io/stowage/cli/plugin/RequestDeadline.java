package io.stowage.cli.plugin;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The time one request may take to arrive, head and body, from its first byte: a client that
 * trickles its header lines (each byte resets the idle timeout) is cut off when it runs out.
 * Armed when a request's first byte is parsed, disarmed when its last byte is; on expiry the
 * connection is closed. Thread-safe: the parser, a handler reading the body and the scheduler
 * may call it from different threads.
 */
final class RequestDeadline {
  private final Scheduler scheduler;
  private final Duration limit;
  private final Runnable onExpiry;
  private final AtomicReference<Armed> armed = new AtomicReference<>();

  /** One run of the clock; its task is set just after it is scheduled. */
  private static final class Armed {
    private volatile Scheduler.Task task;
  }

  /**
   * @param scheduler schedules the expiry
   * @param limit how long a request may take to arrive
   * @param onExpiry what to do when it has not arrived in time: close the connection
   */
  RequestDeadline(Scheduler scheduler, Duration limit, Runnable onExpiry) {
    this.scheduler = scheduler;
    this.limit = limit;
    this.onExpiry = onExpiry;
  }

  /** Starts the clock, unless it already runs for this request. */
  void arm() {
    Armed run = new Armed();
    if (armed.compareAndSet(null, run)) {
      run.task = scheduler.schedule(() -> {
        if (armed.compareAndSet(run, null)) {
          onExpiry.run();
        }
      }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the clock: the request has arrived, or the connection is gone. */
  void disarm() {
    Armed run = armed.getAndSet(null);
    Scheduler.Task task = run == null ? null : run.task;
    if (task != null) {
      task.cancel();
    }
  }
}
