package io.stowage.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.cli.plugin.PluginClient;
import io.stowage.cli.plugin.PluginServer;
import io.stowage.config.ServiceConfig;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.Durations;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code stowage service start|stop|status}: the Docker volume plugin service. */
@Command(name = "service", description = "Run the Docker volume plugin service.")
final class ServiceCommand {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  @ParentCommand
  StowageCommand top;

  /** Where the service's socket, pid file and log live. */
  static final class Where {
    @Option(names = "--name", defaultValue = "stowage", paramLabel = "<name>",
        description = "Plugin name; the socket is <socket-dir>/<name>.sock"
            + " (default: ${DEFAULT-VALUE}; 'rexray' serves existing REX-Ray setups).")
    String name;

    @Option(names = "--socket-dir", defaultValue = "/run/docker/plugins", paramLabel = "<dir>",
        description = "Directory of the plugin socket (default: ${DEFAULT-VALUE}).")
    Path socketDir;

    @Option(names = "--run-dir", defaultValue = "/run/stowage", paramLabel = "<dir>",
        description = "Directory of the pid file and the background log"
            + " (default: ${DEFAULT-VALUE}).")
    Path runDir;

    Path socket() {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        throw new InvalidArgumentException("--name", name,
            "must be 1 to 64 letters, digits, '.', '_' or '-'");
      }
      return absolute("--socket-dir", socketDir).resolve(name + ".sock");
    }

    Path pidFile() {
      socket();
      return absolute("--run-dir", runDir).resolve(name + ".pid");
    }

    Path logFile() {
      return pidFile().resolveSibling(name + ".log");
    }

    /**
     * A directory flag's value: absolute, since the background service and the Docker daemon
     * that finds its socket do not share the caller's working directory.
     */
    private static Path absolute(String flag, Path dir) {
      if (!dir.isAbsolute()) {
        throw new InvalidArgumentException(flag, dir.toString(), "must be an absolute path");
      }
      return dir.normalize();
    }

    /** Returns the running service, from the lock on its pid file. */
    Optional<PidFile.Holder> running() throws IOException {
      return PidFile.holder(pidFile());
    }

    boolean answers() {
      try {
        return PluginClient.unix(socket(), CALL_TIMEOUT).post("/Plugin.Activate", "")
            .status() == 200;
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** {@code stowage service start}. */
  @Command(name = "start",
      description = "Start serving the Docker volume plugin protocol. Without --foreground it"
          + " starts in the background and returns once the socket answers.")
  static final class Start implements Callable<Integer> {
    @ParentCommand
    ServiceCommand parent;

    @Mixin
    Where where;

    @Option(names = "--foreground", description = "Serve in this process until SIGTERM.")
    boolean foreground;

    @Option(names = "--driver", paramLabel = "<name>",
        description = "Serve only this service or driver, on the socket of --name (default:"
            + " every service the configuration gives a socket, the default service on the"
            + " socket of --name).")
    String driver;

    @Option(names = "--scope", defaultValue = "global", paramLabel = "global|local",
        description = "Scope reported to Docker (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--start-timeout", defaultValue = "60s", paramLabel = "<duration>",
        description = "How long to wait for the background service to answer, such as 60s,"
            + " 2m or 120 (seconds) (default: ${DEFAULT-VALUE}).")
    String startTimeout;

    @Override
    public Integer call() throws Exception {
      Duration timeout = Durations.parsePositive("--start-timeout", startTimeout);
      if (foreground) {
        return serve();
      }
      Optional<PidFile.Holder> running = where.running();
      if (running.isPresent()) {
        throw new CliException(ExitCodes.IN_USE, "service " + where.name
            + " is already running" + pid(running.get()));
      }
      return launch(timeout);
    }

    private int serve() throws InterruptedException, IOException {
      PidFile pidFile;
      try {
        pidFile = PidFile.acquire(where.pidFile());
      } catch (CliException e) {
        throw new CliException(e.exitCode(), "service " + where.name + ": " + e.getMessage());
      }
      Stowage stowage;
      try {
        stowage = parent.top.open();
      } catch (RuntimeException e) {
        pidFile.close();
        throw e;
      }
      List<PluginServer> servers = new ArrayList<>();
      try {
        for (Served served : served(stowage)) {
          PluginServer server = PluginServer.builder(served.volumes()).socket(served.socket())
              .scope(scope)
              .driverOptionKeys(StowageCommand.driverKeys(stowage, served.volumes()))
              .removeForce(stowage.config().service(served.volumes().serviceName())
                  .orElseThrow().volumes().removeForce()).build();
          servers.add(server);
          server.start();
          parent.top.err().println("stowage: serving plugin " + served.plugin() + " (service "
              + served.volumes().serviceName() + ") on " + served.socket() + " (pid "
              + ProcessHandle.current().pid() + ")");
        }
      } catch (RuntimeException e) {
        servers.forEach(PluginServer::close);
        stowage.close();
        pidFile.close();
        throw e;
      }
      parent.top.err().flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        try {
          servers.forEach(PluginServer::close);
          stowage.close();
          pidFile.close();
        } catch (IOException | RuntimeException e) {
          parent.top.err().println("stowage: error while stopping: " + e);
        } finally {
          stopped.countDown();
        }
      }, "stowage-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      for (PluginServer server : servers) {
        server.awaitStop();
      }
      stopped.await();
      return ExitCodes.OK;
    }

    /** A service and the socket it is served on, by its plugin name. */
    private record Served(String plugin, Path socket, VolumeService volumes) {}

    /**
     * The services to serve: with {@code --service} or {@code --driver} that one, else every
     * service the configuration gives a socket. The default service keeps the socket of
     * {@code --name}, as before services existed; the others are served on their configured
     * sockets, those in Docker's plugin directory moved to {@code --socket-dir}. The default
     * service is last, so that the service answers on its socket once all are served.
     */
    private List<Served> served(Stowage stowage) {
      VolumeService chosen = parent.top.volumes(stowage, driver);
      Served main = new Served(where.name, where.socket(), chosen);
      if (parent.top.picksService(driver)) {
        return List.of(main);
      }
      List<Served> served = new ArrayList<>();
      Map<Path, String> sockets = new HashMap<>(Map.of(main.socket(), main.volumes()
          .serviceName()));
      for (ServiceConfig service : stowage.config().services()) {
        if (service.name().equals(stowage.config().defaultService().name())
            || service.socket().isEmpty()) {
          continue;
        }
        Path socket = service.socket().get();
        if (socket.getParent().equals(ServiceConfig.SOCKET_DIRECTORY)) {
          socket = where.socket().resolveSibling(socket.getFileName());
        }
        String before = sockets.putIfAbsent(socket, service.name());
        if (before != null) {
          throw new InvalidArgumentException("socket of service " + service.name(),
              socket.toString(), "is already the socket of service " + before);
        }
        served.add(new Served(service.pluginName().orElseThrow(), socket,
            stowage.volumes(service.name())));
      }
      served.add(main);
      return served;
    }

    private int launch(Duration timeout) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      Path setsid = Path.of("/usr/bin/setsid");
      if (Files.isExecutable(setsid)) {
        command.add(setsid.toString());
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Main.class.getName());
      command.addAll(parent.top.args());
      command.add("--foreground");
      Path log = where.logFile();
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectErrorStream(true).start();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new CliException(process.exitValue() == 0 ? ExitCodes.GENERAL
              : process.exitValue(), "service " + where.name + " exited with status "
              + process.exitValue() + " while starting; its log " + log + " ends with:\n"
              + tail(log));
        }
        if (where.answers()) {
          report(process.pid());
          return ExitCodes.OK;
        }
        Thread.sleep(50);
      }
      throw new CliException(ExitCodes.TIMEOUT, "service " + where.name
          + " did not answer on " + where.socket() + " within "
          + Durations.format(timeout) + "; see " + log);
    }

    private void report(long pid) {
      Printer p = parent.top.printer();
      if (p.isJson()) {
        p.json(p.mapper().createObjectNode().put("name", where.name).put("pid", pid)
            .put("socket", where.socket().toString()));
      } else {
        p.line("service " + where.name + " started (pid " + pid + ") on " + where.socket());
      }
    }

    private static String tail(Path log) {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException e) {
        return "(log unreadable: " + e + ")";
      }
    }
  }

  private static String pid(PidFile.Holder holder) {
    return holder.pid() > 0 ? " as pid " + holder.pid() : "";
  }

  /** {@code stowage service stop}. */
  @Command(name = "stop",
      description = "Stop the service (SIGTERM) and wait until it has finished its calls.")
  static final class Stop implements Callable<Integer> {
    @ParentCommand
    ServiceCommand parent;

    @Mixin
    Where where;

    @Option(names = "--timeout", defaultValue = "90s", paramLabel = "<duration>",
        description = "How long to wait, such as 90s, 2m or 120 (seconds)"
            + " (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws Exception {
      Duration wait = Durations.parsePositive("--timeout", timeout);
      Optional<PidFile.Holder> running = where.running();
      Printer p = parent.top.printer();
      if (running.isEmpty()) {
        PidFile.removeStale(where.pidFile());
        p.line("service " + where.name + " is not running");
        return ExitCodes.OK;
      }
      long pid = running.get().pid();
      Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
      if (process.isEmpty() || pid == ProcessHandle.current().pid()) {
        throw new CliException(ExitCodes.GENERAL, "service " + where.name + " is starting or"
            + " serves in this process; stop it with SIGTERM");
      }
      process.get().destroy();
      // Its lock goes with the process, before anyone reaps it.
      if (!PidFile.awaitRelease(where.pidFile(), wait)) {
        throw new CliException(ExitCodes.TIMEOUT, "service " + where.name + " (pid " + pid
            + ") did not stop within " + Durations.format(wait));
      }
      p.line("service " + where.name + " stopped (pid " + pid + ")");
      return ExitCodes.OK;
    }
  }

  /** {@code stowage service status}. */
  @Command(name = "status",
      description = "Show whether the service runs and answers; exit 3 when it does not.")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    ServiceCommand parent;

    @Mixin
    Where where;

    @Override
    public Integer call() throws IOException {
      Optional<PidFile.Holder> running = where.running();
      boolean answers = where.answers();
      Printer p = parent.top.printer();
      if (p.isJson()) {
        ObjectNode node = p.mapper().createObjectNode().put("name", where.name)
            .put("running", running.isPresent()).put("answering", answers)
            .put("socket", where.socket().toString());
        running.filter(h -> h.pid() > 0).ifPresent(h -> node.put("pid", h.pid()));
        p.json(node);
      } else {
        p.table(List.of("NAME", "STATE", "PID", "SOCKET"), List.of(List.of(where.name,
            running.isPresent() ? (answers ? "running" : "not answering") : "stopped",
            running.filter(h -> h.pid() > 0).map(h -> Long.toString(h.pid())).orElse("-"),
            where.socket().toString())));
      }
      return running.isPresent() && answers ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }
  }
}
