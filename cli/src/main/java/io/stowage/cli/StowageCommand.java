package io.stowage.cli;

import io.stowage.Hosts;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.config.StowageConfig;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.exception.InvalidArgumentException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code stowage} command and its global options. Its subcommands are listed in
 * {@link CommandTree}.
 */
@Command(name = "stowage", versionProvider = VersionCommand.Provider.class,
    description = "External volume management: create, attach, format and mount block volumes;"
        + " serve them to Docker as a volume plugin.",
    footer = {"", "Exit codes: 0 success, 1 failure, 2 usage, 3 not found, 4 in use,"
        + " 5 configuration, 6 timeout, 7 already exists, 8 not permitted, 9 check failed."})
final class StowageCommand implements Runnable {
  @Spec
  CommandSpec spec;

  // The standard help options, declared once and inherited by every subcommand: picocli's
  // mixinStandardHelpOptions would reflect over its mixin class again for each command built.
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true, scope = ScopeType.INHERIT,
      description = "Print version information and exit.")
  boolean version;

  @Option(names = "--config", paramLabel = "<file>", scope = ScopeType.INHERIT,
      description = "Configuration file (default: /etc/stowage/config.yml, then"
          + " /etc/rexray/config.yml, then built-in defaults).")
  Path config;

  @Option(names = {"-o", "--output"}, paramLabel = "table|json", scope = ScopeType.INHERIT,
      defaultValue = "table", description = "Output format: ${COMPLETION-CANDIDATES}"
          + " (default: ${DEFAULT-VALUE}).")
  Printer.Format output;

  @Option(names = "--set", paramLabel = "<key=value>", scope = ScopeType.INHERIT,
      description = "Set a configuration key, overriding files and environment"
          + " (repeatable), e.g. --set fake.root=/tmp/fake.")
  List<String> settings = new ArrayList<>();

  @Option(names = "--service", paramLabel = "<name>", scope = ScopeType.INHERIT,
      description = "Service to use: a configured service's or REX-Ray module's name,"
          + " 'rexray' for the default service, or a driver's name (default: the default"
          + " service).")
  String service;

  @Option(names = "--simulated-host", paramLabel = "<dir>", hidden = true,
      scope = ScopeType.INHERIT, description = "Run on the fake driver's simulated host kept in"
          + " <dir> (no root needed; for tests and demos).")
  Path simulatedHost;

  private final List<String> args;
  private final Map<String, String> environment;

  StowageCommand(List<String> args, Map<String, String> environment) {
    this.args = List.copyOf(args);
    this.environment = Map.copyOf(environment);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  List<String> args() {
    return args;
  }

  Map<String, String> environment() {
    return environment;
  }

  Printer printer() {
    return new Printer(spec.commandLine().getOut(), output);
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Returns a Stowage builder with the global options: configuration file, environment,
   * {@code --set} and the simulated host.
   */
  Stowage.Builder builder() {
    Stowage.Builder builder = Stowage.builder();
    if (config != null) {
      builder.configFile(config);
    } else {
      builder.searchDefaultLocations();
    }
    builder.environment(environment);
    if (simulatedHost != null) {
      builder.host(new SimulatedHost(simulatedHost));
    }
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new InvalidArgumentException("--set", setting, "must be key=value");
      }
      builder.setting(setting.substring(0, eq).strip(), setting.substring(eq + 1));
    }
    return builder;
  }

  /**
   * Opens Stowage with the global options; prints the configuration's warnings, and releases
   * what killed {@code stowage run}s left mounted.
   */
  Stowage open() {
    Stowage.Builder builder = builder();
    if (TerminalProgress.stderrIsTerminal()) {
      builder.progress(new TerminalProgress(err()));
    }
    Stowage stowage = builder.build();
    warn(stowage.config());
    RunJournal.repairDeadRuns(stowage, environment, Hosts.commands(), err());
    return stowage;
  }

  /** Prints the configuration's warnings on standard error. */
  void warn(StowageConfig config) {
    config.warnings().forEach(w -> err().println("stowage: warning: " + w));
    err().flush();
  }

  /**
   * Returns the volume service that {@code --service} or a command's {@code --driver} names
   * (both are looked up alike; giving both with different names is a usage error), or the
   * default service.
   */
  VolumeService volumes(Stowage stowage, String driver) {
    if (driver != null && service != null && !driver.equals(service)) {
      throw new InvalidArgumentException("--driver", driver, "names another service than"
          + " --service " + service + ": give one of them");
    }
    String name = driver != null ? driver : service;
    return name == null ? stowage.volumes() : stowage.volumes(name);
  }

  /** Whether {@code --service} or a command's {@code --driver} picks one service. */
  boolean picksService(String driver) {
    return driver != null || service != null;
  }

  /** Returns the extra volume option keys a driver understands. */
  static Set<String> driverKeys(Stowage stowage, VolumeService volumes) {
    return stowage.registry().provider(volumes.driverName()).volumeOptionKeys();
  }
}
