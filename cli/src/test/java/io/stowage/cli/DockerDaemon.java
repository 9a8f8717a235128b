package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.cli.Commands.Result;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private Docker daemon for one test class. Everything it keeps is under one directory: its
 * socket, data root, exec root (and with it its own containerd), configuration file and trust
 * key; its containerd namespaces are its own; storage is vfs, with no iptables, no bridge and no
 * registry. Closing it removes its containers, stops it with SIGTERM and checks that its
 * containerd, the shims and its mounts are gone.
 *
 * <p>Debian's {@code docker.io} client and daemon are called by absolute path: another docker
 * client may come first on PATH.
 */
final class DockerDaemon implements AutoCloseable {
  /** Debian's Docker daemon. */
  static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
  /** Debian's Docker client, of the daemon's version. */
  static final Path DOCKER = Path.of("/usr/bin/docker");

  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

  private final Path dir;
  private final Process process;

  private DockerDaemon(Path dir, Process process) {
    this.dir = dir;
    this.process = process;
  }

  /**
   * Starts a daemon keeping everything under a directory and waits until it answers.
   *
   * @param dir its directory; short, for the unix socket paths under it
   * @param namespace its containerd namespace, unique to this run
   * @return the running daemon
   */
  static DockerDaemon start(Path dir, String namespace) throws IOException,
      InterruptedException {
    Files.createDirectories(dir);
    Path config = dir.resolve("daemon.json");
    // The trust key would go to /etc/docker/key.json; no daemon.json of the host is read.
    new ObjectMapper().writeValue(config.toFile(),
        Map.of("deprecated-key-path", dir.resolve("key.json").toString()));
    List<String> command = List.of(DOCKERD.toString(),
        "--config-file", config.toString(),
        "--host", "unix://" + dir.resolve("docker.sock"),
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("exec").toString(),
        "--pidfile", dir.resolve("docker.pid").toString(),
        "--storage-driver", "vfs",
        "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--bridge=none",
        "--containerd-namespace", namespace,
        "--containerd-plugins-namespace", namespace + "-plugins");
    Process process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("dockerd.log").toFile())
        .start();
    DockerDaemon daemon = new DockerDaemon(dir, process);
    daemon.awaitAnswer();
    return daemon;
  }

  private void awaitAnswer() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("dockerd exited with status " + process.exitValue() + ":\n" + log());
      }
      if (docker("version", "--format", "{{.Server.Version}}").code() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    fail("dockerd did not answer within " + START_TIMEOUT + ":\n" + log());
  }

  /**
   * Runs the docker client against this daemon.
   *
   * @param args the docker command and its arguments
   * @return what the client did
   */
  Result docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(DOCKER.toString(),
        "--config", dir.resolve("client").toString(),
        "--host", "unix://" + dir.resolve("docker.sock")));
    command.addAll(List.of(args));
    return Commands.run(command, Map.of(), CALL_TIMEOUT);
  }

  /**
   * Imports a one-layer image holding a static busybox as /bin/busybox and links to it.
   *
   * @param busybox the static busybox binary
   * @param reference the image name and tag
   * @param applets the commands linked to busybox in /bin
   */
  void importBusybox(Path busybox, String reference, List<String> applets) throws IOException,
      InterruptedException {
    Path root = dir.resolve("image");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.copy(busybox, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    for (String applet : applets) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path tar = dir.resolve("image.tar");
    Result archive = Commands.run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(),
        "."), Map.of(), CALL_TIMEOUT);
    assertEquals(0, archive.code(), archive.output());
    Result imported = docker("import", tar.toString(), reference);
    assertEquals(0, imported.code(), imported.output());
  }

  /** The daemon's own output. */
  String log() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"),
          StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Removes every container (Docker unmounts their volumes), stops the daemon and checks that
   * it left no process and no mount behind; what it did leave is stopped or unmounted, and
   * the test fails.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    if (process.isAlive()) {
      Result ids = docker("ps", "--all", "--quiet");
      if (ids.code() == 0 && !ids.out().isBlank()) {
        List<String> rm = new ArrayList<>(List.of("rm", "--force"));
        rm.addAll(ids.out().lines().toList());
        Result removed = docker(rm.toArray(String[]::new));
        if (removed.code() != 0) {
          problems.add("docker rm failed: " + removed.output());
        }
      }
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        problems.add("dockerd did not stop within " + STOP_TIMEOUT + " of SIGTERM; killed");
        process.destroyForcibly().waitFor();
      }
    }
    // Its containerd and the shims name the exec root on their command lines.
    String marker = dir + File.separator;
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    List<ProcessHandle> left = processesNaming(marker);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      left = processesNaming(marker);
    }
    for (ProcessHandle p : left) {
      problems.add("left running: " + p.pid() + " " + p.info().commandLine().orElse("?"));
      p.destroyForcibly();
    }
    List<Path> mounts = TestHost.mountsUnder(dir);
    for (int i = mounts.size() - 1; i >= 0; i--) {
      problems.add("left mounted: " + mounts.get(i));
      Commands.run(List.of("umount", mounts.get(i).toString()), Map.of(), CALL_TIMEOUT);
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\ndockerd log:\n" + log());
    }
  }

  private static List<ProcessHandle> processesNaming(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }
}
