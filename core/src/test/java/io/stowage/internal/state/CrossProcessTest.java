package io.stowage.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.OperationTimeoutException;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exclusion and durability against a second JVM. */
@Timeout(120)
class CrossProcessTest {
  private static final VolumeName X = VolumeName.of("x");
  private static final VolumeName Y = VolumeName.of("y");

  @TempDir
  Path dir;

  @TempDir
  Path logs;

  @Test
  void aLockHeldByAnotherProcessExcludesThisOneForThatVolumeOnly() throws Exception {
    Path stderr = logs.resolve("holder.err");
    Process holder = ChildJvm.start(LockHolderMain.class, stderr, dir.toString(), "fake", "x");
    try {
      BufferedReader out = reader(holder.getInputStream());
      assertEquals("LOCKED fake/x", out.readLine(), () -> ChildJvm.stderr(stderr));
      try (StateStore store = StateStore.open(dir)) {
        assertThrows(OperationTimeoutException.class,
            () -> store.lock("fake", X, Duration.ofMillis(200)));
        assertEquals(Optional.empty(), store.tryLock("fake", X));
        VolumeLock y = store.lock("fake", Y, Duration.ofSeconds(5));
        try {
          assertEquals(VolumeKey.of("fake", Y), y.key());
        } finally {
          y.close();
        }

        OutputStream in = holder.getOutputStream();
        in.write("release\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertEquals("RELEASED", out.readLine(), () -> ChildJvm.stderr(stderr));
        assertEquals(0, holder.waitFor(), () -> ChildJvm.stderr(stderr));

        VolumeLock x = store.lock("fake", X, Duration.ofSeconds(5));
        x.close();
      }
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void theLockOfAKilledProcessIsReleased() throws Exception {
    Path stderr = logs.resolve("holder.err");
    Process holder = ChildJvm.start(LockHolderMain.class, stderr, dir.toString(), "fake", "x");
    try (StateStore store = StateStore.open(dir)) {
      assertEquals("LOCKED fake/x", reader(holder.getInputStream()).readLine(),
          () -> ChildJvm.stderr(stderr));
      assertEquals(Optional.empty(), store.tryLock("fake", X));
      holder.destroyForcibly();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
      VolumeLock x = store.lock("fake", X, Duration.ofSeconds(10));
      x.close();
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void everyAcknowledgedPutSurvivesSigkill() throws Exception {
    Path stderr = logs.resolve("writer.err");
    Process writer = ChildJvm.start(PutLoopMain.class, stderr, dir.toString());
    StringBuilder seen = new StringBuilder();
    try {
      InputStream out = writer.getInputStream();
      int killAfter = 20 + ThreadLocalRandom.current().nextInt(80);
      int acks = 0;
      int c;
      while (acks < killAfter && (c = out.read()) != -1) {
        seen.append((char) c);
        if (c == '\n') {
          acks++;
        }
      }
      assertEquals(killAfter, acks, () -> "the writer stopped early: " + ChildJvm.stderr(stderr));
      // Process.destroyForcibly would close the pipe and lose the acknowledgements in it.
      assertTrue(writer.toHandle().destroyForcibly());
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, writer.exitValue(), "killed by SIGKILL");
      seen.append(new String(out.readAllBytes(), StandardCharsets.US_ASCII));
    } finally {
      writer.destroyForcibly().waitFor();
    }

    List<Long> acknowledged = acknowledged(seen.toString());
    assertTrue(acknowledged.size() >= 20, seen::toString);
    try (StateStore store = StateStore.open(dir)) {
      assertEquals(List.of(), store.problems());
      for (long n : acknowledged) {
        assertEquals(Optional.of(PutLoopMain.sequenceRecord(n)),
            store.get("fake", VolumeName.of("seq-" + n)), "acknowledged step " + n);
      }
      long last = acknowledged.get(acknowledged.size() - 1);
      long counter = Long.parseLong(store.get("fake", VolumeName.of("counter")).orElseThrow()
          .volumeId().value().substring("n-".length()));
      assertTrue(counter >= last, "counter " + counter + " is behind acknowledged " + last);
      for (VolumeRecord record : store.all()) {
        if (record.name().value().startsWith("seq-")) {
          long n = Long.parseLong(record.name().value().substring("seq-".length()));
          assertEquals(PutLoopMain.sequenceRecord(n), record);
        } else {
          assertEquals(VolumeName.of("counter"), record.name());
        }
      }
      store.put(VolumeRecord.of("fake", X, VolumeId.of("after")));
    }
    try (StateStore store = StateStore.open(dir)) {
      assertEquals(List.of(), store.problems());
      assertFalse(store.all().isEmpty());
    }
  }

  /** The numbers of complete {@code ACK <n>} lines; a line cut by the kill does not count. */
  private static List<Long> acknowledged(String output) {
    List<Long> numbers = new ArrayList<>();
    int start = 0;
    for (int end = output.indexOf('\n'); end >= 0; end = output.indexOf('\n', start)) {
      String line = output.substring(start, end);
      assertTrue(line.startsWith("ACK "), line);
      long n = Long.parseLong(line.substring(4));
      assertEquals(numbers.size(), n, "acknowledgements are consecutive");
      numbers.add(n);
      start = end + 1;
    }
    return numbers;
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
