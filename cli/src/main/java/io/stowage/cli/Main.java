package io.stowage.cli;

import io.stowage.exception.StowageException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
    // Set before the first logger exists: the service logs at info, commands only warnings.
    String level = System.getenv("STOWAGE_LOG_LEVEL");
    if (level == null && java.util.Arrays.asList(args).contains("service")) {
      level = "info";
    }
    if (level != null && System.getProperty("org.slf4j.simpleLogger.log.io.stowage") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.io.stowage", level);
    }
    int code = run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv());
    System.exit(code);
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
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("stowage: " + ex.getMessage());
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
      String message = ex instanceof StowageException ? ex.getMessage() : ex.toString();
      err.println("stowage: error: " + message);
      if (!(ex instanceof StowageException)) {
        ex.printStackTrace(err);
      }
      err.flush();
      return code;
    });
    return cl.execute(args);
  }
}
