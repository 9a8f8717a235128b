package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.driver.fake.SimulatedHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each command that only reads, run through the real command line in this JVM against a
 * fresh root (fake back end, state directory, mount root, plugin socket and run directories all
 * configured under it and none of them there yet), leaves the root as it found it: no state
 * directory, no store, no lock file. The simulated host stands for the machine, so it exists
 * beforehand, as /dev and /proc do.
 */
class ReadOnlyCommandsTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"config check", "config show", "-o json config show", "volume ls",
      "-o json volume ls", "volume inspect v1", "volume path v1", "volume inspect id:fake-1",
      "driver ls", "doctor", "-o json doctor", "service status", "service stop", "version"})
  void createsNothingWhereNothingWas(String command) throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    new SimulatedHost(root.resolve("host"));
    List<Path> before = tree(root);
    List<String> args = new ArrayList<>(List.of("--set=stowage.storageDrivers=fake",
        "--set=fake.root=" + root.resolve("fake"), "--set=fake.devices=simulated",
        "--simulated-host=" + root.resolve("host"),
        "--set=stowage.state.directory=" + root.resolve("state"),
        "--set=stowage.volume.mount.root=" + root.resolve("mnt")));
    args.addAll(List.of(command.split(" ")));
    if (command.startsWith("service")) {
      args.addAll(List.of("--socket-dir", root.resolve("plugins").toString(), "--run-dir",
          root.resolve("run").toString()));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        Map.of());
    String output = "exit " + code + "\n" + out + err;
    assertTrue(List.of(ExitCodes.OK, ExitCodes.NOT_FOUND, ExitCodes.CHECK_FAILED)
        .contains(code), output);
    assertTrue(out.toString().length() + err.toString().length() > 0, output);
    assertEquals(before, tree(root), output);
  }

  private static List<Path> tree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> !p.equals(root)).map(root::relativize).sorted().toList();
    }
  }
}
