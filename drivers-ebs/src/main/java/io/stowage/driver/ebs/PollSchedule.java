package io.stowage.driver.ebs;

import io.stowage.exception.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When the state poller asks EC2. A wait is first polled {@code firstPoll} after it starts, then
 * after {@code interval}, doubling up to {@code maxInterval}, until its deadline. Rounds of
 * polling are at least {@code interval} apart, and each round also takes the waits due within
 * {@code batchWindow}, so that waits started together are polled together.
 *
 * @param firstPoll the delay before a wait's first poll
 * @param interval the least time between two rounds, and a wait's first backoff step
 * @param maxInterval the longest time between two polls of one wait
 * @param batchWindow how far ahead of their due time waits join a round
 */
record PollSchedule(Duration firstPoll, Duration interval, Duration maxInterval,
    Duration batchWindow) {

  /** First poll after 1 s, then 1, 2, 4, 4 ... s; waits due within 200 ms share a round. */
  static final PollSchedule DEFAULT = startingAt(Duration.ofSeconds(1));

  /**
   * Returns the schedule of a first delay: the first poll after it, rounds at least that far
   * apart, each wait backing off to four times it, and waits due within a fifth of it polled
   * together. {@code startingAt(1 s)} is {@link #DEFAULT}.
   *
   * @param initialDelay the first delay, positive
   * @return the schedule
   * @throws ConfigurationException when the delay is not positive
   */
  static PollSchedule startingAt(Duration initialDelay) {
    return new PollSchedule(initialDelay, initialDelay, initialDelay.multipliedBy(4),
        initialDelay.dividedBy(5));
  }

  /**
   * Validates the schedule.
   *
   * @throws ConfigurationException naming every problem
   */
  PollSchedule {
    Objects.requireNonNull(firstPoll, "firstPoll");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    Objects.requireNonNull(batchWindow, "batchWindow");
    List<String> problems = new ArrayList<>();
    if (firstPoll.isNegative()) {
      problems.add("the first poll delay " + firstPoll + " must not be negative");
    }
    if (interval.isNegative() || interval.isZero()) {
      problems.add("the poll interval " + interval + " must be positive");
    }
    if (maxInterval.compareTo(interval) < 0) {
      problems.add("the longest poll interval " + maxInterval + " must be at least the poll"
          + " interval " + interval);
    }
    if (batchWindow.isNegative()) {
      problems.add("the batch window " + batchWindow + " must not be negative");
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(Ec2ClientConfig.SOURCE, problems);
    }
  }

  /**
   * Returns the delay after a wait's n-th poll.
   *
   * @param polls how often the wait has been polled, at least 1
   * @return {@code interval * 2^(polls-1)}, at most {@code maxInterval}
   */
  Duration delayAfter(int polls) {
    Duration delay = interval;
    for (int i = 1; i < polls && delay.compareTo(maxInterval) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxInterval) > 0 ? maxInterval : delay;
  }
}
