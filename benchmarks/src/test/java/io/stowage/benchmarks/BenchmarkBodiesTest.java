package io.stowage.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.model.Mount;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs each benchmark body once, so the benchmarks cannot rot; JMH itself is not run here. */
class BenchmarkBodiesTest {
  @Test
  void mountUnmountPairMakesTheDocumentedStateChanges() throws Exception {
    MountUnmountBenchmark.Host host = new MountUnmountBenchmark.Host();
    host.otherMounted = 2;
    host.backend = "disk";
    host.open();
    try {
      MountUnmountBenchmark.OwnVolume volume = new MountUnmountBenchmark.OwnVolume();
      volume.create(host);
      Path records = host.stateRoot.resolve("records").resolve("fake");
      String recordName = volume.name + ".json";
      int changes;
      try (WatchService watcher = records.getFileSystem().newWatchService()) {
        records.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE);
        Mount mount = MountUnmountBenchmark.pair(host, volume);
        assertTrue(mount.path().startsWith(host.backendRoot), mount.path().toString());
        changes = countChanges(watcher, recordName, MountUnmountBenchmark.STATE_CHANGES_PER_PAIR);
      }
      // A replace renames a temporary file onto the record (a create event of the record's
      // name); the removal deletes it.
      assertEquals(MountUnmountBenchmark.STATE_CHANGES_PER_PAIR, changes);
      assertFalse(Files.exists(records.resolve(recordName)), "the pair left a record");
      assertEquals(2, host.volumes.list().stream()
          .filter(v -> !v.attachments().isEmpty()).count(), "the other volumes stay mounted");
    } finally {
      host.close();
    }
    assertFalse(Files.exists(host.stateRoot));
    assertFalse(Files.exists(host.backendRoot));
  }

  @Test
  void atomicReplaceWritesTheRecord() throws Exception {
    AtomicReplaceBenchmark.Directory directory = new AtomicReplaceBenchmark.Directory();
    directory.create();
    try {
      AtomicReplaceBenchmark.Target target = new AtomicReplaceBenchmark.Target();
      target.name(directory);
      new AtomicReplaceBenchmark().replaces1Thread(target);
      new AtomicReplaceBenchmark().replaces2Threads(target);
      assertArrayEquals(target.content, Files.readAllBytes(target.file));
      assertEquals(AtomicReplaceBenchmark.RECORD_BYTES, target.content.length);
      try (var files = Files.list(directory.path)) {
        assertEquals(1, files.count(), "temporary files were left behind");
      }
    } finally {
      directory.delete();
    }
    assertFalse(Files.exists(directory.path));
  }

  /**
   * Counts creations and deletions of one file name, waiting for events until the expected
   * count is reached and then a little longer, so that an extra change is counted too.
   */
  private static int countChanges(WatchService watcher, String fileName, int expected)
      throws InterruptedException {
    int count = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (System.nanoTime() < deadline) {
        WatchKey key = watcher.poll(count >= expected ? 300 : 1000, TimeUnit.MILLISECONDS);
        if (key == null) {
          if (count >= expected) {
            break;
          }
          continue;
        }
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() != StandardWatchEventKinds.OVERFLOW
              && fileName.equals(event.context().toString())) {
            count += event.count();
          }
        }
        key.reset();
      }
    } catch (ClosedWatchServiceException e) {
      throw new IllegalStateException("the watch service closed", e);
    }
    return count;
  }
}
