package io.stowage.cli;

import io.stowage.exception.StowageException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code stowage} command's entry point. Exit codes are listed in {@link ExitCodes}.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the command and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    configureLogging(java.util.Arrays.asList(args).contains("service"),
        System.getenv("STOWAGE_LOG_LEVEL"));
    int code = run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv());
    System.exit(code);
  }

  /**
   * Sets the logging backend's defaults (slf4j-simple reads system properties at the first
   * logger) where {@code JAVA_OPTS} did not: everything on standard error, warnings only, and
   * for the service, which logs at info into its log file, time stamps. Commands print none,
   * which also spares them the date format's locale data at start. In code rather than in a
   * {@code simplelogger.properties}, which the published jar would impose on embedding programs.
   */
  private static void configureLogging(boolean service, String level) {
    String prefix = "org.slf4j.simpleLogger.";
    defaultProperty(prefix + "logFile", "System.err");
    defaultProperty(prefix + "defaultLogLevel", "warn");
    defaultProperty(prefix + "log.org.eclipse.jetty", "warn");
    defaultProperty(prefix + "showThreadName", "false");
    defaultProperty(prefix + "showShortLogName", "true");
    if (service) {
      defaultProperty(prefix + "showDateTime", "true");
      defaultProperty(prefix + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }
    if (level != null || service) {
      defaultProperty(prefix + "log.io.stowage", level != null ? level : "info");
    }
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Runs the command without exiting, for tests and embedding.
   *
   * @param args the command line
   * @param out standard output
   * @param err standard error
   * @param environment the environment variables Stowage's configuration reads
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err,
      Map<String, String> environment) {
    StowageCommand top = new StowageCommand(List.of(args), environment);
    CommandLine cl = new CommandLine(top);
    CommandTree.stowage().addSubcommands(cl, List.of(args), 0);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // picocli's own conversion would name the JDK's exception in the message.
    cl.registerConverter(Path.class, Main::path);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("stowage: " + SecretArguments.mask(ex.getMessage(), List.of(args)));
      err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help' for more information.");
      err.flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      int code;
      if (ex instanceof CliException c) {
        code = c.exitCode();
      } else {
        code = ExitCodes.of(ex);
      }
      if (ex instanceof StowageException s) {
        err.println("stowage: error: " + ex.getMessage());
        err.println("stowage: see " + TroubleshootingLink.of(s));
      } else {
        // A defect: its type says more than its message, and the stack trace is for debugging.
        err.println("stowage: internal error: " + ex);
        if (debugging(environment)) {
          ex.printStackTrace(err);
        } else {
          err.println("stowage: set STOWAGE_LOG_LEVEL=debug to see where it happened");
        }
      }
      err.flush();
      return code;
    });
    return cl.execute(args);
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new CommandLine.TypeConversionException("not a path: " + e.getReason());
    }
  }

  private static boolean debugging(Map<String, String> environment) {
    String level = environment.getOrDefault("STOWAGE_LOG_LEVEL", "");
    return level.equalsIgnoreCase("debug") || level.equalsIgnoreCase("trace");
  }
}
