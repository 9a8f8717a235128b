package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.cli.Commands.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service killed with SIGKILL under a parent that does not reap it, as on a host
 * whose init reaps late: while it lingers as a zombie, {@code service status} says it stopped
 * and a supervisor's immediate {@code service start} succeeds.
 */
class ServiceRestartIT {
  private static final Path DIST = Path.of(System.getProperty("stowage.dist", "target/stowage"));

  @TempDir
  Path dir;
  private List<String> global;
  private List<String> where;
  private Process parent;

  @BeforeEach
  void setUp() {
    global = TestHost.stowageOptions(dir);
    where = List.of("--name", "zombie", "--socket-dir", dir.resolve("plugins").toString(),
        "--run-dir", dir.resolve("run").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    stowage("service", "stop");
    if (parent != null) {
      parent.destroyForcibly().waitFor(); // its zombie child goes to init, which reaps it
    }
  }

  private Result stowage(String... command) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(DIST.resolve("bin/stowage").toString());
    cmd.addAll(global);
    cmd.addAll(List.of(command));
    cmd.addAll(where);
    return Commands.run(cmd, Map.of(), Duration.ofMinutes(3));
  }

  @Test
  void aKilledServiceIsStoppedAtOnceAndStartsAgainWhileItIsAZombie() throws Exception {
    // sh starts the service in the background and becomes sleep, which never waits for it.
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & exec sleep 600",
        "sh", DIST.resolve("bin/stowage").toString()));
    cmd.addAll(global);
    cmd.addAll(List.of("service", "start", "--foreground"));
    cmd.addAll(where);
    parent = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    BufferedReader log = new BufferedReader(new InputStreamReader(parent.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    do {
      line = log.readLine();
    } while (line != null && !line.contains("stowage: serving plugin zombie"));
    assertTrue(line != null, "the service did not start");
    Path pidFile = dir.resolve("run/zombie.pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertEquals(0, stowage("service", "status").code());

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    try (FileChannel ch = FileChannel.open(pidFile, StandardOpenOption.READ)) {
      ch.lock(0, Long.MAX_VALUE, true).release(); // the kernel drops the lock as it dies
    }
    assertEquals("Z", state(pid), "the killed service lingers unreaped");

    Result status = stowage("service", "status");
    assertEquals(ExitCodes.NOT_FOUND, status.code(), status.output());
    assertTrue(status.out().contains("stopped"), status.out());
    Result start = stowage("service", "start");
    assertEquals(0, start.code(), start.output());
    assertEquals("Z", state(pid), "still unreaped while the new service runs");
    assertEquals(0, stowage("service", "status").code());
    Result stop = stowage("service", "stop");
    assertEquals(0, stop.code(), stop.output());
    assertTrue(!Files.exists(pidFile), "the pid file is removed");
  }

  /** The state letter of a process in /proc/<pid>/stat: R, S, Z, ... */
  private static String state(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  }
}
