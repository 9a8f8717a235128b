package io.stowage.driver.ebs;

import io.stowage.exception.BackendException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Chooses the device names volumes are attached to on one instance: the large range
 * {@code /dev/xvd[b-z][a-z]} in random order (so that a name left unusable by an unclean
 * detach, a "ghost", is unlikely to be tried again), skipping names the instance's block device
 * mappings use, names this process has handed out, names found unusable, and names a local
 * device already has. Thread-safe: concurrent attaches never get the same name.
 */
final class DeviceNameAllocator {
  /** Every name of the large range, without {@code /dev/}: {@code xvdba} to {@code xvdzz}. */
  static final List<String> LARGE_RANGE = largeRange();

  private final ReentrantLock lock = new ReentrantLock();
  private final Random random;
  private final Predicate<String> locallyPresent;
  private final Set<String> mapped = new HashSet<>();
  private final Set<String> handedOut = new HashSet<>();
  private final Set<String> unusable = new HashSet<>();

  /**
   * Creates an allocator.
   *
   * @param mapped the instance's mapped device names, normalised
   *     ({@link #normalise}); refreshed with {@link #refreshMappings}
   * @param locallyPresent whether a local device already has a name (for the local instance;
   *     {@code name -> false} for others)
   * @param random the source of the random order
   */
  DeviceNameAllocator(Collection<String> mapped, Predicate<String> locallyPresent,
      Random random) {
    this.random = Objects.requireNonNull(random, "random");
    this.locallyPresent = Objects.requireNonNull(locallyPresent, "locallyPresent");
    this.mapped.addAll(mapped);
  }

  /**
   * Normalises a device name to the {@code xvd} spelling of the whole disk: {@code /dev/sdf1}
   * and {@code sdf} become {@code xvdf}; EC2 treats {@code sd} and {@code xvd} names as one
   * attachment point.
   *
   * @param device a device name, with or without {@code /dev/}
   * @return the normalised name
   */
  static String normalise(String device) {
    String name = device.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("/dev/")) {
      name = name.substring("/dev/".length());
    }
    if (name.startsWith("sd")) {
      name = "xvd" + name.substring(2);
    }
    int end = name.length();
    while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
      end--;
    }
    return name.substring(0, end);
  }

  /**
   * Hands out a free name, chosen at random; it stays taken until {@link #release}.
   *
   * @return the device path, such as {@code /dev/xvdkq}
   * @throws BackendException when every name of the range is taken
   */
  String next() {
    lock.lock();
    try {
      List<String> free = new ArrayList<>();
      for (String name : LARGE_RANGE) {
        if (!mapped.contains(name) && !handedOut.contains(name) && !unusable.contains(name)) {
          free.add(name);
        }
      }
      while (!free.isEmpty()) {
        String name = free.remove(random.nextInt(free.size()));
        if (!locallyPresent.test(name)) {
          handedOut.add(name);
          return "/dev/" + name;
        }
      }
      throw new BackendException("no free device name in /dev/xvd[b-z][a-z]: "
          + mapped.size() + " mapped, " + handedOut.size() + " attached by this process, "
          + unusable.size() + " refused by EC2", false, null, null);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records that a name is in use by an attachment this process did not make (or made before),
   * so it is not handed out.
   *
   * @param device the device name
   */
  void markInUse(String device) {
    lock.lock();
    try {
      handedOut.add(normalise(device));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives a name back: its attach failed, or its volume was detached.
   *
   * @param device the device name
   */
  void release(String device) {
    lock.lock();
    try {
      handedOut.remove(normalise(device));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records that EC2 refused a name, and never hands it out again from this allocator.
   *
   * @param device the device name
   */
  void markUnusable(String device) {
    lock.lock();
    try {
      String name = normalise(device);
      handedOut.remove(name);
      unusable.add(name);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces the instance's mapped names with a fresh reading.
   *
   * @param names the mapped device names, in any spelling
   */
  void refreshMappings(Collection<String> names) {
    lock.lock();
    try {
      mapped.clear();
      names.forEach(n -> mapped.add(normalise(n)));
    } finally {
      lock.unlock();
    }
  }

  private static List<String> largeRange() {
    List<String> names = new ArrayList<>();
    for (char first = 'b'; first <= 'z'; first++) {
      for (char second = 'a'; second <= 'z'; second++) {
        names.add("xvd" + first + second);
      }
    }
    return List.copyOf(names);
  }
}
