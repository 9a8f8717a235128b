package io.stowage.driver.fake.policy;

import io.stowage.driver.fake.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Stateful properties of the mount policy over the fake driver with simulated devices: three
 * simulated instances share one back end and one {@link io.stowage.driver.fake.SimulatedHost},
 * and random chains of mounts, unmounts, removals, writes, reads, injected faults and process
 * restarts run against them. After every step the cluster must match {@link PolicyWorld}'s
 * model: the back end attaches each volume to at most the one instance that holds it, every
 * acknowledged use is recorded with exactly its callers, a held volume's data directory holds
 * exactly the tokens written to that volume (wherever they were written), and every state
 * directory loads without problems. {@link PolicyWorld} documents what a preempted holder sees.
 *
 * <p>50 chains in every build; the {@code reliability} profile runs 10,000
 * ({@link ReliabilityTries}).
 */
@AddLifecycleHook(ReliabilityTries.class)
class MountPolicyProperties {
  static final List<String> VOLUMES = List.of("v0", "v1", "v2");
  static final List<String> CALLERS = List.of("c0", "c1", "c2");
  static final int INSTANCES = 3;

  private final List<PolicyWorld> worlds = new ArrayList<>();

  @Property(tries = 50)
  void everyAcknowledgedUseAndEveryWrittenFileSurvives(
      @ForAll("chains") ActionChain<PolicyWorld> chain) {
    PolicyWorld world = chain.withInvariant("cluster matches the model", PolicyWorld::check)
        .run();
    for (String event : PolicyWorld.EVENTS) {
      Statistics.label(event).collect(world.saw(event));
    }
    // The chains must reach the situations the model is about, not just the easy paths.
    for (String event : PolicyWorld.EVENTS) {
      Statistics.label(event).coverage(c -> c.check(true).count(n -> n > 0));
    }
  }

  @AfterTry
  void closeWorlds() {
    worlds.forEach(PolicyWorld::close);
    worlds.clear();
  }

  @Provide
  Arbitrary<ActionChain<PolicyWorld>> chains() {
    return ActionChain.startWith(this::newWorld)
        .withAction(5, mount())
        .withAction(3, unmount())
        .withAction(1, remove())
        .withAction(3, write())
        .withAction(1, path())
        .withAction(2, faultyMount())
        .withAction(1, restart())
        .withAction(1, crashingMount())
        .withAction(1, crashingUnmount())
        .withAction(1, resize())
        .withAction(1, crashingResize())
        .withMaxTransformations(30);
  }

  private PolicyWorld newWorld() {
    PolicyWorld world = new PolicyWorld(INSTANCES);
    worlds.add(world);
    return world;
  }

  private static Arbitrary<Integer> instances() {
    return Arbitraries.integers().between(0, INSTANCES - 1);
  }

  private static Arbitrary<String> volumes() {
    return Arbitraries.of(VOLUMES);
  }

  private static Arbitrary<String> callers() {
    return Arbitraries.of(CALLERS);
  }

  private static Action.Independent<PolicyWorld> mount() {
    return () -> Combinators.combine(instances(), volumes(), callers(), Arbitraries.of(false,
        true)).as((i, v, c, preempt) -> Transformer.mutate(
            "mount(i" + i + ", " + v + ", " + c + ", preempt=" + preempt + ")",
            w -> w.mount(i, v, c, preempt)));
  }

  private static Action.Independent<PolicyWorld> unmount() {
    return () -> Combinators.combine(instances(), volumes(), callers(), Arbitraries.of(false,
        false, true)).as((i, v, c, ignore) -> Transformer.mutate(
            "unmount(i" + i + ", " + v + ", " + c + ", ignoreUsedCount=" + ignore + ")",
            w -> w.unmount(i, v, c, ignore)));
  }

  private static Action.Independent<PolicyWorld> remove() {
    return () -> Combinators.combine(instances(), volumes(), Arbitraries.of(false, true))
        .as((i, v, force) -> Transformer.mutate(
            "remove(i" + i + ", " + v + ", force=" + force + ")", w -> w.remove(i, v, force)));
  }

  private static Action.Independent<PolicyWorld> path() {
    return () -> Combinators.combine(instances(), volumes()).as((i, v) -> Transformer.mutate(
        "path(i" + i + ", " + v + ")", w -> w.path(i, v)));
  }

  private static Action.Independent<PolicyWorld> restart() {
    return () -> instances().map(i -> Transformer.mutate("restart(i" + i + ")",
        w -> w.restart(i)));
  }

  private static Action.Independent<PolicyWorld> faultyMount() {
    return () -> Combinators.combine(instances(), volumes(), callers(),
        Arbitraries.of(false, true), Arbitraries.of(Operation.ATTACH, Operation.FORMAT,
            Operation.MOUNT)).as((i, v, c, preempt, op) -> Transformer.mutate(
                "mount(i" + i + ", " + v + ", " + c + ", preempt=" + preempt + ") failing at "
                    + op, w -> w.faultyMount(i, v, c, preempt, op)));
  }

  private static Action.Independent<PolicyWorld> crashingMount() {
    return () -> Combinators.combine(instances(), volumes(), callers(),
        Arbitraries.of(false, true), Arbitraries.of(CrashingHost.Point.BEFORE_FORMAT,
            CrashingHost.Point.AFTER_MOUNT)).as((i, v, c, preempt, point) -> Transformer.mutate(
                "mount(i" + i + ", " + v + ", " + c + ", preempt=" + preempt + ") dying "
                    + point + ", restart", w -> w.crashingMount(i, v, c, preempt, point)));
  }

  /** Dies in an unmount of a recorded volume; only offered while some volume is recorded. */
  private static Action.Dependent<PolicyWorld> crashingUnmount() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(PolicyWorld world) {
        return !world.recorded().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<PolicyWorld>> transformer(PolicyWorld world) {
        return Combinators.combine(Arbitraries.of(world.recorded()), callers(),
            Arbitraries.of(false, true)).as((use, c, ignore) -> Transformer.mutate(
                "unmount(i" + use.getKey() + ", " + use.getValue() + ", " + c
                    + ", ignoreUsedCount=" + ignore + ") dying before the unmount, restart",
                w -> w.crashingUnmount(use.getKey(), use.getValue(), c, ignore)));
      }
    };
  }

  private static Action.Independent<PolicyWorld> resize() {
    return () -> Combinators.combine(instances(), volumes(), Arbitraries.of(true, false))
        .as((i, v, grow) -> Transformer.mutate("resize(i" + i + ", " + v + ", "
            + (grow ? "+1GiB" : "-1MiB") + ")", w -> w.resize(i, v, grow)));
  }

  /** Dies in a resize of a volume mounted here; only offered while some volume is held. */
  private static Action.Dependent<PolicyWorld> crashingResize() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(PolicyWorld world) {
        return !world.liveUses().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<PolicyWorld>> transformer(PolicyWorld world) {
        return Arbitraries.of(world.liveUses()).map((Map.Entry<Integer, String> use) ->
            Transformer.mutate("resize(i" + use.getKey() + ", " + use.getValue()
                + ", +1GiB) dying before the file system grows, restart",
                w -> w.crashingResize(use.getKey(), use.getValue())));
      }
    };
  }

  /** Writes a token through a held volume's path; only offered while some volume is held. */
  private static Action.Dependent<PolicyWorld> write() {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(PolicyWorld world) {
        return !world.liveUses().isEmpty();
      }

      @Override
      public Arbitrary<Transformer<PolicyWorld>> transformer(PolicyWorld world) {
        return Arbitraries.of(world.liveUses()).map((Map.Entry<Integer, String> use) ->
            Transformer.mutate("write(i" + use.getKey() + ", " + use.getValue() + ")",
                w -> w.write(use.getKey(), use.getValue())));
      }
    };
  }
}
