package io.stowage.driver.fake.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stowage.Hosts;
import io.stowage.driver.fake.DeviceMode;
import io.stowage.driver.fake.FakeDriver;
import io.stowage.driver.fake.FakeSettings;
import io.stowage.driver.fake.LoopEnvironment;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.internal.state.StateStore;
import io.stowage.internal.state.VolumeRecord;
import io.stowage.model.Attachment;
import io.stowage.model.Caller;
import io.stowage.model.Volume;
import io.stowage.spi.DriverContext;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that mounts and unmounts real loop-device volumes with SIGKILL at random
 * moments, again and again, and checks after every restart that Stowage repaired the host:
 * the state loads, every mount under the mount root is recorded, no record is left half done,
 * no loop device leaks, and every acknowledged use is exactly as acknowledged.
 *
 * <p>System properties: {@code stowage.crash.kills} (default 50; 1,000 in the build's
 * {@code reliability} profile), {@code stowage.crash.seed} (default random; printed, and named
 * in every failure, to replay a run). The children's logs and a transcript are kept in
 * {@code target/crash-test/}.
 */
class CrashTest {
  private static final int VOLUMES = 3;
  private static final int CALLERS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  private Path work;
  private Path logs;
  private HostView host;
  private ChildProcess child;
  private String replay = "";

  @BeforeEach
  void requireLoopDevices() throws IOException {
    LoopEnvironment.require();
    work = Files.createDirectories(temp.resolve("work"));
    host = new HostView(temp);
    logs = Path.of("target", "crash-test").toAbsolutePath();
    Files.createDirectories(logs);
    try (Stream<Path> old = Files.list(logs)) {
      for (Path file : old.toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (child != null) {
      child.close();
      child = null;
    }
    if (host != null) {
      List<String> done = host.forceCleanUp();
      if (!done.isEmpty()) {
        transcript("clean-up: " + done);
      }
      assertTrue(host.mounts().isEmpty() && host.loops().isEmpty(),
          "clean-up left " + host.mounts() + " and " + host.loops());
    }
  }

  @Test
  void killedAtRandomMomentsStowageRepairsTheHostAndKeepsEveryAcknowledgedUse()
      throws Exception {
    int kills = Integer.getInteger("stowage.crash.kills", 50);
    long seed = Long.getLong("stowage.crash.seed", new SecureRandom().nextLong());
    replay = "replay with -Dstowage.crash.seed=" + seed + " -Dstowage.crash.kills=" + kills;
    transcript("seed " + seed + ", " + kills + " kills, work " + work);
    Random random = new Random(seed);
    UseLedger ledger = new UseLedger(VOLUMES, CALLERS);
    long started = System.nanoTime();
    int killedInStartup = 0;
    int commandsKilled = 0;
    long startUpMillis = 500; // a running average of how long a child takes to be READY
    for (int cycle = 1; cycle <= kills; cycle++) {
      long spawned = System.nanoTime();
      child = ChildProcess.start(work, random.nextLong(), VOLUMES, CALLERS,
          logs.resolve("child-" + cycle + ".log"));
      boolean inStartup = random.nextInt(4) == 0;
      long delay;
      if (inStartup) {
        // Mostly the second half of start-up: opening Stowage, that is, the reconciliation of
        // what the last kill left.
        delay = startUpMillis / 2 + random.nextInt((int) (startUpMillis * 3 / 5));
        if (child.awaitLine(MountLoopMain.READY, Duration.ofMillis(delay))) {
          verifyRepaired(cycle, ledger);
          inStartup = false;
        } else {
          killedInStartup++;
        }
      } else {
        if (!child.awaitLine(MountLoopMain.READY, READY_TIMEOUT)) {
          fail(cycle, "child did not open Stowage in " + READY_TIMEOUT);
        }
        long ready = Duration.ofNanos(System.nanoTime() - spawned).toMillis();
        startUpMillis = (startUpMillis * 3 + ready) / 4;
        verifyRepaired(cycle, ledger);
        child.send(MountLoopMain.GO);
        delay = 50 + random.nextInt(351);
        Thread.sleep(delay);
      }
      boolean tree = random.nextBoolean();
      if (tree) {
        commandsKilled++;
      }
      if (!child.kill(tree)) {
        fail(cycle, "child exited by itself with " + child.exitValue());
      }
      List<String> out = child.lines();
      out.forEach(ledger::apply);
      ledger.killed();
      transcript("cycle " + cycle + ": killed " + (inStartup ? "in start-up" : "once open")
          + " after " + delay + " ms" + (tree ? " with its commands" : "") + "; "
          + out.stream().filter(l -> l.startsWith("ACK")).count() + " acks; last: "
          + (out.isEmpty() ? "-" : out.get(out.size() - 1)));
      if (!ledger.failures().isEmpty()) {
        fail(cycle, "operations failed: " + ledger.failures());
      }
      verifyStateLoads(cycle);
      child = null;
    }

    child = ChildProcess.start(work, random.nextLong(), VOLUMES, CALLERS,
        logs.resolve("child-final.log"));
    if (!child.awaitLine(MountLoopMain.READY, READY_TIMEOUT)) {
      fail(kills + 1, "final child did not open Stowage in " + READY_TIMEOUT);
    }
    verifyRepaired(kills + 1, ledger);
    child.send(MountLoopMain.FINAL);
    if (!child.awaitExit(READY_TIMEOUT) || child.exitValue() != 0
        || !child.lines().contains(MountLoopMain.DONE)) {
      fail(kills + 1, "final child did not unmount everything and exit: " + child.lines());
    }
    child = null;
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String summary = String.format("%d kills (%d during start-up, %d with the commands the "
        + "child ran) and %d acknowledged operations in %d s", kills, killedInStartup,
        commandsKilled, ledger.acknowledged(), took.toSeconds());
    transcript(summary);
    System.out.println("CrashTest: " + summary + "; " + replay);

    assertEquals(List.of(), host.mounts(), "mounts left under " + temp);
    assertEquals(List.of(), host.loops(), "loop devices left over images under " + temp);
    try (StateStore state = StateStore.open(work.resolve("state"))) {
      assertEquals(List.of(), state.all(), "state records left after unmounting everything");
      assertEquals(List.of(), state.problems());
    }
    assertTrue(ledger.acknowledged() >= kills, "the children acknowledged operations: "
        + summary);
  }

  /** Between a kill and the next start: the state and the fake back end load cleanly. */
  private void verifyStateLoads(int cycle) {
    try (StateStore state = StateStore.open(work.resolve("state"))) {
      if (!state.problems().isEmpty()) {
        fail(cycle, "state problems after the kill: " + state.problems());
      }
      state.all();
    }
    try (FakeDriver fake = fakeDriver()) {
      fake.list();
    }
  }

  /** After a child opened Stowage (and so reconciled): the host is consistent. */
  private void verifyRepaired(int cycle, UseLedger ledger) {
    List<String> violations = new ArrayList<>();
    List<VolumeRecord> records;
    try (StateStore state = StateStore.open(work.resolve("state"))) {
      records = state.all();
      if (!state.problems().isEmpty()) {
        violations.add("state problems: " + state.problems());
      }
    }
    Path mountRoot = work.resolve("mnt");
    List<MountEntry> mounts = host.mounts();
    List<HostView.Loop> loops = host.loops();
    Map<String, Set<String>> recorded = new TreeMap<>();
    try (FakeDriver fake = fakeDriver()) {
      for (VolumeRecord record : records) {
        String name = record.name().value();
        recorded.put(name, record.callers().stream().map(Caller::value)
            .collect(Collectors.toSet()));
        record.intent().ifPresent(i -> violations.add("record of " + name
            + " still has an intent after reconciliation: " + i));
        Optional<MountEntry> mount = mounts.stream()
            .filter(m -> record.mountPoint().filter(m.mountPoint()::equals).isPresent())
            .findFirst();
        if (mount.isEmpty()) {
          violations.add("record of " + name + " names mount point "
              + record.mountPoint().orElse(null) + ", which is not mounted");
        } else if (!record.device().map(Path::toString).equals(Optional.of(
            mount.get().source()))) {
          violations.add("record of " + name + " names device " + record.device()
              + " but " + mount.get().source() + " is mounted there");
        }
        if (record.callers().isEmpty()) {
          violations.add("record of " + name + " has no callers");
        }
        Optional<Volume> volume = fake.find(record.volumeId());
        if (volume.isEmpty()) {
          violations.add("record of " + name + " names volume " + record.volumeId()
              + ", which the back end does not have");
          continue;
        }
        Optional<Attachment> here = volume.get().attachmentTo(
            io.stowage.model.InstanceId.of(MountLoopMain.INSTANCE));
        String loopDevice = volume.get().fields().get("loopDevice");
        if (here.isEmpty() || loopDevice == null
            || !record.device().map(Path::toString).equals(Optional.of(loopDevice))) {
          violations.add("record of " + name + " names device " + record.device()
              + " but the back end has attachment " + volume.get().attachments()
              + " with loop device " + loopDevice);
        }
        Path image = Path.of(volume.get().fields().get("image"));
        boolean served = loops.stream().anyMatch(l -> record.device()
            .filter(l.device()::equals).isPresent() && l.backingFile().equals(image));
        if (!served) {
          violations.add("record of " + name + ": device " + record.device()
              + " does not serve its image " + image + " (loops: " + loops + ")");
        }
      }
    }
    for (MountEntry m : mounts) {
      boolean known = m.mountPoint().startsWith(mountRoot) && records.stream().anyMatch(r ->
          r.mountPoint().filter(m.mountPoint()::equals).isPresent());
      if (!known) {
        violations.add("mount with no record: " + m.source() + " on " + m.mountPoint());
      }
    }
    try (Stream<Path> entries = Files.exists(mountRoot) ? Files.list(mountRoot)
        : Stream.empty()) {
      for (Path entry : entries.toList()) {
        boolean mounted = records.stream().anyMatch(r ->
            r.mountPoint().filter(entry::equals).isPresent());
        if (!mounted) {
          violations.add("left-over mount point directory " + entry + " with no record");
        }
      }
    } catch (IOException e) {
      violations.add("cannot list " + mountRoot + ": " + e);
    }
    for (HostView.Loop loop : loops) {
      boolean known = records.stream().anyMatch(r ->
          r.device().filter(loop.device()::equals).isPresent());
      if (!known) {
        violations.add("leaked loop device " + loop.device() + " over " + loop.backingFile()
            + " (no record names it)");
      }
      long sameImage = loops.stream().filter(l -> l.backingFile().equals(loop.backingFile()))
          .count();
      if (sameImage > 1) {
        violations.add("loop device " + loop.device() + " is one of " + sameImage
            + " over " + loop.backingFile());
      }
    }
    violations.addAll(ledger.check(recorded));
    if (!violations.isEmpty()) {
      fail(cycle, "after reconciliation: " + String.join("\n  ", violations));
    }
  }

  private FakeDriver fakeDriver() {
    return new FakeDriver(FakeSettings.of(work.resolve("fake"), DeviceMode.SIMULATED)
        .withInstanceId(MountLoopMain.INSTANCE), new DriverContext(Clock.systemUTC(),
        work.resolve("state"), new SimulatedHost(work.resolve("inspect-host")), Hosts.commands()));
  }

  private void fail(int cycle, String message) {
    String tail = child == null ? "" : "\n--- child log tail ---\n" + child.logTail(60);
    String text = "cycle " + cycle + ": " + message + "\n(" + replay + "; logs in " + logs
        + ")" + tail;
    transcript("FAILED " + text);
    org.junit.jupiter.api.Assertions.fail(text);
  }

  private void transcript(String line) {
    try {
      Files.writeString(logs.resolve("transcript.log"), line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
