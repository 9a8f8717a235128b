package io.stowage.driver.ebs;

import io.stowage.exception.InvalidArgumentException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.Region;

/**
 * The snapshots of the driver's region and of the other regions of the account, opened when
 * first asked for. The account's regions come from one {@code DescribeRegions} (the enabled
 * ones), asked once, so that a copy to a region that does not exist, or is not enabled, is
 * refused before any change. Thread-safe; closing it closes the other regions' connections and
 * every poller.
 */
final class SnapshotRegions implements AutoCloseable {
  private final Ec2Connection home;
  private final String homeRegion;
  private final EbsBackendOptions options;
  private final Function<String, Ec2Connection> connect;
  private final ReentrantLock lock = new ReentrantLock();
  private final EbsSnapshots homeSnapshots;
  private final Map<String, EbsSnapshots> others = new HashMap<>();
  private final Map<String, Ec2Connection> connections = new HashMap<>();
  private Set<String> enabled;

  /**
   * Creates the regions. Nothing is sent to EC2.
   *
   * @param home the connection of the driver's region, which its owner closes
   * @param homeRegion the driver's region
   * @param options namespace, timeout and poll schedule
   * @param connect opens a connection to another region
   */
  SnapshotRegions(Ec2Connection home, String homeRegion, EbsBackendOptions options,
      Function<String, Ec2Connection> connect) {
    this.home = Objects.requireNonNull(home, "home");
    this.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
    this.options = Objects.requireNonNull(options, "options");
    this.connect = Objects.requireNonNull(connect, "connect");
    this.homeSnapshots = new EbsSnapshots(home, homeRegion, options, this);
  }

  /**
   * Returns the snapshots of the driver's region.
   *
   * @return the snapshots
   */
  EbsSnapshots home() {
    return homeSnapshots;
  }

  /**
   * Returns the snapshots of a region of the account.
   *
   * @param region the region
   * @return its snapshots
   * @throws InvalidArgumentException when the account has no such enabled region
   */
  EbsSnapshots in(String region) {
    Objects.requireNonNull(region, "region");
    if (region.equals(homeRegion)) {
      return homeSnapshots;
    }
    lock.lock();
    try {
      if (enabled == null) {
        enabled = new TreeSet<>();
        home.call("DescribeRegions", homeRegion, () -> home.client().describeRegions(
            b -> b.allRegions(false))).regions().stream().map(Region::regionName)
            .forEach(enabled::add);
      }
      if (!enabled.contains(region)) {
        throw new InvalidArgumentException("region", region, "is not a region enabled for"
            + " this account; its regions: " + String.join(", ", enabled));
      }
      EbsSnapshots there = others.get(region);
      if (there == null) {
        Ec2Connection connection = connect.apply(region);
        connections.put(region, connection);
        there = new EbsSnapshots(connection, region, options, this);
        others.put(region, there);
      }
      return there;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    homeSnapshots.close();
    lock.lock();
    try {
      others.values().forEach(EbsSnapshots::close);
      connections.values().forEach(Ec2Connection::close);
      others.clear();
      connections.clear();
    } finally {
      lock.unlock();
    }
  }
}
