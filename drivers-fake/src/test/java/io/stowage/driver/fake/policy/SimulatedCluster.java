package io.stowage.driver.fake.policy;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.FakeDriver;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.internal.state.StateProblem;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.MountOptions;
import io.stowage.model.VolumeName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Several simulated instances on one machine: each is a {@link Stowage} with its own
 * {@code fake.instanceId}, mount root and state directory, all over one fake back end and one
 * {@link SimulatedHost}, so a device's content follows its volume from instance to instance.
 * An instance can be restarted: its Stowage is closed and a new one opened over the same
 * state directory and mount root, which runs the reconciliation.
 */
final class SimulatedCluster implements AutoCloseable {
  /** The driver name of every instance. */
  static final String DRIVER = "fake";

  private final Path dir;
  private final SteppingClock clock = new SteppingClock(Instant.parse("2024-01-01T00:00:00Z"));
  private final SimulatedHost host;
  private final Map<String, String> settings;
  private final List<Node> nodes = new ArrayList<>();

  /** One simulated instance. */
  private static final class Node {
    final String id;
    final Path mountRoot;
    final Path stateDirectory;
    final CapturingFakeProvider provider = new CapturingFakeProvider();
    final CrashingHost host;
    Stowage stowage;

    Node(String id, Path mountRoot, Path stateDirectory, CrashingHost host) {
      this.id = id;
      this.host = host;
      this.mountRoot = mountRoot;
      this.stateDirectory = stateDirectory;
    }
  }

  private SimulatedCluster(Path dir, int instances, Map<String, String> settings) {
    this.dir = dir;
    this.settings = Map.copyOf(settings);
    this.host = new SimulatedHost(dir.resolve("host"));
    for (int i = 0; i < instances; i++) {
      String id = "i" + i;
      Path home = dir.resolve(id);
      nodes.add(new Node(id, home.resolve("volumes"), home.resolve("state"),
          new CrashingHost(host)));
    }
    for (int i = 0; i < instances; i++) {
      start(i);
    }
  }

  /**
   * Opens a cluster in a new temporary directory.
   *
   * @param instances how many instances
   * @param settings extra settings for every instance, such as config defaults
   */
  static SimulatedCluster open(int instances, Map<String, String> settings) {
    try {
      return new SimulatedCluster(Files.createTempDirectory("stowage-cluster"), instances,
          settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SimulatedCluster open(int instances) {
    return open(instances, Map.of());
  }

  int size() {
    return nodes.size();
  }

  String instanceId(int i) {
    return nodes.get(i).id;
  }

  VolumeService volumes(int i) {
    return nodes.get(i).stowage.volumes();
  }

  FakeDriver driver(int i) {
    return nodes.get(i).provider.driver();
  }

  SimulatedHost host() {
    return host;
  }

  /** Instance i's view of the host, where its process can be made to die. */
  CrashingHost crashingHost(int i) {
    return nodes.get(i).host;
  }

  SteppingClock clock() {
    return clock;
  }

  Path mountRoot(int i) {
    return nodes.get(i).mountRoot;
  }

  Path dataPath(int i, String volume) {
    return mountRoot(i).resolve(volume).resolve("data");
  }

  /** Closes instance i's Stowage and opens a new one over the same directories. */
  void restart(int i) {
    nodes.get(i).stowage.close();
    start(i);
  }

  /** Reads instance i's durable state as a restarted process would find it. */
  StateSnapshot state(int i) {
    try (StateStore store = StateStore.open(nodes.get(i).stateDirectory)) {
      return new StateSnapshot(store.all(DRIVER), store.problems());
    }
  }

  /** Reads the mount options a volume was created with on instance i, as kept durably. */
  MountOptions mountDefaults(int i, String volume) {
    try (StateStore store = StateStore.open(nodes.get(i).stateDirectory)) {
      return store.mountDefaults().get(DRIVER, VolumeName.of(volume));
    }
  }

  /**
   * An instance's durable state.
   *
   * @param records the driver's records
   * @param problems files that could not be used
   */
  record StateSnapshot(List<VolumeRecord> records, List<StateProblem> problems) {
    Map<String, VolumeRecord> byName() {
      Map<String, VolumeRecord> map = new LinkedHashMap<>();
      records.forEach(r -> map.put(r.name().value(), r));
      return map;
    }
  }

  private void start(int i) {
    Node node = nodes.get(i);
    Stowage.Builder builder = Stowage.builder()
        .discoverProviders(false)
        .provider(node.provider)
        .host(node.host)
        .clock(clock)
        .setting("stowage.storageDrivers", DRIVER)
        .setting("stowage.volume.mount.root", node.mountRoot.toString())
        .setting("stowage.state.directory", node.stateDirectory.toString())
        .setting("fake.root", dir.resolve("backend").toString())
        .setting("fake.instanceId", node.id)
        .setting("fake.devices", "simulated");
    settings.forEach(builder::setting);
    node.stowage = builder.build();
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      if (node.stowage != null) {
        node.stowage.close();
      }
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
