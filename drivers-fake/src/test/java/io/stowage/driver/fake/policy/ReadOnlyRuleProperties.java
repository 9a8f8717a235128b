package io.stowage.driver.fake.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.VolumeInUseException;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.Caller;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.MountEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;

/**
 * The read-only/read-write rule over random sequences of callers: a volume mounted read-only by
 * one caller and read-write by another is an error naming both, never a silent downgrade. Random
 * chains of mounts (read-only, read-write, or the volume's default given at create), unmounts,
 * restarts and process deaths mid-mount and mid-unmount run on one simulated instance, against
 * a model that holds each volume's mode and callers. After every step the durable record, the
 * mount table and the model agree on both.
 *
 * <p>40 chains in every build; the {@code reliability} profile runs 10,000
 * ({@link ReliabilityTries}).
 */
@AddLifecycleHook(ReliabilityTries.class)
class ReadOnlyRuleProperties {
  /** Each volume and the read-only default it was created with. */
  static final Map<String, Boolean> VOLUMES = Map.of("shared-ro", true, "shared-rw", false);
  static final List<String> CALLERS = List.of("c0", "c1", "c2", "c3");
  static final List<String> EVENTS = List.of("refused read-write on read-only",
      "refused read-only on read-write", "joined in the same mode", "restarted while mounted",
      "crashed mid-mount", "crashed mid-unmount", "mode changed after the last unmount");

  private final List<ModeWorld> worlds = new ArrayList<>();

  @Property(tries = 40)
  void callersOfAMountedVolumeShareOneMode(@ForAll("chains") ActionChain<ModeWorld> chain) {
    ModeWorld world = chain.withInvariant("cluster matches the model", ModeWorld::check).run();
    for (String event : EVENTS) {
      Statistics.label(event).collect(world.events.contains(event));
    }
    for (String event : EVENTS) {
      Statistics.label(event).coverage(c -> c.check(true).count(n -> n > 0));
    }
  }

  @AfterTry
  void closeWorlds() {
    worlds.forEach(w -> w.cluster.close());
    worlds.clear();
  }

  @Provide
  Arbitrary<ActionChain<ModeWorld>> chains() {
    return ActionChain.startWith(this::newWorld)
        .withAction(6, mount())
        .withAction(4, unmount())
        .withAction(1, restart())
        .withAction(1, crashingMount())
        .withAction(1, crashingUnmount())
        .withMaxTransformations(30);
  }

  private ModeWorld newWorld() {
    ModeWorld world = new ModeWorld();
    worlds.add(world);
    return world;
  }

  /** A requested mode: read-only, read-write, or empty for the volume's default. */
  private static Arbitrary<Optional<Boolean>> modes() {
    return Arbitraries.of(Optional.of(true), Optional.of(false), Optional.empty());
  }

  private static Action.Independent<ModeWorld> mount() {
    return () -> Combinators.combine(Arbitraries.of(VOLUMES.keySet()), Arbitraries.of(CALLERS),
        modes()).as((v, c, mode) -> Transformer.mutate("mount(" + v + ", " + c + ", "
            + describe(mode) + ")", w -> w.mount(v, c, mode)));
  }

  private static Action.Independent<ModeWorld> unmount() {
    return () -> Combinators.combine(Arbitraries.of(VOLUMES.keySet()), Arbitraries.of(CALLERS))
        .as((v, c) -> Transformer.mutate("unmount(" + v + ", " + c + ")",
            w -> w.unmount(v, c)));
  }

  private static Action.Independent<ModeWorld> restart() {
    return () -> Arbitraries.just(Transformer.mutate("restart", ModeWorld::restart));
  }

  private static Action.Independent<ModeWorld> crashingMount() {
    return () -> Combinators.combine(Arbitraries.of(VOLUMES.keySet()), Arbitraries.of(CALLERS),
        modes()).as((v, c, mode) -> Transformer.mutate("mount(" + v + ", " + c + ", "
            + describe(mode) + ") dying after mount, restart",
            w -> w.crashingMount(v, c, mode)));
  }

  private static Action.Independent<ModeWorld> crashingUnmount() {
    return () -> Combinators.combine(Arbitraries.of(VOLUMES.keySet()), Arbitraries.of(CALLERS))
        .as((v, c) -> Transformer.mutate("unmount(" + v + ", " + c + ") dying before umount,"
            + " restart", w -> w.crashingUnmount(v, c)));
  }

  private static String describe(Optional<Boolean> mode) {
    return mode.map(ro -> ro ? "read-only" : "read-write").orElse("default");
  }

  /** One simulated instance and the model of its volumes' modes and callers. */
  static final class ModeWorld {
    final SimulatedCluster cluster = SimulatedCluster.open(1);
    final Set<String> events = new TreeSet<>();
    /** Per mounted volume: its callers and whether it is mounted read-only. */
    private final Map<String, Set<String>> callers = new TreeMap<>();
    private final Map<String, Boolean> readOnly = new TreeMap<>();
    /** Per volume: the mode it was last mounted in, to see a mode change after a release. */
    private final Map<String, Boolean> lastMode = new TreeMap<>();

    ModeWorld() {
      VOLUMES.forEach((v, ro) -> cluster.volumes(0).create(v,
          VolumeOptions.parse(Map.of("size", "1", "ro", ro.toString()))));
    }

    void mount(String v, String c, Optional<Boolean> requested) {
      boolean wanted = requested.orElse(VOLUMES.get(v));
      MountRequest request = request(c, requested);
      if (callers.containsKey(v) && readOnly.get(v) != wanted) {
        VolumeInUseException e = assertThrows(VolumeInUseException.class,
            () -> cluster.volumes(0).mount(v, request));
        String held = readOnly.get(v) ? "read-only" : "read-write";
        String asked = wanted ? "read-only" : "read-write";
        String message = e.getMessage();
        assertTrue(message.contains("mounted " + held + " by " + callers.get(v)), message);
        assertTrue(message.contains("caller " + c + " asks for " + asked), message);
        events.add("refused " + asked + " on " + held);
        return;
      }
      cluster.volumes(0).mount(v, request);
      if (callers.containsKey(v)) {
        events.add("joined in the same mode");
      } else if (lastMode.containsKey(v) && lastMode.get(v) != wanted) {
        events.add("mode changed after the last unmount");
      }
      callers.computeIfAbsent(v, k -> new TreeSet<>()).add(c);
      readOnly.put(v, wanted);
      lastMode.put(v, wanted);
    }

    void unmount(String v, String c) {
      cluster.volumes(0).unmount(v, UnmountRequest.caller(c));
      release(v, c);
    }

    private void release(String v, String c) {
      Set<String> held = callers.get(v);
      if (held != null && held.remove(c) && held.isEmpty()) {
        callers.remove(v);
        readOnly.remove(v);
      }
    }

    void restart() {
      if (!callers.isEmpty()) {
        events.add("restarted while mounted");
      }
      cluster.restart(0);
    }

    /**
     * A mount whose process dies right after the host mounted the device: it was never
     * acknowledged, so the restart rolls it back. A mount that joins a mounted volume, or is
     * refused, calls no mount and does not die.
     */
    void crashingMount(String v, String c, Optional<Boolean> requested) {
      CrashingHost host = cluster.crashingHost(0);
      host.arm(CrashingHost.Point.AFTER_MOUNT);
      try {
        if (callers.containsKey(v)) {
          mount(v, c, requested);
        } else {
          assertThrows(CrashingHost.Crash.class,
              () -> cluster.volumes(0).mount(v, request(c, requested)));
          events.add("crashed mid-mount");
        }
      } finally {
        host.disarm();
      }
      cluster.restart(0);
    }

    /**
     * An unmount whose process dies as it unmounts: the last use had been released and recorded
     * as an intent, so the restart completes it. An unmount that leaves other callers unmounts
     * nothing and does not die.
     */
    void crashingUnmount(String v, String c) {
      CrashingHost host = cluster.crashingHost(0);
      host.arm(CrashingHost.Point.BEFORE_UNMOUNT);
      try {
        if (callers.getOrDefault(v, Set.of()).equals(Set.of(c))) {
          assertThrows(CrashingHost.Crash.class,
              () -> cluster.volumes(0).unmount(v, UnmountRequest.caller(c)));
          events.add("crashed mid-unmount");
          release(v, c);
        } else {
          unmount(v, c);
        }
      } finally {
        host.disarm();
      }
      cluster.restart(0);
    }

    private static MountRequest request(String c, Optional<Boolean> requested) {
      MountRequest.Builder builder = MountRequest.builder().caller(c);
      requested.ifPresent(builder::readOnly);
      return builder.build();
    }

    /** The durable records and the mount table hold the model's callers and modes. */
    void check() {
      SimulatedCluster.StateSnapshot state = cluster.state(0);
      assertEquals(List.of(), state.problems());
      Map<String, VolumeRecord> records = state.byName();
      assertEquals(callers.keySet(), records.keySet(), "records");
      for (String v : VOLUMES.keySet()) {
        Path mountPoint = cluster.mountRoot(0).resolve(v);
        List<MountEntry> mounts = cluster.host().mountsAt(mountPoint);
        if (!callers.containsKey(v)) {
          assertEquals(List.of(), mounts, v + " is not mounted");
          continue;
        }
        VolumeRecord record = records.get(v);
        assertEquals(Optional.empty(), record.intent(), "intent left in " + record);
        assertEquals(callers.get(v), record.callers().stream().map(Caller::value)
            .collect(Collectors.toSet()), "callers of " + v);
        assertEquals(Optional.of(readOnly.get(v)), record.mount().readOnly(), "mode of " + v);
        assertEquals(1, mounts.size(), "mounts of " + v + ": " + mounts);
        assertEquals(readOnly.get(v), mounts.get(0).options().contains("ro"),
            "mount table entry of " + v + ": " + mounts.get(0));
        assertEquals(Optional.of(cluster.dataPath(0, v)), cluster.volumes(0).path(v));
      }
    }
  }
}
