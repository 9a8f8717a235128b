package io.stowage.driver.fake.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.VolumeService;
import io.stowage.driver.fake.FaultInjector;
import io.stowage.driver.fake.Operation;
import io.stowage.exception.BackendException;
import io.stowage.exception.CommandFailedException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.spi.MountEntry;
import io.stowage.internal.state.Intent;
import io.stowage.internal.state.VolumeRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@link SimulatedCluster} together with a model of what it should hold: which volumes
 * exist, which instance holds each one, which tokens were written to each, and per instance
 * the durable record of each volume with its callers. Every operation runs on the cluster
 * and the model, and asserts that the cluster did what the model predicts; {@link #check()}
 * compares the whole cluster with the model.
 *
 * <p>A record is <em>live</em> while its instance holds the volume (attached there, mounted
 * at its mount point). It turns <em>stale</em> when another instance preempts the volume or
 * removes it by force: the former holder is not told, its record and its mount stay (the
 * simulated mount no longer sees the device, as a real mount of a force-detached disk), and
 * what it then sees is this: {@code path()} is empty, an unmount by any of its callers
 * succeeds (the last one, or one with ignoreusedcount, releases the stale mount and drops the
 * record, detaching nothing), a mount without preempt is refused while the volume is attached
 * elsewhere, and a mount that does get the volume back replaces the stale mount with a fresh
 * one and starts a new set of callers: the preempted uses are gone.
 */
final class PolicyWorld implements AutoCloseable {
  /** Per instance and volume: the durable record the model expects. */
  static final class Rec {
    final Set<String> callers = new TreeSet<>();
    boolean live;
    /** For a stale record: whether its mount is still in the mount table. */
    boolean mounted;

    static Rec live(String caller) {
      Rec rec = new Rec();
      rec.callers.add(caller);
      rec.live = true;
      rec.mounted = true;
      return rec;
    }

    @Override
    public String toString() {
      return (live ? "live" : mounted ? "stale" : "stale-unmounted") + callers;
    }
  }

  /** An existing volume: its tokens and the instance holding it, if any. */
  static final class Vol {
    final Set<String> tokens = new TreeSet<>();
    Integer holder;
    /** False for a volume whose creating mount died before formatting it. */
    boolean formatted = true;

    @Override
    public String toString() {
      return "holder=" + holder + " tokens=" + tokens;
    }
  }

  private final SimulatedCluster cluster;
  private final Map<String, Vol> volumes = new TreeMap<>();
  private final List<Map<String, Rec>> records = new ArrayList<>();
  private final Set<String> events = new TreeSet<>();
  private int nextToken;

  PolicyWorld(int instances) {
    this.cluster = SimulatedCluster.open(instances);
    for (int i = 0; i < instances; i++) {
      records.add(new TreeMap<>());
    }
  }

  int instances() {
    return cluster.size();
  }

  /** Every (instance, volume) with a record, live or stale. */
  List<Map.Entry<Integer, String>> recorded() {
    List<Map.Entry<Integer, String>> result = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      for (String v : records.get(i).keySet()) {
        result.add(Map.entry(i, v));
      }
    }
    return result;
  }

  /** Every (instance, volume) whose record is live. */
  List<Map.Entry<Integer, String>> liveUses() {
    List<Map.Entry<Integer, String>> result = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      for (Map.Entry<String, Rec> e : records.get(i).entrySet()) {
        if (e.getValue().live) {
          result.add(Map.entry(i, e.getKey()));
        }
      }
    }
    return result;
  }

  /** The names of the interesting situations this world went through, for coverage. */
  static final List<String> EVENTS = List.of("preempted a holder", "replaced a stale mount",
      "removed a volume held elsewhere", "fault fired", "restarted with live uses",
      "remounted with content", "unmounted a stale record", "crashed mid-mount",
      "crashed mid-unmount", "grew a mounted volume", "refused a shrink",
      "crashed mid-resize");

  boolean saw(String event) {
    return events.contains(event);
  }

  // ---- operations ----

  void mount(int i, String v, String c, boolean preempt) {
    VolumeService service = cluster.volumes(i);
    MountRequest request = MountRequest.builder().caller(c).preempt(preempt).build();
    Vol vol = volumes.get(v);
    if (vol != null && vol.holder != null && vol.holder != i && !preempt) {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> service.mount(v, request));
      assertEquals(cluster.instanceId(vol.holder), e.holder(), e.getMessage());
      return;
    }
    applyMount(i, v, c, service.mount(v, request));
  }

  private void applyMount(int i, String v, String c, Mount mount) {
    assertEquals(cluster.dataPath(i, v), mount.path());
    Vol vol = volumes.get(v);
    Rec rec = records.get(i).get(v);
    if (vol == null) {
      assertTrue(mount.created(), "implicit create of " + v);
      assertTrue(mount.formatted(), "format of new volume " + v);
      vol = new Vol();
      volumes.put(v, vol);
    } else {
      assertFalse(mount.created(), "created a second " + v);
      assertEquals(!vol.formatted, mount.formatted(), "formatted " + v);
      vol.formatted = true;
    }
    if (rec != null && rec.live) {
      rec.callers.add(c);
    } else {
      if (vol.holder != null && vol.holder != i) {
        loseHold(vol.holder, v);
        events.add("preempted a holder");
      }
      if (rec != null && rec.mounted) {
        events.add("replaced a stale mount");
      }
      if (!vol.tokens.isEmpty()) {
        events.add("remounted with content");
      }
      vol.holder = i;
      records.get(i).put(v, Rec.live(c));
    }
    assertEquals(vol.tokens, tokensAt(mount.path()), "content of " + v + " after mount on i" + i);
  }

  private void loseHold(int j, String v) {
    Rec rec = records.get(j).get(v);
    rec.live = false;
    rec.mounted = true;
  }

  void unmount(int i, String v, String c, boolean ignoreUsedCount) {
    VolumeService service = cluster.volumes(i);
    UnmountRequest request = UnmountRequest.caller(c).withIgnoreUsedCount(ignoreUsedCount);
    Rec rec = records.get(i).get(v);
    if (rec == null) {
      if (!volumes.containsKey(v)) {
        assertThrows(VolumeNotFoundException.class, () -> service.unmount(v, request));
      } else {
        service.unmount(v, request);
      }
      return;
    }
    service.unmount(v, request);
    if (!rec.live) {
      events.add("unmounted a stale record");
    }
    Set<String> rest = new TreeSet<>(rec.callers);
    rest.remove(c);
    if (!rest.isEmpty() && !ignoreUsedCount) {
      rec.callers.retainAll(rest);
      return;
    }
    records.get(i).remove(v);
    if (rec.live) {
      volumes.get(v).holder = null;
    }
  }

  void remove(int i, String v, boolean force) {
    VolumeService service = cluster.volumes(i);
    Vol vol = volumes.get(v);
    if (vol == null) {
      assertThrows(VolumeNotFoundException.class, () -> service.remove(v, force));
      return;
    }
    Rec rec = records.get(i).get(v);
    if (!force && rec != null) {
      assertThrows(VolumeInUseException.class, () -> service.remove(v, false));
      return;
    }
    if (!force && vol.holder != null) {
      VolumeInUseException e = assertThrows(VolumeInUseException.class,
          () -> service.remove(v, false));
      assertEquals(cluster.instanceId(vol.holder), e.holder());
      return;
    }
    service.remove(v, force);
    records.get(i).remove(v);
    if (vol.holder != null && vol.holder != i) {
      loseHold(vol.holder, v);
      events.add("removed a volume held elsewhere");
    }
    volumes.remove(v);
  }

  void write(int i, String v) {
    Path path = cluster.volumes(i).path(v).orElseThrow(() -> new AssertionError(
        "no path for " + v + " held by i" + i));
    String token = "t" + nextToken++;
    try {
      Files.writeString(path.resolve(token), token, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    volumes.get(v).tokens.add(token);
  }

  void path(int i, String v) {
    Optional<Path> path = cluster.volumes(i).path(v);
    Rec rec = records.get(i).get(v);
    if (rec != null && rec.live) {
      assertEquals(Optional.of(cluster.dataPath(i, v)), path);
      assertEquals(volumes.get(v).tokens, tokensAt(path.get()));
    } else {
      assertEquals(Optional.empty(), path, "path of " + v + " on i" + i + " (" + rec + ")");
    }
  }

  void restart(int i) {
    if (records.get(i).values().stream().anyMatch(r -> r.live)) {
      events.add("restarted with live uses");
    }
    cluster.restart(i);
    // A record whose mount is gone is dropped; every other record, acknowledged uses and
    // stale records alike, stays as it was.
    records.get(i).values().removeIf(r -> !r.live && !r.mounted);
  }

  /**
   * A mount with a fault armed on the next call of one operation: attach (the back end of
   * instance i), mkfs or mount (the shared host). When the mount reaches the operation it
   * fails with the injected error and leaves nothing behind: no new mount, the same state
   * record, no volume it created. A preempting mount that fails after its attach has already
   * taken the volume from its holder, whose uses are then preempted.
   */
  void faultyMount(int i, String v, String c, boolean preempt, Operation op) {
    Vol vol = volumes.get(v);
    Rec rec = records.get(i).get(v);
    boolean liveHere = rec != null && rec.live;
    boolean refused = vol != null && vol.holder != null && vol.holder != i && !preempt;
    boolean attaches = !liveHere && !refused;
    boolean fires = switch (op) {
      case ATTACH, MOUNT -> attaches;
      case FORMAT -> attaches && (vol == null || !vol.formatted);
      default -> throw new IllegalArgumentException(op.toString());
    };
    FaultInjector injector = op == Operation.ATTACH ? cluster.driver(i).faults()
        : cluster.host().faults();
    injector.failNth(op, 1);
    try {
      if (!fires) {
        mount(i, v, c, preempt);
        return;
      }
      events.add("fault fired");
      List<MountEntry> mountsBefore = cluster.host().mounts();
      List<VolumeRecord> stateBefore = cluster.state(i).records();
      Set<String> volumesBefore = volumeNames();
      StowageException e = assertThrows(StowageException.class, () -> cluster.volumes(i)
          .mount(v, MountRequest.builder().caller(c).preempt(preempt).build()));
      Class<? extends StowageException> expected = op == Operation.ATTACH
          ? BackendException.class : CommandFailedException.class;
      assertInstanceOf(expected, e);
      assertTrue(e.getMessage().contains("injected"), e.getMessage());
      assertTrue(new HashSet<>(mountsBefore).containsAll(cluster.host().mounts()),
          "a failed mount left a new mount: " + cluster.host().mounts());
      assertEquals(stateBefore, cluster.state(i).records(), "state record changed");
      assertEquals(volumesBefore, volumeNames(), "volumes changed");
      if (op != Operation.ATTACH) {
        if (vol != null && vol.holder != null && vol.holder != i) {
          loseHold(vol.holder, v);
          vol.holder = null;
        }
        if (rec != null) {
          rec.mounted = false; // the stale mount was released before mounting afresh
        }
        if (op == Operation.MOUNT && vol != null) {
          vol.formatted = true; // a file system made on an empty device is not undone
        }
      }
    } finally {
      injector.reset();
    }
  }

  /**
   * A mount during which the process dies at a host call, then a restart of that instance.
   * Reconciliation rolls the unacknowledged mount back: nothing of it stays mounted, attached
   * or recorded, except the volume it created (nothing records that it was created by this
   * mount), which stays unformatted when the crash came before mkfs. A holder preempted by the
   * dead mount stays preempted.
   */
  void crashingMount(int i, String v, String c, boolean preempt, CrashingHost.Point point) {
    Vol vol = volumes.get(v);
    Rec rec = records.get(i).get(v);
    boolean liveHere = rec != null && rec.live;
    boolean refused = vol != null && vol.holder != null && vol.holder != i && !preempt;
    boolean attaches = !liveHere && !refused;
    boolean dies = point == CrashingHost.Point.AFTER_MOUNT ? attaches
        : attaches && (vol == null || !vol.formatted);
    CrashingHost host = cluster.crashingHost(i);
    host.arm(point);
    try {
      if (!dies) {
        mount(i, v, c, preempt);
      } else {
        assertThrows(CrashingHost.Crash.class, () -> cluster.volumes(i)
            .mount(v, MountRequest.builder().caller(c).preempt(preempt).build()));
        events.add("crashed mid-mount");
        if (vol == null) {
          vol = new Vol();
          volumes.put(v, vol);
        }
        vol.formatted = point == CrashingHost.Point.AFTER_MOUNT;
        if (vol.holder != null && vol.holder != i) {
          loseHold(vol.holder, v);
        }
        vol.holder = null;
        records.get(i).remove(v);
      }
    } finally {
      host.disarm();
    }
    restart(i);
  }

  /**
   * An unmount during which the process dies as it unmounts, then a restart of that instance.
   * The unmount had been decided and recorded as an intent, so reconciliation completes it.
   */
  void crashingUnmount(int i, String v, String c, boolean ignoreUsedCount) {
    Rec rec = records.get(i).get(v);
    boolean releases = rec != null && rec.mounted
        && (ignoreUsedCount || rec.callers.equals(Set.of(c)));
    CrashingHost host = cluster.crashingHost(i);
    host.arm(CrashingHost.Point.BEFORE_UNMOUNT);
    try {
      if (!releases) {
        unmount(i, v, c, ignoreUsedCount);
      } else {
        assertThrows(CrashingHost.Crash.class, () -> cluster.volumes(i).unmount(v,
            UnmountRequest.caller(c).withIgnoreUsedCount(ignoreUsedCount)));
        events.add("crashed mid-unmount");
        records.get(i).remove(v);
        if (rec.live) {
          volumes.get(v).holder = null;
        }
      }
    } finally {
      host.disarm();
    }
    restart(i);
  }

  /**
   * A resize by one GiB, or a shrink by one MiB. A shrink is refused and changes nothing; a
   * grow changes the size only: the holder, the records and their callers stay, the mounted
   * file system keeps its content.
   */
  void resize(int i, String v, boolean grow) {
    VolumeService service = cluster.volumes(i);
    if (!volumes.containsKey(v)) {
      assertThrows(VolumeNotFoundException.class,
          () -> service.resize(v, ByteSize.ofGiB(1)));
      return;
    }
    ByteSize before = service.find(v).orElseThrow().size();
    List<VolumeRecord> stateBefore = cluster.state(i).records();
    if (!grow) {
      assertThrows(InvalidArgumentException.class,
          () -> service.resize(v, new ByteSize(before.bytes() - ByteSize.MIB)));
      assertEquals(before, service.find(v).orElseThrow().size());
      events.add("refused a shrink");
    } else {
      ByteSize size = new ByteSize(before.bytes() + ByteSize.GIB);
      assertEquals(size, service.resize(v, size).size());
      assertEquals(size, service.find(v).orElseThrow().size());
      Rec rec = records.get(i).get(v);
      if (rec != null && rec.live) {
        events.add("grew a mounted volume");
      }
    }
    assertEquals(stateBefore, cluster.state(i).records(), "state records of i" + i);
  }

  /**
   * A resize of a volume mounted here during which the process dies after the back end's grow,
   * as the file system grows; then a restart of that instance, whose reconciliation finishes
   * the grow and leaves the volume mounted for its callers.
   */
  void crashingResize(int i, String v) {
    ByteSize size = new ByteSize(cluster.volumes(i).find(v).orElseThrow().size().bytes()
        + ByteSize.GIB);
    CrashingHost host = cluster.crashingHost(i);
    host.arm(CrashingHost.Point.BEFORE_GROW);
    try {
      assertThrows(CrashingHost.Crash.class, () -> cluster.volumes(i).resize(v, size));
      events.add("crashed mid-resize");
    } finally {
      host.disarm();
    }
    VolumeRecord interrupted = cluster.state(i).byName().get(v);
    assertEquals(Optional.of(Intent.Step.GROWING), interrupted.intent().map(Intent::step));
    restart(i);
    assertEquals(size, cluster.volumes(i).find(v).orElseThrow().size());
  }

  // ---- invariants ----

  /** Compares the whole cluster with the model. */
  void check() {
    VolumeService any = cluster.volumes(0);
    List<Volume> listed = any.list();
    assertEquals(volumes.keySet(), volumeNames(), "volumes in the back end");
    assertEquals(volumes.size(), listed.size(), "a volume name is used twice: " + listed);
    for (Map.Entry<String, Vol> e : volumes.entrySet()) {
      Volume volume = any.find(e.getKey()).orElseThrow();
      List<Attachment> attachments = volume.attachments();
      assertTrue(attachments.size() <= 1, "attached twice: " + attachments);
      Integer holder = e.getValue().holder;
      assertEquals(holder == null ? List.of() : List.of(cluster.instanceId(holder)),
          attachments.stream().map(a -> a.instanceId().value()).toList(),
          "attachments of " + e.getKey());
    }
    for (int i = 0; i < records.size(); i++) {
      SimulatedCluster.StateSnapshot state = cluster.state(i);
      assertEquals(List.of(), state.problems(), "state problems of i" + i);
      Map<String, VolumeRecord> actual = state.byName();
      Map<String, Rec> expected = records.get(i);
      assertEquals(expected.keySet(), actual.keySet(), "records of i" + i + ": " + expected);
      for (Map.Entry<String, Rec> e : expected.entrySet()) {
        VolumeRecord record = actual.get(e.getKey());
        assertEquals(Optional.empty(), record.intent(), "intent left in " + record);
        assertEquals(e.getValue().callers,
            record.callers().stream().map(Caller::value).collect(Collectors.toSet()),
            "callers of " + e.getKey() + " on i" + i);
      }
      for (String v : MountPolicyProperties.VOLUMES) {
        path(i, v);
      }
    }
  }

  private Set<String> volumeNames() {
    return cluster.volumes(0).list().stream().map(vol -> vol.name().value())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> tokensAt(Path data) {
    try (Stream<Path> files = Files.list(data)) {
      return files.map(p -> p.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    cluster.close();
  }

  @Override
  public String toString() {
    return "volumes=" + volumes + " records=" + records;
  }
}
