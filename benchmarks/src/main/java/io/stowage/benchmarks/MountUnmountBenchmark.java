package io.stowage.benchmarks;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.FakeDriverProvider;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Mount and unmount pairs per second through the policy layer: {@link Stowage} with the fake
 * driver ({@code fake.devices=simulated}) on a {@link SimulatedHost}, and the durable state in
 * a temporary directory on the real disk. Each thread mounts and unmounts a volume of its own,
 * so every pair attaches, mounts, unmounts and detaches.
 *
 * <p>Per pair the policy makes {@value #STATE_CHANGES_PER_PAIR} durable state changes: on
 * mount the attaching intent (which names the planned mount point) and the mounted record; on
 * unmount the unmounting intent and the removal of the record. The first three are atomic
 * replaces, the last a delete and a directory fsync.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MountUnmountBenchmark {
  /** Durable state changes the policy makes per mount and unmount pair. */
  public static final int STATE_CHANGES_PER_PAIR = 4;

  /** Creates the benchmark; JMH calls this. */
  public MountUnmountBenchmark() {}

  /** One Stowage instance over one fake back end and one simulated host, shared by threads. */
  @State(Scope.Benchmark)
  public static class Host {
    /** Other volumes mounted and recorded in the state before measuring. */
    @Param({"0", "1000"})
    public int otherMounted;

    /**
     * Where the fake back end's store, the simulated host and the mount root live:
     * {@code tmpfs} keeps their own fsyncs out of the figure, so it measures the policy and
     * its state; {@code disk} puts them on the real disk beside the state.
     */
    @Param({"tmpfs", "disk"})
    public String backend;

    Path stateRoot;
    Path backendRoot;
    Stowage stowage;
    VolumeService volumes;
    final AtomicInteger threads = new AtomicInteger();

    /** Creates the state; JMH calls this. */
    public Host() {}

    /** Opens Stowage and mounts the other volumes. */
    @Setup(Level.Trial)
    public void open() {
      stateRoot = Directories.create("disk", "stowage-bench-state");
      backendRoot = Directories.create(backend, "stowage-bench-backend");
      stowage = Stowage.builder()
          .discoverProviders(false)
          .provider(new FakeDriverProvider())
          .host(new SimulatedHost(backendRoot.resolve("host")))
          .setting("stowage.storageDrivers", "fake")
          .setting("stowage.state.directory", stateRoot.toString())
          .setting("stowage.volume.mount.root", backendRoot.resolve("volumes").toString())
          .setting("fake.root", backendRoot.resolve("store").toString())
          .setting("fake.instanceId", "bench-host")
          .setting("fake.devices", "simulated")
          .build();
      volumes = stowage.volumes();
      for (int i = 0; i < otherMounted; i++) {
        volumes.mount("other-" + i, MountRequest.builder().caller("resident").build());
      }
    }

    /** Closes Stowage and deletes every file the trial made. */
    @TearDown(Level.Trial)
    public void close() {
      try {
        if (stowage != null) {
          stowage.close();
        }
      } finally {
        Directories.delete(stateRoot);
        Directories.delete(backendRoot);
      }
    }
  }

  /** The volume one thread mounts and unmounts. */
  @State(Scope.Thread)
  public static class OwnVolume {
    String name;
    MountRequest mount;
    UnmountRequest unmount;

    /** Creates the state; JMH calls this. */
    public OwnVolume() {}

    /**
     * Creates this thread's volume, unattached.
     *
     * @param host the shared host
     */
    @Setup(Level.Trial)
    public void create(Host host) {
      name = "bench-" + host.threads.incrementAndGet();
      host.volumes.create(name, VolumeOptions.parse(Map.of("size", "1")));
      mount = MountRequest.builder().caller("task-" + name).build();
      unmount = UnmountRequest.caller("task-" + name);
    }
  }

  /**
   * One thread mounts and unmounts its volume.
   *
   * @param host the shared host
   * @param volume this thread's volume
   * @return the mount, so that nothing is optimized away
   */
  @Benchmark
  @Threads(1)
  public Mount pairs1Thread(Host host, OwnVolume volume) {
    return pair(host, volume);
  }

  /**
   * Two threads each mount and unmount their own volume.
   *
   * @param host the shared host
   * @param volume this thread's volume
   * @return the mount, so that nothing is optimized away
   */
  @Benchmark
  @Threads(2)
  public Mount pairs2Threads(Host host, OwnVolume volume) {
    return pair(host, volume);
  }

  static Mount pair(Host host, OwnVolume volume) {
    Mount mounted = host.volumes.mount(volume.name, volume.mount);
    host.volumes.unmount(volume.name, volume.unmount);
    return mounted;
  }
}
