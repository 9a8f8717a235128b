package io.stowage.driver.fake;

import io.stowage.exception.InvalidArgumentException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Injects faults into the fake driver's and the simulated host's calls, for reliability tests:
 * fail the n-th call of an operation, add latency to every call, throttle every n-th back-end
 * call with a retryable error, and let attachments get stuck (the back end records them, but
 * the device never appears).
 *
 * <p>Counting: {@link #failNth} counts the operation's calls from the moment it is set; the
 * n-th call fails once, later calls succeed. {@link #throttleEvery} counts every back-end call
 * (all operations together) from the moment it is set. Thread-safe.
 */
public final class FaultInjector {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Operation, Integer> failAt = new EnumMap<>(Operation.class);
  private final Map<Operation, Integer> sinceArmed = new EnumMap<>(Operation.class);
  private final Map<Operation, Long> calls = new EnumMap<>(Operation.class);
  private Duration latency = Duration.ZERO;
  private int throttleEvery;
  private long backendCallsSinceThrottle;
  private boolean stuckAttach;

  /** Creates an injector that injects nothing. */
  public FaultInjector() {}

  /**
   * Parses a {@code failOn} setting: comma-separated {@code operation:n} pairs, such as
   * {@code attach:3,create:1}, meaning fail the n-th call of that operation.
   *
   * @param spec the setting; blank means none
   * @return the failures by operation
   * @throws InvalidArgumentException naming the malformed pair
   */
  public static Map<Operation, Integer> parseFailOn(String spec) {
    Map<Operation, Integer> result = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return result;
    }
    for (String pair : spec.split(",", -1)) {
      String item = pair.strip();
      int colon = item.indexOf(':');
      if (colon <= 0) {
        throw new InvalidArgumentException("failOn", item,
            "must be operation:n, such as attach:3");
      }
      Operation op;
      try {
        op = Operation.of(item.substring(0, colon));
      } catch (InvalidArgumentException e) {
        throw new InvalidArgumentException("failOn", item, e.getMessage());
      }
      int n;
      try {
        n = Integer.parseInt(item.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException("failOn", item, "n must be a whole number");
      }
      if (n < 1) {
        throw new InvalidArgumentException("failOn", item, "n must be at least 1");
      }
      if (result.putIfAbsent(op, n) != null) {
        throw new InvalidArgumentException("failOn", item,
            "names " + op.name().toLowerCase(Locale.ROOT) + " more than once");
      }
    }
    return result;
  }

  /**
   * Makes the n-th call of an operation, counted from now, fail once.
   *
   * @param operation the operation
   * @param n 1 for the next call
   * @return this injector
   */
  public FaultInjector failNth(Operation operation, int n) {
    Objects.requireNonNull(operation, "operation");
    if (n < 1) {
      throw new InvalidArgumentException("n", Integer.toString(n), "must be at least 1");
    }
    lock.lock();
    try {
      failAt.put(operation, n);
      sinceArmed.put(operation, 0);
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Adds a delay to every call.
   *
   * @param latency the delay; zero for none
   * @return this injector
   */
  public FaultInjector latency(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new InvalidArgumentException("latency", latency.toString(), "must not be negative");
    }
    lock.lock();
    try {
      this.latency = latency;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Makes every n-th back-end call fail with a retryable
   * {@link io.stowage.exception.BackendException}, as a throttling back end would.
   *
   * @param n the period; 0 turns throttling off
   * @return this injector
   */
  public FaultInjector throttleEvery(int n) {
    if (n < 0) {
      throw new InvalidArgumentException("throttleEvery", Integer.toString(n),
          "must not be negative");
    }
    lock.lock();
    try {
      throttleEvery = n;
      backendCallsSinceThrottle = 0;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Makes attachments get stuck: the back end records them as attaching, and the device
   * locator never finds their device, so waiting for the device times out.
   *
   * @param stuck whether attachments get stuck
   * @return this injector
   */
  public FaultInjector stuckAttach(boolean stuck) {
    lock.lock();
    try {
      stuckAttach = stuck;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Returns whether attachments get stuck.
   *
   * @return the {@link #stuckAttach(boolean)} setting
   */
  public boolean stuckAttach() {
    lock.lock();
    try {
      return stuckAttach;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every injected fault; call counts are kept.
   *
   * @return this injector
   */
  public FaultInjector reset() {
    lock.lock();
    try {
      failAt.clear();
      sinceArmed.clear();
      latency = Duration.ZERO;
      throttleEvery = 0;
      backendCallsSinceThrottle = 0;
      stuckAttach = false;
    } finally {
      lock.unlock();
    }
    return this;
  }

  /**
   * Returns how many calls of an operation were made, failed ones included.
   *
   * @param operation the operation
   * @return the number of calls since the injector was created
   */
  public long calls(Operation operation) {
    lock.lock();
    try {
      return calls.getOrDefault(operation, 0L);
    } finally {
      lock.unlock();
    }
  }

  /** The verdict on one call. */
  enum Fault { NONE, FAIL, THROTTLE }

  /**
   * Counts a call, sleeps the injected latency, and says whether the call is to fail. The
   * caller throws the exception that suits it.
   */
  Fault before(Operation operation) {
    Duration sleep;
    Fault fault = Fault.NONE;
    lock.lock();
    try {
      calls.merge(operation, 1L, Long::sum);
      sleep = latency;
      Integer n = failAt.get(operation);
      if (n != null) {
        int count = sinceArmed.merge(operation, 1, Integer::sum);
        if (count == n) {
          failAt.remove(operation);
          sinceArmed.remove(operation);
          fault = Fault.FAIL;
        }
      }
      if (operation.backendCall() && throttleEvery > 0) {
        backendCallsSinceThrottle++;
        if (fault == Fault.NONE && backendCallsSinceThrottle % throttleEvery == 0) {
          fault = Fault.THROTTLE;
        }
      }
    } finally {
      lock.unlock();
    }
    if (!sleep.isZero()) {
      try {
        Thread.sleep(sleep.toMillis(), sleep.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return fault;
  }

  /** Applies settings from the configuration. */
  void apply(Map<Operation, Integer> failOn, Duration latency, int throttleEvery,
      boolean stuckAttach) {
    failOn.forEach(this::failNth);
    latency(latency);
    throttleEvery(throttleEvery);
    stuckAttach(stuckAttach);
  }
}
