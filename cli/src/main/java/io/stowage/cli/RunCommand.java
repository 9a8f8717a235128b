package io.stowage.cli;

import io.stowage.Hosts;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.cli.dvdcli.PluginLocator;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.mesos.DvdiVolume;
import io.stowage.mesos.DvdiVolumes;
import io.stowage.model.Caller;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code stowage run --dvdi [--env-file F | --app marathon.json] -- <command> [args]}: what a
 * Mesos agent's DVDI isolator does for a task, in one process. It reads the task's volumes with
 * {@link DvdiVolumes}, checks all of them, mounts them all or none (each through the service its
 * driver names, or the Docker plugin of that name when no service has it), binds each to its
 * container path, runs the command with the mount points in its environment, forwards signals
 * to it, releases every volume when it ends and exits with its exit code.
 *
 * <p>The mounts' caller is unique to the run, so the volumes' use counts hold it apart from
 * every other user. The run's record ({@link RunJournal}) is written before the first mount,
 * and the core records each mount's intent before it acts, so a launcher killed at any point
 * is repaired by the next command that opens Stowage on the host.
 */
@Command(name = "run",
    description = "Mount the volumes a Mesos task declares (DVDI variables or a Marathon app),"
        + " run a command with them, and release them when it ends; exit with its exit code.",
    footer = {"", "The command sees the data directory of volume N (in order of declaration,"
        + " the first unnumbered) in DVDI_MOUNTPOINT, DVDI_MOUNTPOINT1, ... DVDI_MOUNTPOINT9,"
        + " and at its container path where one is declared. Exit 127 when the command is not"
        + " found, 126 when it cannot be executed."})
final class RunCommand implements Callable<Integer> {
  /** The longest a call to a Docker plugin may take. */
  static final Duration PLUGIN_TIMEOUT = Duration.ofMinutes(10);
  /** The variable of the first volume's mount point; the others add their index. */
  static final String MOUNTPOINT_VARIABLE = "DVDI_MOUNTPOINT";
  private static final Path AUTO_CREATED = Path.of("/tmp");
  private static final int SIGNAL_EXIT_BASE = 128;

  @ParentCommand
  StowageCommand top;

  @Spec
  CommandSpec spec;

  @Option(names = "--dvdi", required = true,
      description = "Read the volumes from DVDI_VOLUME_* variables (mesos-module-dvdi's rules).")
  boolean dvdi;

  @Option(names = "--env-file", paramLabel = "<file>",
      description = "Read the DVDI variables from this file (KEY=VALUE lines; # comments)"
          + " instead of this process's environment.")
  Path envFile;

  @Option(names = "--app", paramLabel = "<marathon.json>",
      description = "Read the volumes from a Marathon app: its env block and its"
          + " container.volumes of provider dvdi.")
  Path app;

  @Option(names = "--bind", defaultValue = "namespace", paramLabel = "namespace|host",
      description = "Where container paths are bound: in a private mount namespace of the"
          + " command (falling back to the host where none can be made), or on the host,"
          + " removed afterwards (default: ${DEFAULT-VALUE}).")
  ContainerBinds.Mode bind;

  @Parameters(arity = "1..*", paramLabel = "<command>",
      description = "The command and its arguments, after --.")
  List<String> command;

  /** A declared volume, checked and ready to mount for the run's caller. */
  private interface TaskVolume {
    DvdiVolume declared();

    RunJournal.Entry entry();

    Path mount(Caller caller);

    void release(Caller caller);
  }

  /** A volume of a configured service, mounted in this process. */
  private record ServiceVolume(DvdiVolume declared, VolumeService service,
      VolumeOptions options) implements TaskVolume {
    @Override
    public RunJournal.Entry entry() {
      return new RunJournal.Entry(service.serviceName(), "", declared.name());
    }

    @Override
    public Path mount(Caller caller) {
      return service.mount(declared.name(),
          MountRequest.builder().caller(caller).options(options).build()).path();
    }

    @Override
    public void release(Caller caller) {
      service.unmount(declared.name(), UnmountRequest.caller(caller.value()));
    }
  }

  /** A volume of a Docker plugin that no service of the configuration serves. */
  private record PluginVolume(DvdiVolume declared, PluginVolumes plugin)
      implements TaskVolume {
    @Override
    public RunJournal.Entry entry() {
      return new RunJournal.Entry("", plugin.plugin(), declared.name());
    }

    @Override
    public Path mount(Caller caller) {
      return plugin.mount(declared.name(), declared.options(), declared.explicitCreate(),
          caller);
    }

    @Override
    public void release(Caller caller) {
      plugin.unmount(declared.name(), caller);
    }
  }

  @Override
  public Integer call() {
    if (envFile != null && app != null) {
      throw new ParameterException(spec.commandLine(),
          "--env-file and --app both declare the volumes: give one of them");
    }
    List<DvdiVolume> declared = declared();
    if (declared.isEmpty()) {
      throw InvalidArgumentException.withoutValue(DvdiVolumes.PREFIX + "NAME",
          "is not set: " + source() + " declares no volume");
    }
    Commands commands = Hosts.commands();
    try (Stowage stowage = top.open(); SignalForwarding signals = SignalForwarding.install()) {
      List<TaskVolume> plan = new ArrayList<>();
      for (DvdiVolume volume : declared) {
        plan.add(plan(stowage, volume));
      }
      List<ContainerBinds.Bind> binds = new ArrayList<>();
      Caller caller = Caller.of(RunJournal.CALLER_PREFIX + ProcessHandle.current().pid() + "-"
          + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
      RunJournal journal = RunJournal.begin(stowage.config().stateDirectory(), caller,
          plan.stream().map(TaskVolume::entry).toList());
      List<TaskVolume> mounted = new ArrayList<>();
      Map<String, String> environment = new LinkedHashMap<>();
      int code;
      try {
        for (TaskVolume volume : plan) {
          if (signals.received().isPresent()) {
            break;
          }
          Path path = volume.mount(caller);
          mounted.add(volume);
          environment.put(MOUNTPOINT_VARIABLE + (mounted.size() == 1 ? ""
              : Integer.toString(mounted.size() - 1)), path.toString());
          volume.declared().containerPath()
              .ifPresent(target -> binds.add(new ContainerBinds.Bind(path, target)));
        }
        Optional<String> early = signals.received();
        if (early.isPresent()) {
          code = SIGNAL_EXIT_BASE + SignalForwarding.SIGNALS.get(early.get());
        } else {
          try (ContainerBinds bound = ContainerBinds.make(binds, bind, commands,
              journal::binding, top.err())) {
            code = execute(bound.wrap(command), environment, journal, signals);
          }
        }
      } catch (RuntimeException e) {
        List<RuntimeException> failures = releaseAll(mounted, caller);
        failures.forEach(e::addSuppressed);
        if (failures.isEmpty()) {
          journal.finish();
        }
        throw e;
      }
      List<RuntimeException> failures = releaseAll(mounted, caller);
      if (!failures.isEmpty()) {
        for (RuntimeException f : failures) {
          top.err().println("stowage: error: " + f.getMessage());
        }
        top.err().println("stowage: the run's record stays in " + RunJournal.DIRECTORY
            + "/ of the state directory; the next stowage command releases the rest");
        top.err().flush();
        return code != 0 ? code : ExitCodes.GENERAL;
      }
      journal.finish();
      return code;
    }
  }

  /** Reads the declared volumes; every problem names its variable or app field. */
  private List<DvdiVolume> declared() {
    if (app != null) {
      return DvdiVolumes.fromMarathonApp(read(app, "--app"));
    }
    if (envFile != null) {
      return DvdiVolumes.fromEnvironment(parseEnvFile(read(envFile, "--env-file")));
    }
    return DvdiVolumes.fromEnvironment(top.environment());
  }

  private String source() {
    return app != null ? "the app " + app : envFile != null ? "the file " + envFile
        : "the environment";
  }

  private static String read(Path file, String option) {
    try {
      if (Files.size(file) > DvdiVolumes.MAX_APP_LENGTH) {
        throw new InvalidArgumentException(option, file.toString(), "is larger than "
            + DvdiVolumes.MAX_APP_LENGTH + " bytes, the most Stowage reads");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidArgumentException(option, file.toString(), "cannot be read: " + e);
    }
  }

  /**
   * Parses {@code KEY=VALUE} lines as {@code docker run --env-file} does: the value is the rest
   * of the line, unquoted; blank lines and lines starting with {@code #} are skipped.
   */
  static Map<String, String> parseEnvFile(String text) {
    Map<String, String> variables = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw InvalidArgumentException.withoutValue("--env-file line " + number,
            "must be KEY=VALUE");
      }
      variables.put(line.substring(0, eq).strip(), line.substring(eq + 1).replaceAll("\r$", ""));
    }
    return variables;
  }

  /** Finds what serves a volume and checks it, before anything is mounted. */
  private TaskVolume plan(Stowage stowage, DvdiVolume volume) {
    TaskVolume planned;
    if (stowage.config().service(volume.driver()).isPresent()) {
      VolumeService service = stowage.volumes(volume.driver());
      VolumeOptions options = volume.volumeOptions(StowageCommand.driverKeys(stowage, service));
      if (volume.explicitCreate() && service.find(volume.name()).isEmpty()) {
        throw new VolumeNotFoundException(volume.name());
      }
      planned = new ServiceVolume(volume, service, options);
    } else {
      PluginVolumes plugin;
      try {
        plugin = new PluginVolumes(volume.driver(), PluginLocator
            .fromEnvironment(top.environment()).find(volume.driver(), PLUGIN_TIMEOUT));
      } catch (DriverNotFoundException e) {
        throw new DriverNotFoundException(volume.driver(), List.of(), volume.source()
            + " names driver " + volume.driver() + ", which is neither a configured service"
            + " nor a Docker plugin: " + e.getMessage());
      }
      if (volume.explicitCreate() && !plugin.exists(volume.name())) {
        throw new VolumeNotFoundException(volume.name());
      }
      planned = new PluginVolume(volume, plugin);
    }
    volume.containerPath().ifPresent(path -> prepareContainerPath(volume, path));
    return planned;
  }

  /** A container path must exist, unless it is under /tmp, which is created (the module's rule). */
  private static void prepareContainerPath(DvdiVolume volume, Path path) {
    if (Files.isDirectory(path)) {
      return;
    }
    String field = volume.source().contains(DvdiVolumes.PREFIX + "NAME")
        ? volume.source().replace(DvdiVolumes.PREFIX + "NAME", DvdiVolumes.PREFIX
            + "CONTAINERPATH")
        : volume.source().replaceFirst("\\.external$", ".containerPath");
    if (!path.startsWith(AUTO_CREATED) || path.equals(AUTO_CREATED)) {
      throw new InvalidArgumentException(field, path.toString(), "must be an existing"
          + " directory (only paths under /tmp/ are created)");
    }
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new InvalidArgumentException(field, path.toString(), "cannot be created: " + e);
    }
  }

  /**
   * Starts the command and waits for it. It is started through {@code setpriv --pdeathsig TERM}
   * (util-linux), so that it is told to stop should the launcher die without releasing its
   * volumes; {@code setpriv} and {@code nsenter} exit 127 for a command not found and 126 for
   * one that cannot be executed, as a shell does.
   */
  private int execute(List<String> argv, Map<String, String> mountpoints, RunJournal journal,
      SignalForwarding signals) {
    List<String> full = new ArrayList<>(List.of("setpriv", "--pdeathsig", "TERM", "--"));
    full.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(full).inheritIO();
    builder.environment().putAll(top.environment());
    builder.environment().putAll(mountpoints);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CliException(ExitCodes.GENERAL, "cannot start setpriv (util-linux), which runs"
          + " the command: " + e.getMessage());
    }
    journal.commandStarted(process.toHandle());
    signals.forwardTo(process.toHandle());
    while (true) {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        // The launcher stays until the command has ended: its volumes are in use until then.
        Thread.interrupted();
      }
    }
  }

  private static List<RuntimeException> releaseAll(List<TaskVolume> mounted, Caller caller) {
    List<RuntimeException> failures = new ArrayList<>();
    for (int i = mounted.size() - 1; i >= 0; i--) {
      try {
        mounted.get(i).release(caller);
      } catch (StowageException e) {
        failures.add(e);
      }
    }
    return failures;
  }
}
