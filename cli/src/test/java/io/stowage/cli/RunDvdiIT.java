package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stowage.cli.Commands.Result;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/stowage run --dvdi as Mesos runs it, a process of its own: signals to the launcher reach
 * the command and the volumes are released, on each Java runtime installed; a launcher killed
 * with SIGKILL stops its command and leaves a record the next command repairs from.
 */
class RunDvdiIT {
  private static final Path DIST = Path.of(System.getProperty("stowage.dist", "target/stowage"));
  private static final Duration WAIT = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  /**
   * A command that writes its mount point in {@code ready}, logs each HUP and INT, and exits 5
   * on TERM.
   */
  private static List<String> task(Path work) {
    return List.of("sh", "-c", "trap 'echo HUP >> " + work.resolve("signals") + "' HUP;"
        + " trap 'echo INT >> " + work.resolve("signals") + "' INT;"
        + " trap 'echo TERM >> " + work.resolve("signals") + "; exit 5' TERM;"
        + " echo \"$DVDI_MOUNTPOINT\" > " + work.resolve("ready")
        + "; while :; do sleep 0.05; done");
  }

  private static Process launch(Path work, LauncherIT.Jdk jdk) throws IOException {
    List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/stowage").toString()));
    command.addAll(TestHost.stowageOptions(work));
    command.addAll(List.of("run", "--dvdi", "--"));
    command.addAll(task(work));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(work.resolve("stdout").toFile())
        .redirectError(work.resolve("stderr").toFile());
    builder.environment().putAll(Map.of("JAVA_HOME", jdk.home().toString(),
        "DVDI_VOLUME_NAME", "pgdata", "DVDI_VOLUME_OPTS", "size=1"));
    return builder.start();
  }

  private static void await(Path file, String content, Process launcher) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(content)) {
        return;
      }
      Thread.sleep(20);
    }
    fail("no " + content + " in " + file + "; launcher " + (launcher.isAlive() ? "alive"
        : "exited " + launcher.exitValue()) + ", stderr:\n"
        + Files.readString(file.resolveSibling("stderr")));
  }

  private static Result stowage(Path work, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/stowage").toString()));
    command.addAll(TestHost.stowageOptions(work));
    command.addAll(List.of(args));
    return Commands.run(command, Map.of(), WAIT);
  }

  private static void signal(Process process, String signal) throws Exception {
    Result kill = Commands.run(List.of("kill", "-s", signal, Long.toString(process.pid())),
        Map.of(), Duration.ofSeconds(10));
    assertEquals(0, kill.code(), kill.output());
  }

  private static void nothingLeft(Path work) throws Exception {
    assertEquals(List.of(), TestHost.mountsUnder(work));
    if (TestHost.root()) {
      assertEquals(List.of(), TestHost.loopDevicesOver(work));
    }
    assertEquals(ExitCodes.NOT_FOUND, stowage(work, "volume", "path", "pgdata").code(),
        "the volume is not mounted for anyone");
    try (Stream<Path> runs = Files.list(work.resolve("state").resolve(RunJournal.DIRECTORY))) {
      assertEquals(List.of(), runs.toList());
    }
  }

  @TestFactory
  Stream<DynamicTest> signalsToTheLauncherReachTheCommandThenTheVolumeIsReleased()
      throws IOException {
    return LauncherIT.runtimes().stream().map(jdk -> DynamicTest.dynamicTest("Java "
        + jdk.feature(), () -> {
          Path work = Files.createTempDirectory(dir, "java" + jdk.feature());
          Process launcher = launch(work, jdk);
          await(work.resolve("ready"), "pgdata", launcher);
          assertEquals(work.resolve("mnt/pgdata/data").toString(),
              Files.readString(work.resolve("ready")).strip());
          assertEquals(0, stowage(work, "volume", "path", "pgdata").code(), "mounted meanwhile");

          signal(launcher, "HUP");
          await(work.resolve("signals"), "HUP", launcher);
          assertTrue(launcher.isAlive(), "HUP and INT are the command's to handle");
          signal(launcher, "INT");
          await(work.resolve("signals"), "INT", launcher);
          signal(launcher, "TERM");
          assertTrue(launcher.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
          assertEquals(5, launcher.exitValue(), "the command's exit code: "
              + Files.readString(work.resolve("stderr")));
          assertTrue(Files.readString(work.resolve("signals")).contains("TERM"));
          assertEquals("", Files.readString(work.resolve("stderr")));
          nothingLeft(work);
        }));
  }

  @Test
  void aLauncherKilledMidRunStopsItsCommandAndTheNextCommandReleasesItsVolume()
      throws Exception {
    Process launcher = launch(dir, LauncherIT.runtimes().get(0));
    await(dir.resolve("ready"), "pgdata", launcher);
    launcher.destroyForcibly();
    assertTrue(launcher.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
    await(dir.resolve("signals"), "TERM", launcher);
    if (TestHost.root()) {
      assertFalse(TestHost.mountsUnder(dir.resolve("mnt")).isEmpty(),
          "the killed launcher left its volume mounted");
    }
    try (Stream<Path> runs = Files.list(dir.resolve("state").resolve(RunJournal.DIRECTORY))) {
      // Killed while rewriting it, the launcher may also have left a temporary file.
      assertEquals(1, runs.filter(f -> f.getFileName().toString().endsWith(".json")).count(),
          "and its record");
    }

    Result next = stowage(dir, "volume", "ls");
    assertEquals(0, next.code(), next.output());
    assertTrue(next.err().contains("released the volumes of run stowage-run-"
        + launcher.pid() + "-"), next.output());
    nothingLeft(dir);
  }
}
