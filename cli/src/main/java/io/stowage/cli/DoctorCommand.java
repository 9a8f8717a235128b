package io.stowage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stowage.DriverRegistry;
import io.stowage.Stowage;
import io.stowage.config.StowageConfig;
import io.stowage.exception.StowageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stowage doctor}: checks the host, the configuration and each configured driver's own
 * self-check ({@code Stowage.Builder.diagnose()}, which opens nothing), and says what to fix.
 */
@Command(name = "doctor",
    description = "Check this host and the configuration; print what to fix. Exit 9 when a"
        + " check fails.")
final class DoctorCommand implements Callable<Integer> {
  @ParentCommand
  StowageCommand top;

  /** The outcome of one check. */
  enum Status {
    OK,
    WARN,
    FAIL
  }

  /** One check's result. */
  record Check(String name, Status status, String detail) {}

  @Override
  public Integer call() {
    List<Check> checks = new ArrayList<>();
    checks.add(root());
    checks.add(onPath("mkfs.ext4", Status.FAIL,
        "install e2fsprogs (apt-get install e2fsprogs / dnf install e2fsprogs)"));
    checks.add(onPath("mkfs.xfs", Status.WARN,
        "install xfsprogs to format volumes with newfstype=xfs"));
    StowageConfig config = null;
    try {
      Stowage.Builder builder = top.builder();
      config = builder.configuration();
      config.warnings().forEach(w -> checks.add(new Check("configuration", Status.WARN, w)));
      builder.diagnose().forEach((driver, steps) -> steps.forEach(step -> checks.add(
          new Check("driver " + driver + " " + step.check(),
              step.passed() ? Status.OK : Status.FAIL, step.detail()))));
    } catch (StowageException e) {
      checks.add(new Check("configuration and drivers", Status.FAIL, e.getMessage()
          + " (fix the configuration; 'stowage config check' lists every problem)"));
    }
    DriverRegistry.discover(Main.class.getClassLoader()).problems().forEach(p -> checks.add(
        new Check("driver discovery", Status.WARN, p)));
    if (config != null) {
      HostDirectories.of(config).forEach(d -> checks.add(directory(d)));
      if (config.storageDrivers().contains("fake")) {
        checks.add(loopControl());
      }
    } else {
      checks.add(directory(new HostDirectories.Named("state directory",
          "stowage.state.directory", StowageConfig.DEFAULT_STATE_DIRECTORY)));
    }
    print(checks);
    return checks.stream().anyMatch(c -> c.status() == Status.FAIL) ? ExitCodes.CHECK_FAILED
        : ExitCodes.OK;
  }

  private void print(List<Check> checks) {
    Printer p = top.printer();
    if (p.isJson()) {
      ArrayNode array = p.mapper().createArrayNode();
      checks.forEach(c -> array.addObject().put("check", c.name())
          .put("status", c.status().name().toLowerCase(Locale.ROOT)).put("detail", c.detail()));
      p.json(array);
    } else {
      List<List<String>> rows = new ArrayList<>();
      checks.forEach(c -> rows.add(List.of(c.name(), c.status().name(), c.detail())));
      p.table(List.of("CHECK", "STATUS", "DETAIL"), rows);
    }
  }

  private static Check root() {
    String uid = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          uid = line.substring(4).strip().split("\\s+")[1];
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Check("root", Status.WARN, "cannot read /proc/self/status: " + e.getMessage());
    }
    return "0".equals(uid) ? new Check("root", Status.OK, "running as root")
        : new Check("root", Status.FAIL, "running as uid " + uid
            + "; attaching, formatting and mounting need root (run with sudo)");
  }

  private Check onPath(String command, Status missing, String fix) {
    String path = top.environment().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    List<String> dirs = new ArrayList<>(List.of(path.split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    for (String dir : dirs) {
      Path p = executable(dir, command);
      if (p != null) {
        return new Check(command, Status.OK, p.toString());
      }
    }
    return new Check(command, missing, "not found on PATH; " + fix);
  }

  /**
   * The command in a directory of PATH, if there. Relative entries do not count, as for the
   * host layer, which runs commands from absolute directories only.
   */
  private static Path executable(String dir, String command) {
    try {
      Path p = Path.of(dir, command);
      return p.isAbsolute() && Files.isExecutable(p) ? p : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** Whether a directory Stowage fills can be used or created; creates nothing. */
  private static Check directory(HostDirectories.Named dir) {
    return HostDirectories.problem(dir, true)
        .map(problem -> new Check(dir.label(), Status.FAIL, problem
            + "; set " + dir.key() + " to a writable place, or run as root"))
        .orElseGet(() -> new Check(dir.label(), Status.OK, HostDirectories.usable(dir)));
  }

  private static Check loopControl() {
    Path loop = Path.of("/dev/loop-control");
    if (Files.exists(loop)) {
      return new Check("/dev/loop-control", Status.OK, "loop devices available for the fake"
          + " driver");
    }
    return new Check("/dev/loop-control", Status.FAIL, "missing; load the loop module"
        + " (modprobe loop) or set fake.devices=simulated");
  }

}
