package io.stowage.driver.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs creating volumes on one store at once lose nothing and duplicate nothing. */
class TwoProcessStoreTest {
  private static final int COUNT = 40;

  @TempDir
  Path root;

  @Test
  void twoProcessesCreatingAtOnceLoseNothingAndNeverCreateANameTwice() throws Exception {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Path output = root.resolve("worker.out");
    Path store = root.resolve("store");
    Process worker = new ProcessBuilder(javaBin.toString(), "-cp",
        System.getProperty("java.class.path"), StoreWorker.class.getName(), store.toString(),
        "host-b", "b", Integer.toString(COUNT))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      StoreWorker.main(new String[] {store.toString(), "host-a", "a", Integer.toString(COUNT)});
      assertTrue(worker.waitFor(120, TimeUnit.SECONDS), "the worker finished");
    } finally {
      worker.destroyForcibly();
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, worker.exitValue(), out);
    assertTrue(out.contains("created " + COUNT), out);

    FakeDriver driver = new FakeDriver(FakeSettings.of(store, DeviceMode.SIMULATED)
        .withInstanceId("host-c"), Contexts.simulated(store.resolveSibling("host-c")));
    List<Volume> all = driver.list();
    Set<String> names = all.stream().map(v -> v.name().value()).collect(Collectors.toSet());
    assertEquals(all.size(), names.size(), "no name exists twice");
    Set<String> expected = Stream.of("a", "b", "contested")
        .flatMap(p -> IntStream.range(0, COUNT).mapToObj(i -> p + "-" + i))
        .collect(Collectors.toSet());
    assertEquals(expected, names);
    assertEquals(3 * COUNT, all.size());

    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(store.resolve("volumes"))) {
      List<Path> records = files.toList();
      assertEquals(3 * COUNT, records.size(), "one record per volume, no temp files");
      for (Path file : records) {
        assertTrue(file.getFileName().toString().matches("fake-[0-9a-f]{16}\\.json"),
            file.toString());
        readJson(json, file);
      }
    }
    try (Stream<Path> images = Files.list(store.resolve("images"))) {
      assertEquals(3 * COUNT, images.count());
    }
    String summary = out.lines().filter(l -> l.startsWith("created")).findFirst()
        .orElseThrow();
    String[] words = summary.split(" ");
    int won = Integer.parseInt(words[3]);
    int seen = Integer.parseInt(words[5]);
    assertTrue(seen > COUNT + won, "the worker saw volumes this process created: " + out);
  }

  private static void readJson(ObjectMapper json, Path file) throws IOException {
    assertEquals(file.getFileName().toString().replace(".json", ""),
        json.readTree(file.toFile()).get("id").asText());
  }
}
